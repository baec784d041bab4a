/**
 * `makeAgent`: one device's agent, wired from its parts: the data model, the RPC registry
 * (built-ins plus the transfer handlers), the persistent event queue, the transfer manager,
 * the agent machine and the ports (as Effect services). All timers run on Effect's `Clock`
 * (through {@link makeEffectClock}), so `TestClock` drives a whole agent in virtual time.
 *
 * Start-up order matters and is encoded here: the data model first (the ACS URL may have been
 * changed by the ACS and stored), then the event queue (its boot rules need that URL), then the
 * transfers (settling an interrupted one queues its TransferComplete), then the
 * ConnectionRequestURL (a changed one is a value change the boot Inform reports; empty and the
 * port closed when HTTPConnectionRequestEnable is false, re-read after every successful
 * session), then the machine. Before every session the `ManagementServer.Username` /
 * `Password` of the data model (when set) replace the configured ACS credentials; providers
 * are polled for value changes every `pollIntervalSeconds`.
 * @module
 */
import { Data, Effect, Option, Ref, Runtime, Scope, Stream } from "effect";
import { type Actor, createActor, fromPromise } from "xstate";
import type { DeviceIdStruct } from "../cwmp/structs.js";
import { type DataModel, type DataModelConfig, makeDataModel } from "../datamodel/data-model.js";
import { DATAMODEL_SECTION } from "../datamodel/device-state.js";
import { DIAGNOSTICS_SECTION, makeDiagnosticsManager } from "../diagnostics/diagnostics-manager.js";
import type { AcsEndpoint, AcsTransport } from "../ports/acs-transport.js";
import { ConnectionRequests } from "../ports/connection-requests.js";
import { DeviceActions } from "../ports/device-actions.js";
import { Diagnostics } from "../ports/diagnostics.js";
import { FileTransfer } from "../ports/file-transfer.js";
import { LightweightNotificationSink } from "../ports/lightweight-notification-sink.js";
import { Store, StoreError } from "../ports/store.js";
import { makeBuiltInRpcRegistry } from "../rpc/built-in-handlers.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import { registerTransferManager } from "../rpc/transfer-manager.js";
import { runForActor } from "../session/effect-actor.js";
import { type SessionCodec, soapCodec } from "../session/run-session.js";
import type { CwmpVersion } from "../soap/messages.js";
import { prepareAgentSoftwareModules } from "../software-modules/agent-software-modules.js";
import { SOFTWARE_MODULES_SECTION } from "../software-modules/software-modules-state.js";
import {
  type AgentTransfers,
  type AgentTransfersConfig,
  makeAgentTransfers,
} from "../transfers/transfer-manager.js";
import { TRANSFERS_SECTION } from "../transfers/transfer-record.js";
import { withManagementServerCredentials } from "./acs-credentials.js";
import {
  type AfterSessionActions,
  type AgentBootResult,
  type AgentSessionInput,
  type AgentSessionResult,
  agentMachine,
} from "./agent.machine.js";
import { type AgentTimingConfig, defaultAgentTimingConfig } from "./agent-config.js";
import { type AgentSessionDeps, runAgentSession } from "./agent-session.js";
import type { ConnectionRequestCredentialsSource } from "./connection-request-credentials.js";
import { applyHttpConnectionRequestEnable } from "./connection-request-enable.js";
import { ACS_METHODS_SECTION, type CpeRequests, makeCpeRequests } from "./cpe-requests.js";
import { makeEffectClock } from "./effect-clock.js";
import { forgetReboots } from "./event-queue.js";
import {
  EVENTS_SECTION,
  makePersistentEventQueue,
  type PersistentEventQueue,
} from "./event-queue-store.js";
import { runHeartbeatSession } from "./heartbeat-session.js";
import { startLightweightNotifierFor } from "./lightweight-notifier.js";
import { readAcsUrl, readTimingConfig } from "./management-server-config.js";
import { makeRebootHandler } from "./reboot-handler.js";
import type { RandomSource } from "./retry-policy.js";
import { makeScheduleInformHandler } from "./schedule-inform-handler.js";
import { clearRebootSchedule, readScheduleReboot } from "./scheduled-reboot.js";
import { makeSectionStore } from "./section-store.js";
import { makeTransferPasses } from "./transfer-passes.js";
import {
  DEFAULT_POLL_INTERVAL_SECONDS,
  pollValueChanges,
  pollValueChangesOnce,
} from "./value-change-poll.js";
import { ValueChangePolls } from "./value-change-polls.js";

