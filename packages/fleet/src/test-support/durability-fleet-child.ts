/**
 * A fleet as its own process, for the fleet durability test: `makeFleet` of `count` devices
 * (serials `DUR000`, ...) on the real HTTP transport, every device's state in one LMDB
 * environment, periodic Informs every `periodicSeconds`. The parent SIGKILLs it at random
 * instants and starts it again over the same environment; `run` goes into the User-Agent so
 * that the ACS's transcript tells the process's lives apart (the durability ledger's format).
 *
 * Run with `node --conditions=@cpekit/source --import tsx durability-fleet-child.ts '<JSON>'`.
 * @module
 */
import { compileSchema, type DeviceActionsService } from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { AcsClient, HttpFileTransfer, makeLmdbFleetStore } from "@cpekit/transport-http";
import { Effect } from "effect";
import { makeFleet } from "../fleet.js";
import {
  DURABILITY_OUI,
  DURABILITY_PRODUCT_CLASS,
  durabilitySerial,
  type FleetChildConfig,
} from "./durability-fleet-config.js";

const MS = "Device.ManagementServer.";

const main = (config: FleetChildConfig) =>
  Effect.scoped(
    Effect.gen(function* () {
      const env = yield* makeLmdbFleetStore({ path: config.lmdbPath });
      const devices: DeviceActionsService = {
        reboot: Effect.void,
        factoryReset: Effect.void,
        applyFirmware: () => Effect.sleep(config.applyDelayMs),
        applyConfig: () => Effect.sleep(config.applyDelayMs),
      };
      const fleet = yield* makeFleet({
        count: config.count,
        ramp: 200,
        spec: (index) => {
          const serialNumber = durabilitySerial(index);
          return {
            index,
            deviceId: {
              manufacturer: "cpekit",
              oui: DURABILITY_OUI,
              productClass: DURABILITY_PRODUCT_CLASS,
              serialNumber,
            },
            acs: { url: config.acsUrl },
            connectionRequest: { username: "cr", password: `cr-${index}` },
            values: {
              "Device.DeviceInfo.Manufacturer": "cpekit",
              "Device.DeviceInfo.ManufacturerOUI": DURABILITY_OUI,
              "Device.DeviceInfo.ProductClass": DURABILITY_PRODUCT_CLASS,
              "Device.DeviceInfo.SerialNumber": serialNumber,
              "Device.DeviceInfo.SoftwareVersion": "1.0.0",
              [`${MS}URL`]: config.acsUrl,
              [`${MS}PeriodicInformEnable`]: "true",
              [`${MS}PeriodicInformInterval`]: String(config.periodicSeconds),
              // Retry a failed session after exactly one second (multiplier 1.0).
              [`${MS}CWMPRetryMinimumWaitInterval`]: "1",
              [`${MS}CWMPRetryIntervalMultiplier`]: "1000",
            },
          };
        },
        store: (spec) =>
          Effect.succeed(
            env.storeFor(
              `${DURABILITY_OUI}-${DURABILITY_PRODUCT_CLASS}-${spec.deviceId.serialNumber}`,
            ),
          ),
        schema: compileSchema(selectProfile(loadDevice2Schema(), "cellular-module")),
        managementServerPrefix: MS,
        transport: AcsClient.make({
          requestTimeout: "5 seconds",
          userAgent: `cpekit-durability/run-${config.run}`,
        }),
        fileTransfer: HttpFileTransfer.make(),
        deviceActions: () => devices,
        connectionRequests: { listen: false },
        pollIntervalSeconds: 0,
      });
      yield* fleet.booted;
      process.send?.({ type: "started", run: config.run });
      return yield* Effect.never;
    }),
  );

// A child never outlives its parent.
process.on("disconnect", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));

void Effect.runPromise(main(JSON.parse(process.argv[2] ?? "{}") as FleetChildConfig)).catch(
  (e: unknown) => {
    process.stderr.write(`fleet child failed: ${String(e)}\n`);
    process.exit(1);
  },
);
