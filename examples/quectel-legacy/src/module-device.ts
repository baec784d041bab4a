/**
 * What both agents of this example share: the device (a Quectel EC200U whose serial number is
 * its IMEI, as in Quectel's client), its TR-181 data model with a few cellular values, and the
 * host side of cpekit (the state file, the ACS client, the file transfer, the
 * connection-request listener).
 * @module
 */
import {
  type AcsTransport,
  type ConnectionRequestCredentialsSource,
  type ConnectionRequests,
  DeviceActions,
  type DeviceIdStruct,
  type FileTransfer,
  makeConnectionRequestCredentialsSource,
  type Store,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import {
  AcsClient,
  ConnectionRequestServer,
  HttpFileTransfer,
  JsonFileStore,
} from "@cpekit/transport-http";
import { Effect, Layer, type Scope } from "effect";

/** The module, as its Inform names it. */
export const deviceId: DeviceIdStruct = {
  manufacturer: "Quectel",
  oui: "00CAFE",
  productClass: "EC200U",
  serialNumber: "863141050702530", // the IMEI
};

/** The data model: TR-181 Device:2, cellular-module profile. */
export const schema = selectProfile(loadDevice2Schema(), "cellular-module");

/** The connection-request credentials the ACS uses (Quectel's listener had none). */
export const connectionRequestCredentials = { username: "acs", password: "cr-secret" };

/** Factory values: the cellular interface with a signal to report. */
export const factoryValues: Readonly<Record<string, string>> = {
  "Device.DeviceInfo.SoftwareVersion": "EC200UCNAAR03A01M08",
  "Device.Cellular.Interface.1.RSRP": "-95",
  "Device.Cellular.Interface.1.RSRQ": "-11",
  "Device.ManagementServer.PeriodicInformEnable": "false",
  "Device.ManagementServer.ConnectionRequestUsername": connectionRequestCredentials.username,
  "Device.ManagementServer.ConnectionRequestPassword": connectionRequestCredentials.password,
};

/** Instances that exist from the start. */
export const factoryInstances: Readonly<Record<string, readonly number[]>> = {
  "Device.Cellular.Interface.": [1],
};

/** Where the host side listens and keeps state. */
export interface HostSideOptions {
  readonly storePath: string;
  /** The connection-request listener (Quectel's `server_ip` / `server_port`). */
  readonly listen: { readonly host: string; readonly port: number };
}

/** The host side as Effect services, and the credentials the listener checks. */
export const hostSide = (
  options: HostSideOptions,
): Effect.Effect<
  {
    readonly layer: Layer.Layer<
      Store | AcsTransport | FileTransfer | DeviceActions | ConnectionRequests
    >;
    readonly credentials: ConnectionRequestCredentialsSource;
  },
  unknown,
  Scope.Scope
> =>
  Effect.gen(function* () {
    const credentials = yield* makeConnectionRequestCredentialsSource(connectionRequestCredentials);
    // Built once, so the listener keeps its port for the life of the scope.
    const listener = yield* Layer.build(
      ConnectionRequestServer.layer({ credentials: credentials.credentials, ...options.listen }),
    );
    const layer = Layer.mergeAll(
      JsonFileStore.layer(options.storePath),
      AcsClient.layer(),
      HttpFileTransfer.layer(),
      Layer.succeedContext(listener),
      // A module that reboots when asked; nothing else to do in this example.
      Layer.succeed(DeviceActions, {
        reboot: Effect.void,
        factoryReset: Effect.void,
        applyFirmware: () => Effect.void,
        applyConfig: () => Effect.void,
      }),
    );
    return { layer, credentials };
  });
