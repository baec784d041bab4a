/**
 * `makeFleet`: N devices in one process from one description. Each device has its own identity
 * (`spec(index)`, e.g. a serial from a template), its own store (`store(serial)`), its own
 * connection-request path and credentials; all share one compiled schema, one Effect runtime,
 * one ACS transport and ONE connection-request port. Devices boot at the ramp's rate in index
 * order; a shard runs a disjoint slice of the index range.
 *
 * Every timer runs on Effect's `Clock`, so under a {@link VirtualClock} (`Effect.withClock`) a
 * fleet lives through simulated days in seconds; {@link Fleet.settled} tells the clock's driver
 * when the sessions a step started are over.
 * @module
 */
import { makeValueChangePolls, type StoreError, type StoreService } from "@cpekit/core";
import { Clock, Effect, Fiber, type Scope } from "effect";
import {
  type FleetConnectionRequestOptions,
  type FleetConnectionRequests,
  type FleetListenError,
  makeFleetConnectionRequests,
} from "./fleet-connection-requests.js";
import {
  type FleetDevice,
  type FleetDeviceSpec,
  type FleetShared,
  startFleetDevice,
} from "./fleet-device.js";
import { FleetStats } from "./fleet-stats.js";
import { type Ramp, rampDelayMs } from "./ramp.js";
import { DEFAULT_MAX_OPEN_SESSIONS, limitOpenSessions } from "./session-slots.js";
import { type Shard, shardRange, wholeFleet } from "./shard.js";
import { settleEventLoop } from "./virtual-clock.js";

/** How to build a fleet. */
export interface FleetOptions extends Omit<FleetShared, "stats" | "valueChangePolls"> {
  /** Devices in the whole fleet (all shards together). */
  readonly count: number;
  /** The slice this process runs; the whole fleet by default. */
  readonly shard?: Shard;
  /** The device of fleet index `index` (its serial must be unique and stable). */
  readonly spec: (index: number) => FleetDeviceSpec;
  /** The store of the device `spec` (opened before the device starts). */
  readonly store: (spec: FleetDeviceSpec) => Effect.Effect<StoreService, StoreError, Scope.Scope>;
  /** Devices started per second (default: all at once). */
  readonly ramp?: Ramp;
  /** The shared connection-request port. */
  readonly connectionRequests?: FleetConnectionRequestOptions;
  /**
   * Most sessions open at once (default {@link DEFAULT_MAX_OPEN_SESSIONS}): more wait for a slot
   * before they connect rather than time out in a process too busy to serve them.
   */
  readonly maxOpenSessions?: number;
}

/** A running fleet. Closing the scope it was made in stops every device and the port. */
export interface Fleet {
  /** The devices started so far, in index order (all of them once `booted` completes). */
  readonly devices: readonly FleetDevice[];
  /** Completes once every device of the shard has started (or failed to: see `onEvent`). */
  readonly booted: Effect.Effect<void>;
  /** The shared connection-request port (`handle` answers in process). */
  readonly connectionRequests: FleetConnectionRequests;
  readonly stats: FleetStats;
  /**
   * Completes when no session is open, a session counting until the agent has recorded its
   * outcome: await it (bounded by a grace time) before closing the scope for a clean stop.
   */
  readonly sessionsDone: Effect.Effect<void>;
  /**
   * Resolves once nothing is happening: no session open and the event loop idle for a few
   * turns (`activity`, e.g. a virtual clock's, counts as something happening). A virtual
   * clock's driver awaits it between instants.
   */
  readonly settled: (activity?: () => number) => Promise<void>;
}

/** Starts the fleet for the life of the scope (devices boot in the background, at the ramp). */
export const makeFleet = (
  options: FleetOptions,
): Effect.Effect<Fleet, FleetListenError, Scope.Scope> =>
  Effect.gen(function* () {
    const range = shardRange(options.count, options.shard ?? wholeFleet);
    const stats = new FleetStats(range.end - range.start);
    const connectionRequests = yield* makeFleetConnectionRequests(options.connectionRequests);
    const shared: FleetShared = {
      ...options,
      transport: yield* limitOpenSessions(
        options.transport,
        options.maxOpenSessions ?? DEFAULT_MAX_OPEN_SESSIONS,
      ),
      stats,
      valueChangePolls: yield* makeValueChangePolls(),
    };
    const devices: FleetDevice[] = [];
    let started = 0;
    const boot = Effect.gen(function* () {
      const t0 = yield* Clock.currentTimeMillis;
      for (let index = range.start; index < range.end; index++) {
        const due = t0 + rampDelayMs(index - range.start, options.ramp ?? Number.POSITIVE_INFINITY);
        const now = yield* Clock.currentTimeMillis;
        if (due > now) yield* Effect.sleep(due - now);
        const spec = options.spec(index);
        const serial = spec.deviceId.serialNumber;
        const device = Effect.flatMap(options.store(spec), (store) =>
          startFleetDevice(shared, spec, store, (credentials) =>
            connectionRequests.register(serial, credentials),
          ),
        );
        // A device whose store cannot open stays down; the others boot.
        yield* Effect.match(device, {
          onFailure: (e) => options.onEvent?.({ type: "failed", serial, detail: e.message }),
          onSuccess: (d) => {
            devices.push(d);
          },
        });
        started++;
      }
    });
    const booting = yield* Effect.forkScoped(boot);
    return {
      devices,
      booted: Fiber.join(booting),
      connectionRequests,
      stats,
      sessionsDone: Effect.promise(() => stats.whenNoSessionOpen()),
      settled: (activity) =>
        settleEventLoop(
          () => stats.activity + started + (activity?.() ?? 0),
          () => stats.openSessions > 0,
        ),
    } satisfies Fleet;
  });
