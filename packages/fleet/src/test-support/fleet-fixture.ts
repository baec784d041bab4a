/**
 * Test support: a fleet of generic TR-181 "cellular-module" devices (serials `FLT000000`, ...,
 * in-memory stores kept per serial across fleet restarts) facing an acs-testkit ACS.
 * @module
 */
import {
  type AcsTransportService,
  compileSchema,
  type FileTransferService,
  makeMemoryStore,
  type StoreService,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { Effect, Either } from "effect";
import type { FleetOptions } from "../fleet.js";
import type { FleetDeviceSpec } from "../fleet-device.js";
import { periodicInformTimeFor } from "../periodic-phase.js";
import { compileSerialTemplate } from "../serial-template.js";

const schema = compileSchema(selectProfile(loadDevice2Schema(), "cellular-module"));
const MS = "Device.ManagementServer.";

/** Factory ConnectionRequestPassword of device `index` (each device has its own). */
export const crPasswordOf = (index: number) => `cr-pass-${index}`;
export const crUser = "cr-user";
export const oui = "A1B2C3";
export const productClass = "FleetBox";

/** The device key the test ACS files device `serial` under. */
export const deviceKeyOfSerial = (serial: string) => `${oui}-${productClass}-${serial}`;

/** No file transfer in these tests. */
const noFiles: FileTransferService = {
  download: () => Effect.die("no downloads in fleet tests"),
  upload: () => Effect.die("no uploads in fleet tests"),
};

/** Stores that outlive a fleet (a restarted fleet finds its devices' state). */
export const memoryStores = () => {
  const stores = new Map<string, StoreService>();
  return {
    stores,
    open: (spec: FleetDeviceSpec) =>
      Effect.gen(function* () {
        const serial = spec.deviceId.serialNumber;
        const existing = stores.get(serial);
        if (existing) return existing;
        const created = yield* makeMemoryStore();
        stores.set(serial, created);
        return created as StoreService;
      }),
  };
};

/** What a fixture fleet varies. */
export interface FixtureOptions {
  readonly count: number;
  readonly acsUrl: string;
  readonly transport: AcsTransportService;
  readonly store: FleetOptions["store"];
  readonly periodic?: { readonly enable: boolean; readonly intervalSeconds: number };
}

/** Fleet options for the fixture devices (the caller adds ramp, shard, port settings). */
export const fixtureFleet = (
  o: FixtureOptions,
): Omit<FleetOptions, "connectionRequests" | "ramp" | "shard"> => {
  const serialOf = Either.getOrThrow(compileSerialTemplate("FLT{index:06}", o.count));
  const interval = o.periodic?.intervalSeconds ?? 3600;
  const spec = (index: number): FleetDeviceSpec => {
    const serial = serialOf(index);
    return {
      index,
      deviceId: { manufacturer: "cpekit", oui, productClass, serialNumber: serial },
      acs: { url: o.acsUrl },
      connectionRequest: { username: crUser, password: crPasswordOf(index) },
      values: {
        "Device.DeviceInfo.Manufacturer": "cpekit",
        "Device.DeviceInfo.ManufacturerOUI": oui,
        "Device.DeviceInfo.ProductClass": productClass,
        "Device.DeviceInfo.SerialNumber": serial,
        "Device.DeviceInfo.SoftwareVersion": "1.0.0",
        [`${MS}URL`]: o.acsUrl,
        [`${MS}PeriodicInformEnable`]: String(o.periodic?.enable ?? false),
        [`${MS}PeriodicInformInterval`]: String(interval),
        [`${MS}PeriodicInformTime`]: periodicInformTimeFor(index, o.count, interval),
        [`${MS}ConnectionRequestUsername`]: crUser,
        [`${MS}ConnectionRequestPassword`]: crPasswordOf(index),
      },
    };
  };
  return {
    count: o.count,
    spec,
    store: o.store,
    schema,
    managementServerPrefix: MS,
    transport: o.transport,
    fileTransfer: noFiles,
    pollIntervalSeconds: 0,
  };
};
