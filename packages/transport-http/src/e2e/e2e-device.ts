/**
 * Test support for the end-to-end tests: a cpekit agent on the real HTTP stack (undici ACS
 * client, node:http Connection Request server on 127.0.0.1, undici file transfer, a JSON file
 * store in a temporary directory) with a TR-181 Device:2 "cellular-module" schema, facing the
 * `@cpekit/acs-testkit` ACS. Everything lives in the scope it is made in.
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HttpAuthOptions, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import {
  type AcsEndpoint,
  type Agent,
  type AgentError,
  ConnectionRequests,
  type ConnectionRequestsService,
  DeviceActions,
  type DeviceIdStruct,
  type DownloadedFile,
  makeAgent,
  makeConnectionRequestCredentialsSource,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { Context, Effect, ExecutionStrategy, Exit, Layer, Ref, Scope } from "effect";
import * as AcsClient from "../acs-client.js";
import * as ConnectionRequestServer from "../connection-request-server.js";
import * as HttpFileTransfer from "../file-transfer.js";
import * as JsonFileStore from "../json-file-store.js";

/** The DeviceId of the device under test. */
export const e2eDeviceId: DeviceIdStruct = {
  manufacturer: "cpekit",
  oui: "A1B2C3",
  productClass: "CellModule",
  serialNumber: "E2E-1",
};

/** Its device key at the test ACS (`OUI-ProductClass-SerialNumber`). */
export const e2eDeviceKey = "A1B2C3-CellModule-E2E-1";

/** The factory Connection Request credentials. */
export const crUser = "cr-user";
export const crPassword = "cr-pass";

const schema = selectProfile(loadDevice2Schema(), "cellular-module");
const MS = "Device.ManagementServer.";

/** Factory values: identity, and timing that keeps the agent quiet between test steps. */
const factoryValues: Readonly<Record<string, string>> = {
  "Device.RootDataModelVersion": "2.17",
  "Device.DeviceInfo.Manufacturer": e2eDeviceId.manufacturer,
  "Device.DeviceInfo.ManufacturerOUI": e2eDeviceId.oui,
  "Device.DeviceInfo.ProductClass": e2eDeviceId.productClass,
  "Device.DeviceInfo.SerialNumber": e2eDeviceId.serialNumber,
  "Device.DeviceInfo.HardwareVersion": "hw-e2e",
  "Device.DeviceInfo.SoftwareVersion": "1.2.3",
  [`${MS}PeriodicInformEnable`]: "false",
  [`${MS}PeriodicInformInterval`]: "3600",
  [`${MS}CWMPRetryMinimumWaitInterval`]: "5",
  [`${MS}CWMPRetryIntervalMultiplier`]: "2000",
  [`${MS}ConnectionRequestUsername`]: crUser,
  [`${MS}ConnectionRequestPassword`]: crPassword,
};

/** The test world: the ACS, the device's Connection Request server and store, its lives. */
export interface E2eWorld {
  readonly acs: TestAcsApi;
  readonly connectionRequests: ConnectionRequestsService;
  /** Files the device was asked to install. */
  readonly installed: Ref.Ref<readonly DownloadedFile[]>;
  /**
   * Starts one life of the agent over the same store, in its own scope (returned; closing it
   * powers the device off). The world's scope closes every life still running.
   */
  readonly startAgent: Effect.Effect<
    { readonly agent: Agent; readonly scope: Scope.CloseableScope },
    AgentError
  >;
}

/** Variations of the world. */
export interface E2eWorldOptions {
  /** The test ACS authenticates the CPE with these. */
  readonly acsAuth?: HttpAuthOptions;
  /** The ACS credentials configured for the agent (`AgentOptions.acs`). */
  readonly acsCredentials?: Pick<AcsEndpoint, "username" | "password">;
  /** Factory values added to (or replacing) the defaults. */
  readonly values?: Readonly<Record<string, string>>;
}

/**
 * Starts the test ACS, a temporary store directory and the Connection Request server (which
 * outlives the agent's restarts, so its URL stays the same) in the current scope.
 */
export const makeE2eWorld = (
  options: E2eWorldOptions = {},
): Effect.Effect<E2eWorld, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const acs = yield* makeTestAcs({
      sessionTimeoutMs: 10_000,
      ...(options.acsAuth === undefined ? {} : { auth: options.acsAuth }),
    });
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "cpekit-e2e-"))),
      (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
    );
    const credentials = yield* makeConnectionRequestCredentialsSource({
      username: crUser,
      password: crPassword,
    });
    const crContext = yield* Layer.build(
      ConnectionRequestServer.layer({
        credentials: credentials.credentials,
        host: "127.0.0.1",
        port: 0,
      }),
    );
    const installed = yield* Ref.make<readonly DownloadedFile[]>([]);
    const record = (f: DownloadedFile) => Ref.update(installed, (l) => [...l, f]);
    const layer = Layer.mergeAll(
      JsonFileStore.layer(join(dir, "device.json")),
      AcsClient.layer({ requestTimeout: "5 seconds" }),
      HttpFileTransfer.layer(),
      Layer.succeedContext(crContext),
      // The agent stops itself after a Reboot; the test starts the next life.
      Layer.succeed(DeviceActions, {
        reboot: Effect.void,
        factoryReset: Effect.void,
        applyFirmware: record,
        applyConfig: record,
      }),
    );
    const world = yield* Effect.scope;
    const startAgent = Effect.gen(function* () {
      const scope = yield* Scope.fork(world, ExecutionStrategy.sequential);
      const agent = yield* Scope.extend(
        makeAgent({
          deviceId: e2eDeviceId,
          acs: { url: acs.url, ...options.acsCredentials },
          dataModel: { schema, initial: { values: { ...factoryValues, ...options.values } } },
          connectionRequestCredentials: credentials,
        }).pipe(Effect.provide(layer)),
        scope,
      ).pipe(Effect.tapError(() => Scope.close(scope, Exit.void)));
      return { agent, scope };
    });
    return {
      acs,
      connectionRequests: Context.get(crContext, ConnectionRequests),
      installed,
      startAgent,
    };
  });
