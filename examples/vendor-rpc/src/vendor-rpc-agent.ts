/**
 * An agent with a vendor RPC and an allow-list of methods.
 *
 * Every agent has an RPC registry (`agent.rpc`): a table from method name to handler that is
 * both the dispatcher and the GetRPCMethods answer. `register` adds a method (or replaces a
 * built-in), `unregister` removes one (its requests are then answered with fault 9000, "method
 * not supported"), and `allowOnly` keeps the listed methods and drops the rest.
 * @module
 */
import {
  type Agent,
  type AgentError,
  DeviceActions,
  type DeviceIdStruct,
  makeAgent,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { AcsClient, HttpFileTransfer, JsonFileStore } from "@cpekit/transport-http";
import { Effect, Layer, type Scope } from "effect";
import { PING_METHOD, pingHandler } from "./ping-handler.js";

/** A read-mostly CPE: the ACS may read the data model and ping, nothing else. */
export const ALLOWED_METHODS: readonly string[] = [
  "GetRPCMethods",
  "GetParameterNames",
  "GetParameterValues",
  "GetParameterAttributes",
  PING_METHOD,
];

/** Where the agent reports to and keeps its state. */
export interface VendorRpcAgentOptions {
  /** The ACS URL (`http://acs.example.net:7547/acs`). */
  readonly acsUrl: string;
  /** The JSON file that keeps the device's state across restarts. */
  readonly storePath: string;
  /** Leave every built-in method in place (false: apply {@link ALLOWED_METHODS}). */
  readonly allMethods?: boolean;
}

/** The device this example pretends to be. */
export const deviceId: DeviceIdStruct = {
  manufacturer: "ACME",
  oui: "00ACE0",
  productClass: "PingBox",
  serialNumber: "PB-0001",
};

/** Adds `X_ACME_Ping` to an agent's registry (it shows up in GetRPCMethods at once). */
export const enablePing = (agent: Agent): void => agent.rpc.register(PING_METHOD, pingHandler);

/** Removes `X_ACME_Ping`: the next X_ACME_Ping is answered with fault 9000. */
export const disablePing = (agent: Agent): boolean => agent.rpc.unregister(PING_METHOD);

/** Starts the agent for the life of the scope; it informs at once (`0 BOOTSTRAP`, `1 BOOT`). */
export const startVendorRpcAgent = (
  options: VendorRpcAgentOptions,
): Effect.Effect<Agent, AgentError, Scope.Scope> =>
  Effect.gen(function* () {
    const agent = yield* makeAgent({
      deviceId,
      acs: { url: options.acsUrl },
      dataModel: {
        schema: selectProfile(loadDevice2Schema(), "cellular-module"),
        initial: {
          values: {
            "Device.DeviceInfo.SoftwareVersion": "1.0.0",
            // No periodic Informs: this example talks when the ACS asks it to.
            "Device.ManagementServer.PeriodicInformEnable": "false",
          },
        },
      },
    });
    // Registered before the first ACS request can arrive: the boot session is still at its
    // Inform when makeAgent returns.
    enablePing(agent);
    if (options.allMethods !== true) agent.rpc.allowOnly(ALLOWED_METHODS);
    return agent;
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        JsonFileStore.layer(options.storePath),
        AcsClient.layer(),
        HttpFileTransfer.layer(),
        // This device cannot reboot or install anything; Reboot and Download are not allowed.
        Layer.succeed(DeviceActions, {
          reboot: Effect.void,
          factoryReset: Effect.void,
          applyFirmware: () => Effect.void,
          applyConfig: () => Effect.void,
        }),
      ),
    ),
  );
