/**
 * One device of a fleet: its agent (`makeAgent` of `@cpekit/core`, unchanged) over the device's
 * own store, connection-request route and credentials, and the fleet's shared schema, transport
 * and file transfer. A supervisor fiber restarts the agent after a Reboot (the next Inform
 * carries `1 BOOT` and `M Reboot`) and after a FactoryReset over an emptied store (`0 BOOTSTRAP`),
 * as `cpekit run` does for its one device.
 * @module
 */
import {
  type AcsEndpoint,
  AcsTransport,
  type Agent,
  type AgentOptions,
  type AgentTimingConfig,
  type CompiledSchema,
  type ConnectionRequestCredentials,
  ConnectionRequests,
  type ConnectionRequestsService,
  DeviceActions,
  type DeviceActionsService,
  type DeviceIdStruct,
  FileTransfer,
  type FileTransferService,
  makeAgent,
  makeConnectionRequestCredentialsSource,
  type ParameterProvider,
  type RandomSource,
  Store,
  type StoreService,
  ValueChangePolls,
  type ValueChangePollsService,
} from "@cpekit/core";
import { Clock, Deferred, Effect, Option, Ref, type Scope } from "effect";
import type { FleetStats } from "./fleet-stats.js";
import { failureReason, observeSessions } from "./session-observer.js";

/** The identity and factory state of one device. */
export interface FleetDeviceSpec {
  /** Index in the whole fleet (0-based), across shards. */
  readonly index: number;
  readonly deviceId: DeviceIdStruct;
  readonly acs: AcsEndpoint;
  /** The factory ConnectionRequestUsername/Password (the ACS may change them). */
  readonly connectionRequest: ConnectionRequestCredentials;
  /** Factory values by full parameter name (used while the device's store is empty). */
  readonly values: Readonly<Record<string, string>>;
  /** Instances that exist from the start, by table path. */
  readonly instances?: Readonly<Record<string, readonly number[]>>;
  /**
   * This device's data model when it is not the fleet's (a fleet mixing kinds of device);
   * compile each schema once and share it between the devices of its kind.
   */
  readonly dataModel?: {
    readonly schema: CompiledSchema;
    readonly managementServerPrefix: string;
  };
}

/** What every device of a fleet shares. */
export interface FleetShared {
  /** Compiled once for the whole fleet (a device may bring its own, see `FleetDeviceSpec`). */
  readonly schema: CompiledSchema;
  /** `Device.ManagementServer.` or `InternetGatewayDevice.ManagementServer.`. */
  readonly managementServerPrefix: string;
  readonly transport: AcsTransportService;
  readonly fileTransfer: FileTransferService;
  /** The device actions; the default accepts reboots, resets and files (state in the store). */
  readonly deviceActions?: (spec: FleetDeviceSpec) => DeviceActionsService;
  /** Providers of device-side values for one life of a device's agent (`startedAt`: epoch ms). */
  readonly providers?: (spec: FleetDeviceSpec, startedAt: number) => readonly ParameterProvider[];
  readonly timing?: AgentTimingConfig;
  /** Transfer limits and the files an Upload sends (`AgentOptions.transfers`). */
  readonly transfers?: AgentOptions["transfers"];
  readonly pollIntervalSeconds?: number;
  readonly random?: RandomSource;
  readonly stats: FleetStats;
  readonly onEvent?: (event: FleetEvent) => void;
  /** The fleet's one value-change poll timer (no sleeping fiber per device). */
  readonly valueChangePolls?: ValueChangePollsService;
}

type AcsTransportService = typeof AcsTransport.Service;

/** What happens to the devices of a fleet, for logs. */
export type FleetEvent =
  | { readonly type: "started"; readonly serial: string; readonly boot: number }
  | {
      readonly type: "restarting";
      readonly serial: string;
      readonly reason: "reboot" | "factoryReset";
    }
  /** The device stopped for good (its agent could not start or boot). */
  | { readonly type: "failed"; readonly serial: string; readonly detail: string };

/** A running device of a fleet. */
export interface FleetDevice {
  readonly spec: FleetDeviceSpec;
  readonly serial: string;
  /** The ConnectionRequestURL it publishes. */
  readonly connectionRequestUrl: string;
  /** The agent of the current life, if it runs. */
  readonly agent: Effect.Effect<Option.Option<Agent>>;
  /**
   * Power-cycles the device: its agent stops at once (an open session is cut off, as by a
   * power failure) and starts again over the same store. Completes once the new agent runs.
   */
  readonly powerCycle: Effect.Effect<void>;
}

/** The default device: everything the ACS asks succeeds; its whole state is its store. */
const storeOnlyDevice: DeviceActionsService = {
  reboot: Effect.void,
  factoryReset: Effect.void,
  applyFirmware: () => Effect.void,
  applyConfig: () => Effect.void,
};