/** Why an agent could not start. */
export class AgentError extends Data.TaggedError("AgentError")<{
  readonly reason: "StoreFailed" | "CorruptState";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `agent ${this.reason}: ${this.detail}`;
  }
}

/** What one agent is made of. */
export interface AgentOptions {
  readonly deviceId: DeviceIdStruct;
  /**
   * The ACS. A URL stored in the data model (set by the ACS) takes precedence, and so do
   * non-empty `ManagementServer.Username` / `Password` values (read before every session).
   */
  readonly acs: AcsEndpoint;
  /** The data model (its store is the agent's, section `"datamodel"`). */
  readonly dataModel: Omit<DataModelConfig, "store">;
  /** Timing used where the data model has no `ManagementServer` value. */
  readonly timing?: AgentTimingConfig;
  /** Default `Device.ManagementServer.`. */
  readonly managementServerPrefix?: string;
  /** The version the Inform is written in. Default 1.4. */
  readonly version?: CwmpVersion;
  readonly sessionTimeout?: number;
  /** Default: the SOAP codec of `soap/`. */
  readonly codec?: SessionCodec;
  /** Default `Math.random` (retry waits, periodic phase for an unknown PeriodicInformTime). */
  readonly random?: RandomSource;
  /** Default: a registry of the built-in handlers. The transfer handlers are added to it. */
  readonly registry?: RpcRegistry;
  readonly transfers?: Pick<
    AgentTransfersConfig,
    "maxQueued" | "maxBytes" | "timeout" | "maxAttempts" | "uploadFile"
  >;
  /**
   * Seconds between value-change polls of the providers (parameters whose notification is on
   * and whose provider does not push changes). Default 60; 0 turns polling off.
   */
  readonly pollIntervalSeconds?: number;
  /**
   * The credentials source the Connection Request server checks against; the agent binds it
   * to its data model at start, so the server reads the current `ConnectionRequestUsername` /
   * `ConnectionRequestPassword`.
   */
  readonly connectionRequestCredentials?: ConnectionRequestCredentialsSource;
}

/** A running agent. Closing the scope it was made in stops it. */
export interface Agent {
  readonly rpc: RpcRegistry;
  readonly dataModel: DataModel;
  readonly queue: PersistentEventQueue;
  readonly transfers: AgentTransfers;
  /**
   * The CPE-initiated RPCs an application or plugin makes: Kicked, RequestDownload,
   * AutonomousTransferComplete, GetRPCMethods (queued durably, sent after the next Inform).
   */
  readonly cpeRequests: CpeRequests;
  readonly actor: Actor<typeof agentMachine>;
  /** Sends a CONNECTION_REQUEST trigger (the ConnectionRequests port does it when provided). */
  readonly connectionRequest: Effect.Effect<void>;
  /** Sends VALUE_CHANGE when an active notification is pending (call after changing values). */
  readonly valueChanged: Effect.Effect<void>;
  /** Completes when the machine stops: with `reboot` / `factoryReset` once the device was asked to. */
  readonly stopped: Effect.Effect<"reboot" | "factoryReset" | "bootFailed">;
}

/** The SOAP codec of `soap/` as the session wants it (the session's own {@link soapCodec}). */
export const soapSessionCodec: SessionCodec = soapCodec;

/** One agent's implementations of its machine's actors (see {@link sharedAgentMachine}). */
interface AgentActors {
  readonly boot: () => Promise<AgentBootResult>;
  readonly session: (input: AgentSessionInput, signal: AbortSignal) => Promise<AgentSessionResult>;
  readonly heartbeatSession: (signal: AbortSignal) => Promise<AgentSessionResult>;
  readonly afterSession: (actions: AfterSessionActions, signal: AbortSignal) => Promise<void>;
}

