/**
 * An agent whose data model serves live host values through {@link hostParameterProvider}.
 * The schema is TR-181 Device:2 cut down to DeviceInfo, ManagementServer and IP.Interface.
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
import {
  type HostProviderOptions,
  hostParameterProvider,
  hostProviderInstances,
} from "./host-provider.js";

/** Where the agent reports to and keeps its state, and how the provider reads the host. */
export interface HostAgentOptions {
  /** The ACS URL (`http://acs.example.net:7547/acs`). */
  readonly acsUrl: string;
  /** The JSON file that keeps the device's state across restarts. */
  readonly storePath: string;
  readonly host?: HostProviderOptions;
}

/** The device this example informs as. */
export const deviceId: DeviceIdStruct = {
  manufacturer: "ACME",
  oui: "00ACE0",
  productClass: "LinuxHost",
  serialNumber: "HOST-0001",
};

/** The data model: only what this device implements. */
export const hostSchema = selectProfile(loadDevice2Schema(), [
  "Device.DeviceInfo.",
  "Device.ManagementServer.",
  "Device.IP.Interface.",
]);

/** Starts the agent for the life of the scope; it informs at once. */
export const startHostAgent = (
  options: HostAgentOptions,
): Effect.Effect<Agent, AgentError, Scope.Scope> =>
  makeAgent({
    deviceId,
    acs: { url: options.acsUrl },
    dataModel: {
      schema: hostSchema,
      // Providers come first: what they serve is never read from the store.
      providers: [hostParameterProvider(options.host)],
      initial: {
        values: { "Device.ManagementServer.PeriodicInformEnable": "false" },
        instances: hostProviderInstances,
      },
    },
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        JsonFileStore.layer(options.storePath),
        AcsClient.layer(),
        HttpFileTransfer.layer(),
        Layer.succeed(DeviceActions, {
          reboot: Effect.void,
          factoryReset: Effect.void,
          applyFirmware: () => Effect.void,
          applyConfig: () => Effect.void,
        }),
      ),
    ),
  );
