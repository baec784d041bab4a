/**
 * Test support: one QuecPython device end to end, as `cpekit run` assembles it: a simulated
 * module (the real bridge in MicroPython), `makeQuecPythonDevice` (with its SoftwareModules and
 * Diagnostics ports), core's `makeAgent` over the
 * HTTP transport and file transfer of `@cpekit/transport-http`, and the testkit ACS on
 * loopback. A supervisor starts a new agent when one stops for a Reboot or FactoryReset (the
 * host process lives on while the module restarts), as the CLI does.
 * @module
 */
import { deviceKeyOf, startTestAcs, type TestAcsHandle } from "@cpekit/acs-testkit";
import {
  AcsTransport,
  type Agent,
  DeviceActions,
  Diagnostics,
  FileTransfer,
  makeAgent,
  makeBuiltInRpcRegistry,
  makeMemoryStore,
  SoftwareModules,
  Store,
} from "@cpekit/core";
import { loadDevice2Schema, profilePaths, selectProfile } from "@cpekit/datamodel-tr181";
import { AcsClient, HttpFileTransfer } from "@cpekit/transport-http";
import { Effect, Exit, Fiber, Scope } from "effect";
import { makeQuecPythonDevice, type QuecPythonDevice } from "../../device/quecpython-device.js";
import type { QuectelHandlerTable } from "../../handlers/quectel-handlers.js";
import { SimulatedModule, type SimulatedModuleOptions } from "../../simulator/simulated-module.js";

// The cellular module's profile, with IPPing (run on the module with uping) if it lacks it.
const IP_PING = "Device.IP.Diagnostics.IPPing.";
const cellularPaths = profilePaths("cellular-module", "Device") ?? [];
const schema = selectProfile(
  loadDevice2Schema(),
  cellularPaths.includes(IP_PING) ? cellularPaths : [...cellularPaths, IP_PING],
);

/** A running device, its module and its ACS. */
export interface Harness {
  readonly acs: TestAcsHandle;
  readonly sim: SimulatedModule;
  readonly device: QuecPythonDevice;
  /** The testkit's key of the device (`OUI-ProductClass-Serial`). */
  readonly deviceKey: string;
  /** The agent of the current life (a new one after each Reboot). */
  readonly agent: () => Agent | undefined;
  /** Agents started so far. */
  readonly lives: () => number;
  readonly stop: () => Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly simulator?: SimulatedModuleOptions;
  /** Registers Quectel-style handlers on each new agent. */
  readonly handlers?: (table: QuectelHandlerTable) => void;
}

/** Starts the ACS, the module and the device; `stop()` ends all three. */
export const startHarness = async (options: HarnessOptions = {}): Promise<Harness> => {
  const acs = await startTestAcs();
  const sim = await SimulatedModule.start({ bootDelayMs: 20, ...options.simulator });
  const scope = Effect.runSync(Scope.make());
  let current: Agent | undefined;
  let lives = 0;
  try {
    const device = await Effect.runPromise(
      Scope.extend(
        makeQuecPythonDevice({
          simulator: sim,
          manufacturerOui: "00A0C6",
          requestTimeoutMs: 3000,
          restartTimeoutMs: 5000,
          downloadTimeoutSeconds: 5,
        }),
        scope,
      ),
    );
    const deviceId = device.deviceId({ oui: "00A0C6", productClass: "" });
    const store = Effect.runSync(makeMemoryStore());
    const life = Effect.scoped(
      Effect.gen(function* () {
        const registry = makeBuiltInRpcRegistry();
        options.handlers?.(device.handlers(registry));
        const agent = yield* makeAgent({
          deviceId,
          acs: { url: acs.url },
          registry,
          random: () => 0.5,
          dataModel: {
            schema,
            providers: [device.provider],
            initial: {
              instances: device.initial.instances,
              values: {
                ...device.initial.values,
                "Device.ManagementServer.URL": acs.url,
                "Device.ManagementServer.PeriodicInformEnable": "false",
                // Value-change sessions start at once (no throttle) in tests.
                "Device.ManagementServer.DefaultActiveNotificationThrottle": "0",
              },
            },
          },
          transfers: { timeout: "10 seconds" },
        });
        current = agent;
        lives++;
        return yield* agent.stopped;
      }),
    );
    const supervise = Effect.forever(life).pipe(
      Effect.provideService(Store, store),
      Effect.provideService(AcsTransport, AcsClient.make()),
      Effect.provideService(FileTransfer, device.fileTransfer(HttpFileTransfer.make())),
      Effect.provideService(DeviceActions, device.deviceActions),
      Effect.provideService(SoftwareModules, device.softwareModules),
      Effect.provideService(Diagnostics, device.diagnostics()),
    );
    const fiber = Effect.runFork(supervise);
    return {
      acs,
      sim,
      device,
      deviceKey: deviceKeyOf(deviceId),
      agent: () => current,
      lives: () => lives,
      stop: async () => {
        await Effect.runPromise(Fiber.interrupt(fiber));
        await Effect.runPromise(Scope.close(scope, Exit.void));
        sim.close();
        await acs.stop();
      },
    };
  } catch (e) {
    await Effect.runPromise(Scope.close(scope, Exit.void));
    sim.close();
    await acs.stop();
    throw e;
  }
};
