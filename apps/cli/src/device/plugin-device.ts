/**
 * The device behind the agent, as its plugin provides it: the DeviceId, the providers of the
 * values that live on the device, the device actions, a wrapper of the file transfer, and the
 * data model's initial state. `generic` is a device whose whole state is the store;
 * `quecpython` opens the link to a QuecPython module's bridge (serial, TCP or simulated) through
 * `@cpekit/plugin-quecpython`; any other name is a plugin module (`module-plugin.ts`), imported
 * and opened through the `DevicePlugin` contract. The device stays open across agent restarts
 * (a reboot restarts the agent, not the link) and closes with the scope.
 * @module
 */
import type {
  CpeRequests,
  DeviceActionsService,
  DeviceIdStruct,
  DiagnosticsService,
  FileTransferService,
  ParameterProvider,
  SoftwareModulesService,
} from "@cpekit/core";
import { Effect, type Scope } from "effect";
import { hostDiagnostics } from "../diagnostics/host-diagnostics.js";
import { DeviceError } from "./device-error.js";
import type { DeviceEventSink } from "./device-event.js";
import type { DeviceSpec } from "./device-spec.js";
import { genericDeviceActions } from "./generic-device-actions.js";
import { genericSoftwareModulesOf } from "./generic-software-modules-of.js";
import { openModulePlugin } from "./module-plugin.js";
import { pluginCpeRequests } from "./plugin-cpe-requests.js";

/** What a plugin gives the agent. */
export interface PluginDevice {
  readonly deviceId: DeviceIdStruct;
  /** Providers of device-side values, in priority order. */
  readonly providers: readonly ParameterProvider[];
  readonly deviceActions: DeviceActionsService;
  readonly fileTransfer: (base: FileTransferService) => FileTransferService;
  /** The data model's state for a device with nothing stored yet. */
  readonly initial: {
    readonly values: Readonly<Record<string, string>>;
    readonly instances: Readonly<Record<string, readonly number[]>>;
  };
  /** A short description for logs (`generic`, `QuecPython EC200U IMEI ...`). */
  readonly description: string;
  /** The device's IP diagnostics (TR-181 `Device.IP.Diagnostics.`), when it runs them. */
  readonly diagnostics?: DiagnosticsService;
  /** The device's software modules (ChangeDUState, `Device.SoftwareModules.`), when it has them. */
  readonly softwareModules?: SoftwareModulesService;
  /** Given each agent that starts, so the device can make CPE-initiated RPCs. */
  readonly attach?: (agent: {
    readonly cpeRequests: CpeRequests;
  }) => Effect.Effect<void, DeviceError>;
}

/** Opens the device of `spec`'s plugin for the life of the scope. */
export const openPluginDevice = (
  spec: DeviceSpec,
  sink: DeviceEventSink,
): Effect.Effect<PluginDevice, DeviceError, Scope.Scope> => {
  if (spec.plugin === "generic")
    return Effect.map(genericSoftwareModulesOf(spec), (softwareModules) => ({
      deviceId: spec.deviceId,
      providers: [],
      deviceActions: genericDeviceActions(sink),
      fileTransfer: (base) => base,
      initial: { values: spec.values, instances: spec.instances },
      description: "generic device (state in the store)",
      // IPPing, TraceRoute, Download/UploadDiagnostics run on this host (Node only).
      diagnostics: hostDiagnostics(),
      // DUs of ChangeDUState kept in a directory beside the store.
      softwareModules,
    }));
  if (spec.plugin === "module" && spec.pluginModule !== undefined)
    return openModulePluginDevice(spec, spec.pluginModule);
  return Effect.gen(function* () {
    // Loaded on use: a generic device needs none of the QuecPython plugin's device code.
    const { makeQuecPythonDevice } = yield* Effect.promise(
      () => import("@cpekit/plugin-quecpython"),
    );
    const module = yield* Effect.mapError(
      makeQuecPythonDevice({
        ...spec.pluginOptions,
        ...(spec.deviceId.serialNumber === "" ? {} : { serialNumber: spec.deviceId.serialNumber }),
      }),
      (e) => new DeviceError({ reason: "PluginFailed", detail: e.message, cause: e }),
    );
    const deviceId = module.deviceId(spec.deviceId);
    return {
      deviceId,
      providers: [module.provider],
      deviceActions: module.deviceActions,
      fileTransfer: module.fileTransfer,
      initial: {
        // The profile's values win; the DeviceInfo values it implies are the module's anyway.
        values: { ...module.initial.values, ...spec.values },
        instances: { ...module.initial.instances, ...spec.instances },
      },
      description: `QuecPython ${module.identity.model} (IMEI ${module.identity.imei}, firmware ${module.identity.softwareVersion})${module.simulator === undefined ? "" : ", simulated"}`,
      // IPPing runs on the module (uping); TraceRoute and Download/Upload on this host.
      diagnostics: module.diagnostics(hostDiagnostics()),
      // Deployment units are QuecPython apps under /usr/apps on the module.
      softwareModules: module.softwareModules,
    };
  });
};

/** The device of a plugin loaded from `file` (a profile's `plugin.name` naming a module). */
const openModulePluginDevice = (
  spec: DeviceSpec,
  file: string,
): Effect.Effect<PluginDevice, DeviceError, Scope.Scope> =>
  Effect.map(
    openModulePlugin(file, {
      deviceId: spec.deviceId,
      options: spec.pluginOptions ?? {},
      schema: spec.schema,
    }),
    ({ pluginName, deviceId, device }) => {
      // The DeviceInfo values the profile implies follow the DeviceId the plugin settled.
      const info = `${spec.schema.root}.DeviceInfo.`;
      const identity: Record<string, string> = {
        [`${info}Manufacturer`]: deviceId.manufacturer,
        [`${info}ManufacturerOUI`]: deviceId.oui,
        [`${info}ProductClass`]: deviceId.productClass,
        [`${info}SerialNumber`]: deviceId.serialNumber,
      };
      const values = { ...device.initialValues, ...spec.values };
      for (const [name, value] of Object.entries(identity))
        if (name in values) values[name] = value;
      return {
        deviceId,
        providers: device.providers ?? [],
        deviceActions: device.deviceActions,
        fileTransfer: (base) => base,
        initial: { values, instances: { ...device.initialInstances, ...spec.instances } },
        description: `${pluginName} plugin${device.description === undefined ? "" : `: ${device.description}`}`,
        ...(device.diagnostics === undefined ? {} : { diagnostics: device.diagnostics }),
        ...(device.softwareModules === undefined
          ? {}
          : { softwareModules: device.softwareModules }),
        ...(device.attach === undefined
          ? {}
          : {
              attach: (agent: { readonly cpeRequests: CpeRequests }) =>
                Effect.tryPromise({
                  try: async () =>
                    device.attach?.({ cpeRequests: pluginCpeRequests(agent.cpeRequests) }),
                  catch: (e) =>
                    new DeviceError({
                      reason: "PluginFailed",
                      detail: `plugin ${pluginName} attach failed: ${String(e)}`,
                      cause: e,
                    }),
                }),
            }),
      };
    },
  );