/** Each running agent's actors, by the actor system of its machine. */
const agentActors = new WeakMap<object, AgentActors>();

const actorsOf = (system: object): AgentActors => {
  const actors = agentActors.get(system);
  if (actors === undefined) throw new Error("an agent actor runs outside its agent");
  return actors;
};

/**
 * The agent machine with its actors, provided ONCE for every agent: `provide` builds a new
 * tree of state nodes (about 40 KB), which a fleet of thousands of devices must not pay per
 * device. Each actor finds its agent's implementation through the actor system it runs in.
 */
const sharedAgentMachine = agentMachine.provide({
  actors: {
    boot: fromPromise<AgentBootResult>(async ({ system }) => actorsOf(system).boot()),
    session: fromPromise<AgentSessionResult, AgentSessionInput>(async ({ input, system, signal }) =>
      actorsOf(system).session(input, signal),
    ),
    heartbeatSession: fromPromise<AgentSessionResult>(async ({ system, signal }) =>
      actorsOf(system).heartbeatSession(signal),
    ),
    afterSession: fromPromise<void, AfterSessionActions>(async ({ input, system, signal }) =>
      actorsOf(system).afterSession(input, signal),
    ),
  },
});

const storeFailed = (e: { readonly message: string }) =>
  new AgentError({ reason: "StoreFailed", detail: e.message, cause: e });

/** Starts one device's agent (it informs at once with `1 BOOT`). */
export const makeAgent = (
  options: AgentOptions,
): Effect.Effect<
  Agent,
  AgentError,
  Store | AcsTransport | DeviceActions | FileTransfer | Scope.Scope
