/**
 * `makeQuecPythonDevice`: everything `cpekit run` needs for a device whose plugin is
 * `quecpython`: the link to the module's bridge (serial, TCP or simulated), the TR-181
 * provider, the device actions, the FileTransfer wrapper the actions need, the SoftwareModules
 * and Diagnostics ports (apps on the module, ping with `uping`), the data model's
 * initial instances and values, the DeviceId (serial number = IMEI) and the Quectel-style
 * handler table. The link (and a simulator it started) close with the caller's scope.
 *
 * The agent itself is not started here: the caller runs `makeAgent` with these parts, and
 * starts a new agent when one stops for a Reboot (the module restarts, the link reconnects,
 * and the new agent's Inform carries `1 BOOT` + `M Reboot`).
 * @module
 */
import type {
  DeviceActionsService,
  DeviceIdStruct,
  DiagnosticsService,
  FileTransferService,
  ParameterProvider,
  RpcRegistry,
  SoftwareModulesService,
} from "@cpekit/core";
import { Effect, Either, type Scope } from "effect";
import { makeQuecPythonDiagnostics } from "../diagnostics/quecpython-diagnostics.js";
import { type QuectelHandlerTable, quectelHandlers } from "../handlers/quectel-handlers.js";
import { BridgeLink } from "../link/bridge-link.js";
import type { JsonValue } from "../link/messages.js";
import { SimulatedModule, type SimulatedModuleOptions } from "../simulator/simulated-module.js";
import { makeQuecPythonSoftwareModules } from "../software/quecpython-software-modules.js";
import { makeBridgeDeviceActions } from "./bridge-actions.js";
import { makeBridgeProvider } from "./bridge-provider.js";
import { makeDownloadUrlBook } from "./download-url-book.js";
import { type ModuleEndpoint, moduleConnection, parseTcpTarget } from "./module-connection.js";
import { QuecPythonDeviceError } from "./quecpython-device-error.js";
import { decodeQuecPythonOptions, type QuecPythonProfileOptions } from "./quecpython-options.js";
import { quecPythonInitialValues, quecPythonInstances } from "./tr181-mapping.js";

/** Options of {@link makeQuecPythonDevice}: the profile's plugin options, plus programmatic ones. */
export interface QuecPythonDeviceOptions extends QuecPythonProfileOptions {
  /** An already running simulated module to drive (tests); implies `simulate`. */
  readonly simulator?: SimulatedModule;
  /** Options of the simulator started for `simulate: true`. */
  readonly simulatorOptions?: SimulatedModuleOptions;
  /** `DeviceInfo.SerialNumber` and the DeviceId's serial number; the IMEI when omitted. */
  readonly serialNumber?: string;
}

/** What the module says about itself at start-up. */
export interface ModuleIdentity {
  readonly imei: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly softwareVersion: string;
}

/** A QuecPython device, ready to be given to an agent. */
export interface QuecPythonDevice {
  readonly link: BridgeLink;
  /** The simulated module, when the device runs one. */
  readonly simulator: SimulatedModule | undefined;
  readonly identity: ModuleIdentity;
  /**
   * The DeviceId: the profile's OUI and ProductClass (the model when empty), the module's
   * manufacturer and, as serial number, the configured one or the IMEI.
   */
  readonly deviceId: (profile: Partial<DeviceIdStruct>) => DeviceIdStruct;
  /** The TR-181 provider; list it BEFORE other providers of the same paths (the first wins). */
  readonly provider: ParameterProvider;
  readonly deviceActions: DeviceActionsService;
  /** Wraps the host's FileTransfer so firmware and file installs know their URL. */
  readonly fileTransfer: (base: FileTransferService) => FileTransferService;
  /**
   * The SoftwareModules port: QuecPython apps under `/usr/apps` on the module, one execution
   * environment `QuecPython` (ChangeDUState, `Device.SoftwareModules.`).
   */
  readonly softwareModules: SoftwareModulesService;
  /**
   * The Diagnostics port: IPPing on the module (`uping`); the other tests from `base` (the
   * host's), or `Error_Other` without it.
   */
  readonly diagnostics: (base?: DiagnosticsService) => DiagnosticsService;
  /** Initial instances and values to merge into the data model's `initial`. */
  readonly initial: {
    readonly instances: Readonly<Record<string, readonly number[]>>;
    readonly values: Readonly<Record<string, string>>;
  };
  /** The Quectel-style handler table over an agent's registry. */
  readonly handlers: (registry: RpcRegistry) => QuectelHandlerTable;
}

const stringOf = (v: JsonValue | undefined): string =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : "";

