/**
 * A device under test that runs inside a fleet: the conformance suite drives device 1 of a
 * three-device `makeFleet` (`@cpekit/fleet`) that shares one connection-request port, one
 * runtime, one schema and one ACS transport. Its neighbours point at a closed port on loopback
 * (their sessions fail and back off), so the scenario's ACS sees the device under test only,
 * while the fleet around it stays busy. Reboot and FactoryReset are the fleet's own restarts;
 * `restart` is the fleet's power cycle of that one device.
 * @module
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import {
  type DeviceUnderTest,
  DeviceUnderTestError,
  type RunningDevice,
} from "@cpekit/acs-testkit";
import { compileSchema, makeMemoryStore } from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { type FleetDeviceSpec, makeFleet } from "@cpekit/fleet";
import { AcsClient, HttpFileTransfer, JsonFileStore } from "@cpekit/transport-http";
import { Effect, Exit, Option, Ref, Scope } from "effect";
import { runtimeProvider } from "../device/runtime-provider.js";
import { requestThroughAgent } from "./cpe-request-trigger.js";
import { makeDeviceSideValues } from "./device-side-values.js";

const root = "Device.";
const oui = "00CAFE";
const productClass = "FleetConformance";
const UNDER_TEST = 1;
const DEVICES = 3;

const deviceSideInitial = {
  "Device.DeviceInfo.SoftwareVersion": "1.0.0",
  "Device.DeviceInfo.Description": "cpekit conformance device in a fleet",
};

const startFailed = (e: unknown) =>
  new DeviceUnderTestError({
    reason: "StartFailed",
    detail: e instanceof Error ? e.message : String(e),
    cause: e,
  });

/** A free TCP port on loopback (the fleet's port must be known before its devices' values). */
const freePort = Effect.async<number, DeviceUnderTestError>((resume) => {
  const server = createServer();
  server.once("error", (e) => resume(Effect.fail(startFailed(e))));
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    server.close(() => resume(Effect.succeed(port)));
  });
});

/** Device 1 of a three-device fleet as a {@link DeviceUnderTest}. */
export const fleetDevice: DeviceUnderTest = {
  name: "cpekit agent inside a 3-device fleet (@cpekit/fleet), TR-181 Device:2.17 cellular-module profile",
  start: (options) =>
    Effect.gen(function* () {
      const schema = selectProfile(loadDevice2Schema(), "cellular-module");
      const run = randomBytes(3).toString("hex").toUpperCase();
      const serialOf = (index: number) => `F${run}${index}`;
      const serial = serialOf(UNDER_TEST);
      const credentials = { username: `cr-${serial}`, password: randomBytes(8).toString("hex") };
      const port = yield* freePort;
      const crUrl = `http://127.0.0.1:${port}/cr/${serial}`;
      const side = yield* makeDeviceSideValues({
        root,
        connectionRequestUrl: crUrl,
        initial: deviceSideInitial,
      });
      const reboots = yield* Ref.make(0);
      const scope = yield* Scope.make();
      const spec = (index: number): FleetDeviceSpec => {
        const s = serialOf(index);
        // Neighbours inform a closed port: their sessions fail, never reaching the scenario's ACS.
        const acsUrl = index === UNDER_TEST ? options.acsUrl : "http://127.0.0.1:9/acs";
        const values: Record<string, string> = {
          "Device.RootDataModelVersion": "2.17",
          "Device.DeviceInfo.Manufacturer": "cpekit",
          "Device.DeviceInfo.ManufacturerOUI": oui,
          "Device.DeviceInfo.ModelName": "conformance",
          "Device.DeviceInfo.ProductClass": productClass,
          "Device.DeviceInfo.SerialNumber": s,
          "Device.DeviceInfo.HardwareVersion": "1.0",
          "Device.ManagementServer.URL": acsUrl,
          "Device.ManagementServer.ConnectionRequestUsername": credentials.username,
          "Device.ManagementServer.ConnectionRequestPassword": credentials.password,
          "Device.ManagementServer.PeriodicInformEnable": "false",
          ...(index === UNDER_TEST ? options.settings : {}),
        };
        return {
          index,
          deviceId: { manufacturer: "cpekit", oui, productClass, serialNumber: s },
          acs: {
            url: acsUrl,
            username: values["Device.ManagementServer.Username"] ?? "",
            password: values["Device.ManagementServer.Password"] ?? "",
          },
          connectionRequest: credentials,
          values,
        };
      };
      const fleet = yield* Scope.extend(
        makeFleet({
          count: DEVICES,
          spec,
          store: (s) =>
            s.index === UNDER_TEST ? JsonFileStore.make(options.storePath) : makeMemoryStore(),
          schema: compileSchema(schema),
          managementServerPrefix: `${root}ManagementServer.`,
          transport: AcsClient.make({ requestTimeout: "10 seconds" }),
          fileTransfer: HttpFileTransfer.make(),
          providers: (s, startedAt) =>
            s.index === UNDER_TEST
              ? [side.provider, runtimeProvider(schema, startedAt)]
              : [runtimeProvider(schema, startedAt)],
          transfers: {
            uploadFile: (fileType) =>
              Effect.succeed({
                bytes: new TextEncoder().encode(`<config serial="${serial}" type="${fileType}"/>`),
                contentType: "text/xml",
              }),
          },
          connectionRequests: { host: "127.0.0.1", port },
          onEvent: (event) => {
            if (event.type === "restarting" && event.serial === serial)
              Effect.runSync(Ref.update(reboots, (n) => n + 1));
          },
        }),
        scope,
      ).pipe(
        Effect.mapError(startFailed),
        Effect.onError(() => Scope.close(scope, Exit.void)),
      );
      yield* fleet.booted;
      const device = fleet.devices.find((d) => d.serial === serial);
      if (device === undefined) {
        yield* Scope.close(scope, Exit.void);
        return yield* startFailed(new Error(`device ${serial} did not start`));
      }
      return {
        deviceId: `${oui}-${productClass}-${serial}`,
        connectionRequestUrl: device.connectionRequestUrl,
        connectionRequestCredentials: credentials,
        root,
        restart: device.powerCycle,
        changeValue: (name, value) =>
          Effect.mapError(
            side.change(name, value),
            (cause) => new DeviceUnderTestError({ reason: "Failed", detail: String(cause), cause }),
          ),
        changeableParameters: Object.keys(deviceSideInitial),
        requestFromCpe: (request) =>
          Effect.flatMap(device.agent, (agent) =>
            Option.isNone(agent)
              ? Effect.fail(new DeviceUnderTestError({ reason: "Failed", detail: "device is off" }))
              : requestThroughAgent(agent.value.cpeRequests, request),
          ),
        reboots: Ref.get(reboots),
        stop: Scope.close(scope, Exit.void),
      } satisfies RunningDevice;
    }),
};