> =>
  Effect.gen(function* () {
    const sections = yield* makeSectionStore(yield* Store);
    // Annex M (V8): with a sink, a 1.4 agent accepts Notification 3..6 unless told otherwise.
    const lightweightSink = Option.getOrUndefined(
      yield* Effect.serviceOption(LightweightNotificationSink),
    );
    const cwmp14 = (options.version ?? "1.4") === "1.4";
    const lightweightOn =
      options.dataModel.options?.lightweightNotification ??
      (lightweightSink !== undefined && cwmp14);
    // CWMP 1.4 addressing (TR-069 A.2.2.1, A.2.2.2): [alias] segments and * wildcards, unless
    // the data-model options say otherwise.
    const addressing = {
      aliasBasedAddressing: options.dataModel.options?.aliasBasedAddressing ?? cwmp14,
      instanceWildcardsSupported: options.dataModel.options?.instanceWildcardsSupported ?? cwmp14,
    };
    // TR-181 IP diagnostics, when the device runs them (the Diagnostics port) and the schema
    // has their objects: served by a provider of their own ahead of the device's.
    const diagnosticsService = Option.getOrUndefined(yield* Effect.serviceOption(Diagnostics));
    const diagnostics =
      diagnosticsService === undefined
        ? undefined
        : yield* Effect.mapError(
            makeDiagnosticsManager({
              schema:
                "patterns" in options.dataModel.schema
                  ? options.dataModel.schema.schema
                  : options.dataModel.schema,
              service: diagnosticsService,
              store: sections,
            }),
            storeFailed,
          );
    // Annex H software modules, when the device has the SoftwareModules port: its tables are
    // served by a provider of their own, like the diagnostics.
    const softwareModules = yield* Effect.mapError(
      prepareAgentSoftwareModules(sections, options.dataModel.schema),
      (e) =>
        e._tag === "SoftwareModulesStateError"
          ? new AgentError({ reason: "CorruptState", detail: e.message, cause: e })
          : storeFailed(e),
    );
    const ownProviders = [
      ...(diagnostics === undefined || diagnostics.provider.paths.length === 0
        ? []
        : [diagnostics.provider]),
      ...(softwareModules?.provider === undefined ? [] : [softwareModules.provider]),
    ];
    const dataModel = yield* Effect.mapError(
      makeDataModel({
        ...options.dataModel,
        ...(ownProviders.length === 0
          ? {}
          : { providers: [...ownProviders, ...(options.dataModel.providers ?? [])] }),
        options: {
          ...options.dataModel.options,
          ...addressing,
          lightweightNotification: lightweightOn,
        },
        store: sections.view(DATAMODEL_SECTION),
      }),
      // A store that cannot be read (a directory, no permission) is not a corrupt state: say
      // which it is (issue 9). A store that found its file corrupt still is one.
      (e) =>
        e.reason === "StoreFailed" &&
        !(e.cause instanceof StoreError && e.cause.reason === "Corrupt")
          ? storeFailed(e)
          : new AgentError({ reason: "CorruptState", detail: e.message, cause: e }),
    );
    const prefix = options.managementServerPrefix ?? "Device.ManagementServer.";
    if (options.connectionRequestCredentials !== undefined)
      yield* options.connectionRequestCredentials.bind(dataModel, prefix);
    const storedUrl = yield* readAcsUrl(dataModel, prefix);
    const endpoint = yield* Ref.make<AcsEndpoint>({
      ...options.acs,
      url: Option.getOrElse(storedUrl, () => options.acs.url),
    });
    const startedAt = yield* Effect.clockWith((c) => c.currentTimeMillis);
    const queue = yield* Effect.mapError(
      makePersistentEventQueue(sections, (yield* Ref.get(endpoint)).url, startedAt),
      (e) =>
        e._tag === "EventQueueError"
          ? new AgentError({ reason: "CorruptState", detail: e.message, cause: e })
          : storeFailed(e),
    );
    const deviceActions = yield* DeviceActions;
    const transfers = yield* Effect.mapError(
      makeAgentTransfers({
        ...options.transfers,
        store: sections,
        queue,
        fileTransfer: yield* FileTransfer,
        deviceActions,
      }),
      (e) =>
        e._tag === "TransferStateError"
          ? new AgentError({ reason: "CorruptState", detail: e.message, cause: e })
          : storeFailed(e),
    );
    const registry = options.registry ?? makeBuiltInRpcRegistry();
    registerTransferManager(registry, transfers.manager);
    // Replace the built-in ScheduleInform (kept in memory until the session ends) by one that
    // saves before answering; a registry without ScheduleInform stays without it.
    if (registry.has("ScheduleInform"))
      registry.register("ScheduleInform", makeScheduleInformHandler(queue));
    // Same for Reboot: its CommandKey is saved before RebootResponse, so a crash after the
    // answer still reports `M Reboot` at the next boot.
    if (registry.has("Reboot")) registry.register("Reboot", makeRebootHandler(queue));
    const timing = yield* Ref.make(
      yield* readTimingConfig(dataModel, prefix, options.timing ?? defaultAgentTimingConfig),
    );
    // TR-181 resets DelayReboot on every reboot (also one the agent did not cause); a
    // ScheduleReboot still in the future is armed again.
    yield* Effect.ignore(clearRebootSchedule(dataModel, prefix));
    const scheduleReboot = yield* readScheduleReboot(dataModel, prefix, startedAt);
    const connectionRequests = Option.getOrUndefined(
      yield* Effect.serviceOption(ConnectionRequests),
    );
    // Before the first session: a changed URL is a value change the boot Inform reports; a
    // disabled HTTPConnectionRequestEnable closes the port and empties the URL (C6).
    if (connectionRequests !== undefined)
      yield* applyHttpConnectionRequestEnable(dataModel, prefix, connectionRequests, "start");
    const runtime = yield* Effect.runtime<AcsTransport>();
    // Credentials set in the data model apply from the next session on.
    const refreshCredentials = Effect.flatMap(Ref.get(endpoint), (current) =>
      Effect.flatMap(
        withManagementServerCredentials(dataModel, prefix, current, options.acs),
        (next) => Ref.set(endpoint, next),
      ),
    );
    const clock = makeEffectClock(runtime);
    const cpeRequests = yield* Effect.mapError(
      makeCpeRequests({
        queue,
        store: sections,
        dataModel,
        managementServerPrefix: prefix,
        // Called only once makeAgent has returned, when the actor exists.
        requestSession: Effect.sync(() => actor.send({ type: "REQUEST_QUEUED" })),
      }),
      storeFailed,
    );
    const sessionDeps: AgentSessionDeps = {
      deviceId: options.deviceId,
      endpoint,
      queue,
      dataModel,
      registry,
      deviceActions,
      ...(connectionRequests === undefined ? {} : { connectionRequests }),
      codec: options.codec ?? soapSessionCodec,
      version: options.version ?? "1.4",
      ...(options.sessionTimeout === undefined ? {} : { sessionTimeout: options.sessionTimeout }),
      clock,
      managementServerPrefix: prefix,
      timing,
      cancelTransfers: transfers.cancelAll,
      cpeRequestsAnswered: cpeRequests.answered,
    };

    const actors: AgentActors = {
      boot: async () => {
        const q = Effect.runSync(queue.get);
        return {
          wakeAt: q.scheduledInforms.map((s) => s.dueAt),
          config: Effect.runSync(Ref.get(timing)),
          ...(Option.isSome(scheduleReboot) ? { scheduleRebootAt: scheduleReboot.value } : {}),
        };
      },
      session: (input, signal) =>
        runForActor(
          runtime,
          Effect.zipRight(
            refreshCredentials,
            Effect.tap(
              runAgentSession(sessionDeps, input),
              // C6: an HTTPConnectionRequestEnable set by the ACS applies once the session is over.
              (result) =>
                result.outcome === "success" && connectionRequests !== undefined
                  ? applyHttpConnectionRequestEnable(
                      dataModel,
                      prefix,
                      connectionRequests,
                      "session",
                    )
                  : Effect.void,
            ),
          ),
          signal,
        ),
      // Annex O: only `14 HEARTBEAT`, in a session of its own.
      heartbeatSession: (signal) =>
        runForActor(
          runtime,
          Effect.zipRight(refreshCredentials, runHeartbeatSession(sessionDeps)),
          signal,
        ),
      // The reboot's CommandKeys were saved by the Reboot handler, before this runs. A
      // factory reset first forgets the agent's state: the next start is a first start
      // (0 BOOTSTRAP, factory values, empty ParameterKey).
      afterSession: (actions, signal) =>
        runForActor(
          runtime,
          actions.factoryReset === true
            ? Effect.zipRight(
                Effect.orDie(
                  sections.remove([
                    DATAMODEL_SECTION,
                    EVENTS_SECTION,
                    TRANSFERS_SECTION,
                    ACS_METHODS_SECTION,
                    DIAGNOSTICS_SECTION,
                    SOFTWARE_MODULES_SECTION,
                  ]),
                ),
                deviceActions.factoryReset,
              )
            : actions.reboot !== undefined || actions.scheduledReboot === true
              ? // A refused reboot must not leave an `M Reboot` for the next start.
                Effect.tapError(
                  Effect.zipRight(
                    // Reset and saved first, so the reboot it caused happens once (§1.10).
                    actions.scheduledReboot === true
                      ? Effect.flatMap(
                          Effect.clockWith((c) => c.currentTimeMillis),
                          (at) => clearRebootSchedule(dataModel, prefix, { scheduleDueBy: at }),
                        )
                      : Effect.void,
                    deviceActions.reboot,
                  ),
                  () => Effect.ignore(queue.update((q) => forgetReboots(q))),
                )
              : Effect.void,
          signal,
        ),
    };
    const actor = createActor(sharedAgentMachine, {
      clock,
      input: {
        config: yield* Ref.get(timing),
        random: options.random ?? Math.random,
        now: clock.now,
      },
    });
    agentActors.set(actor.system, actors);

    // Transfers run after a session ends, or when their time comes (no fiber waits meanwhile).
    const kickTransfers = yield* makeTransferPasses({
      runDue: transfers.runDue,
      nextDueAt: transfers.nextDueAt,
      onDone: () => actor.send({ type: "TRANSFER_DONE" }),
    });
    actor.on("sessionEnded", kickTransfers);
    // Requested diagnostics run once the session that asked for them has ended; a finished one
    // queues `8 DIAGNOSTICS COMPLETE` and starts a session (TRANSFER_DONE: queued events wait).
    if (diagnostics !== undefined) {
      const scope = yield* Effect.scope;
      actor.on("sessionEnded", () => {
        // Most sessions request none: no fiber for them.
        if (!diagnostics.anyRequested()) return;
        Runtime.runFork(runtime)(
          Scope.extend(
            diagnostics.startRequested(queue, () => actor.send({ type: "TRANSFER_DONE" })),
            scope,
          ),
        );
      });
    }
    // ChangeDUState requests are carried out after the session that asked for them; their
    // DUStateChangeComplete (and autonomous reports) start a session (TRANSFER_DONE).
    if (softwareModules !== undefined)
      yield* softwareModules.start({
        queue,
        dataModel,
        registry,
        fileTransfer: yield* FileTransfer,
        managementServerPrefix: prefix,
        maxBytes: options.transfers?.maxBytes ?? 64 * 1024 * 1024,
        timeout: options.transfers?.timeout ?? "10 minutes",
        onSessionEnded: (listener) => actor.on("sessionEnded", listener),
        requestSession: () => actor.send({ type: "TRANSFER_DONE" }),
      });

    // A plain callback when the port offers one: no fiber waits per device between requests.
    if (connectionRequests?.onTrigger !== undefined)
      yield* connectionRequests.onTrigger(() => actor.send({ type: "CONNECTION_REQUEST" }));
    else if (connectionRequests !== undefined)
      yield* Effect.forkScoped(
        Stream.runForEach(connectionRequests.triggers, () =>
          Effect.sync(() => actor.send({ type: "CONNECTION_REQUEST" })),
        ),
      );

    const lightweight =
      lightweightSink === undefined
        ? undefined
        : yield* startLightweightNotifierFor(dataModel, lightweightSink, {
            deviceId: options.deviceId,
            managementServerPrefix: prefix,
            acsUrl: Effect.map(Ref.get(endpoint), (e) => e.url),
            random: options.random ?? Math.random,
          });
    if (lightweight !== undefined)
      actor.on("sessionEnded", () => {
        Effect.runSync(lightweight.settingsChanged);
      });
    const valueChanged = Effect.zipRight(
      lightweight?.changed ?? Effect.void,
      Effect.flatMap(dataModel.hasPendingActiveNotification, (active) =>
        active ? Effect.sync(() => actor.send({ type: "VALUE_CHANGE" })) : Effect.void,
      ),
    );
    const providerChanges = (options.dataModel.providers ?? []).flatMap((p) =>
      p.changes ? [p.changes] : [],
    );
    if (providerChanges.length > 0)
      yield* Effect.forkScoped(
        Stream.runForEach(Stream.mergeAll(providerChanges, { concurrency: "unbounded" }), (c) =>
          Effect.zipRight(Effect.ignore(dataModel.recordChanges(c)), valueChanged),
        ).pipe(Effect.ignore),
      );

    const pollSeconds = options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
    // A fleet shares one poll timer (ValueChangePolls): no fiber asleep per device.
    const sharedPolls = Option.getOrUndefined(yield* Effect.serviceOption(ValueChangePolls));
    if (pollSeconds > 0)
      yield* sharedPolls === undefined
        ? Effect.forkScoped(pollValueChanges(dataModel, pollSeconds, valueChanged))
        : sharedPolls.register(pollSeconds, pollValueChangesOnce(dataModel, valueChanged));

    yield* Effect.acquireRelease(
      Effect.sync(() => {
        actor.start();
        actor.send({ type: "BOOT" });
      }),
      () => Effect.sync(() => actor.stop()),
    );

    const stopped = Effect.async<"reboot" | "factoryReset" | "bootFailed">((resume) => {
      const sub = actor.subscribe({
        complete: () => resume(Effect.succeed(actor.getSnapshot().output?.reason ?? "bootFailed")),
      });
      if (actor.getSnapshot().status === "done")
        resume(Effect.succeed(actor.getSnapshot().output?.reason ?? "bootFailed"));
      return Effect.sync(() => sub.unsubscribe());
    });

    return {
      rpc: registry,
      dataModel,
      queue,
      transfers,
      cpeRequests: cpeRequests.api,
      actor,
      connectionRequest: Effect.sync(() => actor.send({ type: "CONNECTION_REQUEST" })),
      valueChanged,
      stopped,
    };
  });