const endpointOf = (
  options: QuecPythonDeviceOptions,
): Effect.Effect<ModuleEndpoint, QuecPythonDeviceError, Scope.Scope> => {
  const given = options.simulator;
  if (given !== undefined) return Effect.succeed({ kind: "simulated", module: given });
  if (options.simulate === true)
    return Effect.map(
      Effect.acquireRelease(
        Effect.tryPromise({
          try: () => SimulatedModule.start(options.simulatorOptions),
          catch: (cause) =>
            new QuecPythonDeviceError({
              reason: "ConnectFailed",
              detail: `simulator: ${cause instanceof Error ? cause.message : String(cause)}`,
              cause,
            }),
        }),
        (sim) => Effect.sync(() => sim.close()),
      ),
      (module): ModuleEndpoint => ({ kind: "simulated", module }),
    );
  if (options.tcp !== undefined) {
    const target = parseTcpTarget(options.tcp);
    return target === undefined
      ? Effect.fail(
          new QuecPythonDeviceError({ reason: "BadOptions", detail: `tcp: "${options.tcp}"` }),
        )
      : Effect.succeed({ kind: "tcp", ...target });
  }
  return Effect.succeed({
    kind: "serial",
    port: options.port ?? "auto",
    deploy: options.deploy ?? true,
  });
};

/**
 * Opens the module's link and assembles the device. `options` may be the profile's raw
 * `plugin.options` object (checked here) with programmatic fields added.
 */
export const makeQuecPythonDevice = (
  options: QuecPythonDeviceOptions,
): Effect.Effect<QuecPythonDevice, QuecPythonDeviceError, Scope.Scope> =>
  Effect.gen(function* () {
    const { simulator, simulatorOptions, serialNumber, ...profileOptions } = options;
    if (simulator === undefined) {
      const checked = decodeQuecPythonOptions(profileOptions);
      if (Either.isLeft(checked)) return yield* checked.left;
    }
    const endpoint = yield* endpointOf(options);
    const connection = moduleConnection(endpoint);
    const link = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          BridgeLink.connect({
            open: connection.open,
            reconnect: { initialDelayMs: 20, maxDelayMs: 5000 },
            ...(options.requestTimeoutMs === undefined
              ? {}
              : { requestTimeoutMs: options.requestTimeoutMs }),
          }),
        catch: (cause) =>
          cause instanceof QuecPythonDeviceError
            ? cause
            : new QuecPythonDeviceError({
                reason: "ConnectFailed",
                detail: `${connection.describe}: ${cause instanceof Error ? cause.message : String(cause)}`,
                cause,
              }),
      }),
      (l) => Effect.promise(() => l.close()),
    );
    const values = yield* Effect.tryPromise({
      try: () => link.get(["imei", "manufacturer", "model", "fwVersion"]).then((r) => r.v),
      catch: (cause) =>
        new QuecPythonDeviceError({
          reason: "ConnectFailed",
          detail: `the bridge did not answer on ${connection.describe}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        }),
    });
    const identity: ModuleIdentity = {
      imei: stringOf(values.imei),
      manufacturer: stringOf(values.manufacturer),
      model: stringOf(values.model),
      softwareVersion: stringOf(values.fwVersion),
    };
    if (identity.imei === "" && serialNumber === undefined)
      return yield* new QuecPythonDeviceError({
        reason: "IdentityUnreadable",
        detail: "the module did not give its IMEI (modem.getDevImei)",
      });
    const manufacturerOui = options.manufacturerOui ?? "";
    const urls = makeDownloadUrlBook();
    return {
      link,
      simulator: endpoint.kind === "simulated" ? endpoint.module : undefined,
      identity,
      deviceId: (profile) => ({
        manufacturer: identity.manufacturer || profile.manufacturer || "Quectel",
        oui: profile.oui || manufacturerOui,
        productClass: profile.productClass || identity.model,
        serialNumber: serialNumber ?? identity.imei,
      }),
      provider: makeBridgeProvider(link, {
        manufacturerOui,
        ...(serialNumber === undefined ? {} : { serialNumber }),
        ...(options.requestTimeoutMs === undefined
          ? {}
          : { requestTimeoutMs: options.requestTimeoutMs }),
        ...(options.restartTimeoutMs === undefined
          ? {}
          : { reconnectWaitMs: options.restartTimeoutMs }),
      }),
      deviceActions: makeBridgeDeviceActions(link, {
        urls,
        ...(options.factoryReset === undefined ? {} : { factoryReset: options.factoryReset }),
        ...(options.restartTimeoutMs === undefined
          ? {}
          : { restartTimeoutMs: options.restartTimeoutMs }),
        ...(options.downloadTimeoutSeconds === undefined
          ? {}
          : { downloadTimeoutSeconds: options.downloadTimeoutSeconds }),
      }),
      fileTransfer: urls.wrap,
      softwareModules: makeQuecPythonSoftwareModules(link, {
        ...(options.restartTimeoutMs === undefined
          ? {}
          : { reconnectWaitMs: options.restartTimeoutMs }),
      }),
      diagnostics: (base) => makeQuecPythonDiagnostics(link, base === undefined ? {} : { base }),
      initial: { instances: quecPythonInstances, values: quecPythonInitialValues },
      handlers: quectelHandlers,
    };
  });