/** Starts one device of a fleet for the life of the scope. */
export const startFleetDevice = (
  shared: FleetShared,
  spec: FleetDeviceSpec,
  store: StoreService,
  register: (
    credentials: Effect.Effect<ConnectionRequestCredentials>,
  ) => Effect.Effect<ConnectionRequestsService, never, Scope.Scope>,
): Effect.Effect<FleetDevice, never, Scope.Scope> =>
  Effect.gen(function* () {
    const serial = spec.deviceId.serialNumber;
    const { stats } = shared;
    const credentials = yield* makeConnectionRequestCredentialsSource(spec.connectionRequest);
    const connectionRequests = yield* register(credentials.credentials);
    const observer = observeSessions(shared.transport, stats);
    const current = yield* Ref.make(Option.none<Agent>());
    // A power cycle asked for and not yet acted on (several asked at once make one).
    let cycleAsked = false;
    // Ends the waiting life at once when a power cycle is asked for (set while a life waits).
    let cycleNow: (() => void) | undefined;
    // Power cycles asked for, completed when the next life has started.
    let cyclesWaiting: Deferred.Deferred<void>[] = [];

    // How a life ends, waited for without a fiber of its own: an idle device of a big fleet
    // holds this one suspended callback rather than a race of two fibers and a queue.
    type LifeEnd = "reboot" | "factoryReset" | "bootFailed" | "powerCycle";
    const lifeEnded = (agent: Agent) =>
      Effect.async<LifeEnd>((resume) => {
        let over = false;
        const end = (reason: LifeEnd) => {
          if (over) return;
          over = true;
          cycleNow = undefined;
          resume(Effect.succeed(reason));
        };
        const stoppedWith = () => agent.actor.getSnapshot().output?.reason ?? "bootFailed";
        const sub = agent.actor.subscribe({ complete: () => end(stoppedWith()) });
        if (agent.actor.getSnapshot().status === "done") end(stoppedWith());
        else if (cycleAsked) {
          cycleAsked = false;
          end("powerCycle");
        } else
          cycleNow = () => {
            cycleAsked = false;
            end("powerCycle");
          };
        return Effect.sync(() => {
          over = true;
          cycleNow = undefined;
          sub.unsubscribe();
        });
      });

    const life = (boot: number) =>
      Effect.scoped(
        Effect.gen(function* () {
          const startedAt = yield* Clock.currentTimeMillis;
          const agent = yield* makeAgent({
            deviceId: spec.deviceId,
            acs: spec.acs,
            managementServerPrefix:
              spec.dataModel?.managementServerPrefix ?? shared.managementServerPrefix,
            connectionRequestCredentials: credentials,
            dataModel: {
              schema: spec.dataModel?.schema ?? shared.schema,
              providers: shared.providers?.(spec, startedAt) ?? [],
              initial: { values: spec.values, instances: spec.instances ?? {} },
            },
            ...(shared.timing === undefined ? {} : { timing: shared.timing }),
            ...(shared.transfers === undefined ? {} : { transfers: shared.transfers }),
            ...(shared.pollIntervalSeconds === undefined
              ? {}
              : { pollIntervalSeconds: shared.pollIntervalSeconds }),
            ...(shared.random === undefined ? {} : { random: shared.random }),
          });
          agent.actor.on("sessionEnded", ({ outcome }) => {
            const seen = observer.takeLast();
            stats.sessionEnded(
              seen?.durationMs ?? 0,
              outcome === "success" ? undefined : failureReason(seen?.error),
            );
          });
          yield* Ref.set(current, Option.some(agent));
          stats.deviceStarted();
          shared.onEvent?.({ type: "started", serial, boot });
          const waiting = cyclesWaiting;
          cyclesWaiting = [];
          for (const d of waiting) yield* Deferred.succeed(d, undefined);
          return yield* Effect.ensuring(
            lifeEnded(agent),
            Effect.zipRight(
              Ref.set(current, Option.none()),
              Effect.sync(() => {
                // A session cut short by the stop ends here for the counters.
                observer.takeLast();
                stats.deviceStopped();
              }),
            ),
          );
        }),
      );

    const supervise = Effect.gen(function* () {
      for (let boot = 1; ; boot++) {
        const reason = yield* life(boot);
        if (reason === "bootFailed") {
          shared.onEvent?.({ type: "failed", serial, detail: "the agent could not boot" });
          return;
        }
        if (reason === "powerCycle") continue;
        shared.onEvent?.({ type: "restarting", serial, reason });
        if (reason === "factoryReset") yield* store.save({});
      }
    }).pipe(
      Effect.catchAll((e) =>
        Effect.sync(() => shared.onEvent?.({ type: "failed", serial, detail: e.message })),
      ),
      Effect.provideService(Store, store),
      Effect.provideService(AcsTransport, observer.transport),
      Effect.provideService(FileTransfer, shared.fileTransfer),
      Effect.provideService(DeviceActions, shared.deviceActions?.(spec) ?? storeOnlyDevice),
      Effect.provideService(ConnectionRequests, connectionRequests),
    );
    const polls = shared.valueChangePolls;
    yield* Effect.forkScoped(
      polls === undefined ? supervise : Effect.provideService(supervise, ValueChangePolls, polls),
    );
    return {
      spec,
      serial,
      connectionRequestUrl: connectionRequests.url,
      agent: Ref.get(current),
      powerCycle: Effect.gen(function* () {
        const started = yield* Deferred.make<void>();
        cyclesWaiting.push(started);
        yield* Effect.sync(() => {
          cycleAsked = true;
          cycleNow?.();
        });
        yield* Deferred.await(started);
      }),
    };
  });
