/**
 * One session as the agent runs it: the write-ahead of the triggers' events, the Inform built
 * from the event queue and the data model, the session machine over the transport
 * (`runSession`), and the session's outcome applied to the queue before anything acts on it
 * (a reboot's CommandKey is saved before the machine asks the device to reboot).
 * @module
 */
import { Effect, Option, Ref } from "effect";
import type { DeviceIdStruct, EventStruct } from "../cwmp/structs.js";
import type { DataModel } from "../datamodel/data-model.js";
import type { AcsEndpoint, AcsTransport } from "../ports/acs-transport.js";
import type { ConnectionRequestsService } from "../ports/connection-requests.js";
import type { DeviceActionsService } from "../ports/device-actions.js";
import type { StoreError } from "../ports/store.js";
import { type CpeRequestMessage, rebootCommandKeys } from "../rpc/after-session.js";
import type { RpcRegistry } from "../rpc/rpc-registry.js";
import { runSession, type SessionCodec } from "../session/run-session.js";
import type { InformContent, QueuedCpeRequest, SessionOutput } from "../session/session-io.js";
import type { CwmpVersion } from "../soap/messages.js";
import type { AgentSessionInput, AgentSessionResult } from "./agent.machine.js";
import type { AgentTimingConfig } from "./agent-config.js";
import { cwmpDateTime } from "./cwmp-date-time.js";
import { type DeviceValues, readDeviceValues } from "./device-values.js";
import type { XStateClock } from "./effect-clock.js";
import { EventCode } from "./event-codes.js";
import {
  addCpeRequest,
  addEvents,
  addScheduledInform,
  type CpeRequest,
  changeAcsUrl,
  type EventQueueState,
  forgetReboots,
  hasUnsentEvents,
  type InformBatch,
  informDelivered,
  informEventList,
  promoteDueScheduledInforms,
  recordReboot,
  requestDelivered,
  selectForInform,
  sessionFailed,
} from "./event-queue.js";
import type { PersistentEventQueue } from "./event-queue-store.js";
import { acsUrlOf, timingConfigOf, timingSettingNames } from "./management-server-config.js";
import { scheduleInformDueAt } from "./periodic-schedule.js";
import { delayRebootChange, readDelayReboot, scheduleRebootAt } from "./scheduled-reboot.js";

/** What one agent session needs. */
export interface AgentSessionDeps {
  readonly deviceId: DeviceIdStruct;
  /** The ACS to talk to; replaced when the ACS changes `ManagementServer.URL`. */
  readonly endpoint: Ref.Ref<AcsEndpoint>;
  readonly queue: PersistentEventQueue;
  readonly dataModel: DataModel;
  readonly registry: RpcRegistry;
  readonly deviceActions?: DeviceActionsService;
  readonly connectionRequests?: ConnectionRequestsService;
  readonly codec: SessionCodec;
  readonly version: CwmpVersion;
  readonly sessionTimeout?: number;
  /** The session machine's clock (for its SessionTimeout). */
  readonly clock?: XStateClock;
  /** Where `ManagementServer` lives: `Device.ManagementServer.` or `InternetGatewayDevice.ManagementServer.`. */
  readonly managementServerPrefix: string;
  /** Timing values used when the data model lacks a parameter. */
  readonly timing: Ref.Ref<AgentTimingConfig>;
  /** Drops pending transfers (the ACS URL changed). */
  readonly cancelTransfers: Effect.Effect<void, StoreError>;
  /**
   * Told each session's outcome once it is saved: the ACS's answers to queued CPE requests
   * (responses and faults) go to whoever is waiting for them (see `cpe-requests.ts`).
   */
  readonly cpeRequestsAnswered?: (output: SessionOutput) => Effect.Effect<void>;
}

/** The event announcing each kind of queued CPE request (GetRPCMethods has none). */
const announcingEventCode: Readonly<Record<CpeRequest["_tag"], string | undefined>> = {
  TransferComplete: EventCode.TransferComplete,
  RequestDownload: EventCode.RequestDownload,
  AutonomousTransferComplete: EventCode.AutonomousTransferComplete,
  Kicked: EventCode.Kicked,
  GetRPCMethods: undefined,
  DUStateChangeComplete: EventCode.DuStateChangeComplete,
  AutonomousDUStateChangeComplete: EventCode.AutonomousDuStateChangeComplete,
};

/** The events announcing a CPE request (TransferComplete known at once, a Kicked, ...). */
export const announcingEvents = (request: CpeRequest): readonly EventStruct[] => {
  const eventCode = announcingEventCode[request._tag];
  return eventCode === undefined ? [] : [{ eventCode, commandKey: "" }];
};

const isPersistable = (r: CpeRequestMessage): r is CpeRequest => r._tag in announcingEventCode;

/** Fault 8005 "Retry request" (H11): the session resent the request and the ACS still asked again. */
const RETRY_REQUEST = 8005;

/** Ids of the CPE requests the ACS kept answering 8005: they stay queued for a later session. */
const retriedLater = (output: SessionOutput): ReadonlySet<string> =>
  new Set(output.rejectedCpeRequests.filter((r) => r.faultCode === RETRY_REQUEST).map((r) => r.id));

/**
 * The queue after a session: events delivered by the InformResponse are removed (or, when the
 * Inform was not delivered, `6 CONNECTION REQUEST` is dropped); answered CPE requests are
 * removed with the events no other request announces (a request the ACS refused with a fault
 * 8000-8004 is dropped too: resending it would be refused again; one the ACS still answered
 * 8005 "Retry request" after the session's resends stays queued for a later session, H11);
 * ScheduleInforms, a Reboot's CommandKey and handlers' CPE requests are recorded.
 */
export const applySessionOutput = (
  state: EventQueueState,
  batch: InformBatch,
  output: SessionOutput,
  now: number,
): EventQueueState => {
  let next = output.informDelivered ? informDelivered(state, batch) : sessionFailed(state, batch);
  const retry = retriedLater(output);
  const answered = [
    ...output.deliveredCpeRequests,
    ...output.rejectedCpeRequests.map((r) => r.id).filter((id) => !retry.has(id)),
  ];
  for (const id of answered) next = requestDelivered(next, Number(id));
  for (const s of output.afterSession.scheduleInforms)
    next = addScheduledInform(next, {
      commandKey: s.commandKey,
      dueAt: scheduleInformDueAt(now, s.delaySeconds),
    });
  for (const r of output.afterSession.cpeRequests.filter(isPersistable))
    next = addCpeRequest(next, r, announcingEvents(r));
  // Only a completed session reboots (the agent machine retries a failed one instead): the
  // CommandKeys the Reboot handler saved ahead are forgotten when the session failed. A
  // registry with the built-in Reboot handler records them only here.
  const reboots = rebootCommandKeys(output.afterSession);
  return output.outcome === "done"
    ? reboots.reduce((s, key) => recordReboot(s, key), next)
    : forgetReboots(next, reboots);
};

/**
 * Whether the queue after a completed session wants another session at once: events the
 * Inform did not carry (raised meanwhile, or over 64), or CPE requests still queued that the
 * ACS did not hold. Requests the ACS held (HoldRequests=true in its last envelope, V5/H3) wait
 * for the next trigger (periodic, connection request, ...): a new session at once would loop
 * against an ACS that always holds. So do requests the ACS kept answering 8005 (H11).
 */
export const wantsAnotherSession = (
  state: EventQueueState,
  batch: InformBatch,
  output: SessionOutput,
): boolean => {
  const retry = retriedLater(output);
  return (
    hasUnsentEvents(state, batch) ||
    (output.heldCpeRequests.length === 0 && state.requests.some((r) => !retry.has(String(r.seq))))
  );
};

const failure = (reason: string): AgentSessionResult => ({ outcome: "failure", reason });
const now = Effect.clockWith((c) => c.currentTimeMillis);

/** What the Inform of one agent session carries, besides what {@link AgentSessionDeps} give. */
export interface AgentInform {
  readonly event: InformContent["event"];
  /** When the session started, in epoch milliseconds: the Inform's CurrentTime. */
  readonly start: number;
  readonly retryCount: number;
  readonly parameterList: InformContent["parameterList"];
  readonly cpeRequests: readonly QueuedCpeRequest[];
}

/**
 * Runs the session machine over the transport for one agent session (a normal one or a
 * heartbeat), with the Connection Request side told a session is active for its whole length:
 * a Connection Request that arrives meanwhile asks for nothing new (the session under way
 * already serves it), and the flag is cleared however the session ends.
 */
export const runAgentCwmpSession = (
  deps: AgentSessionDeps,
  inform: AgentInform,
): Effect.Effect<SessionOutput, never, AcsTransport> =>
  Effect.gen(function* () {
    const cr = deps.connectionRequests;
    if (cr) yield* cr.setSessionActive(true);
    return yield* Effect.ensuring(
      runSession({
        endpoint: yield* Ref.get(deps.endpoint),
        input: {
          inform: {
            deviceId: deps.deviceId,
            event: inform.event,
            currentTime: cwmpDateTime(inform.start),
            retryCount: inform.retryCount,
            parameterList: inform.parameterList,
          },
          cpeRequests: inform.cpeRequests,
          version: deps.version,
          ...(deps.sessionTimeout === undefined ? {} : { sessionTimeout: deps.sessionTimeout }),
        },
        registry: deps.registry,
        dataModel: deps.dataModel,
        ...(deps.deviceActions === undefined ? {} : { deviceActions: deps.deviceActions }),
        codec: deps.codec,
        ...(deps.clock === undefined ? {} : { clock: deps.clock as never }),
      }),
      cr ? cr.setSessionActive(false) : Effect.void,
    );
  });

/** Keeps `config` as the agent's timing (the ACS may have set any of it); returns it. */
const keepTimingConfig = (
  deps: AgentSessionDeps,
  get: DeviceValues,
): Effect.Effect<AgentTimingConfig> =>
  Effect.flatMap(Ref.get(deps.timing), (base) => {
    const config = timingConfigOf(get, deps.managementServerPrefix, base);
    return Effect.as(Ref.set(deps.timing, config), config);
  });

/**
 * Re-reads the timing parameters after a session (the ACS may have set any of them) and keeps
 * them for the agent machine; returns them so the session result can carry them.
 */
export const refreshTimingConfig = (deps: AgentSessionDeps): Effect.Effect<AgentTimingConfig> =>
  Effect.flatMap(
    readDeviceValues(deps.dataModel, timingSettingNames(deps.managementServerPrefix)),
    (get) => keepTimingConfig(deps, get),
  );

/** What the agent reads after every session, in one data-model call. */
const afterSessionNames = (prefix: string): readonly string[] => [
  `${prefix}URL`,
  ...timingSettingNames(prefix),
  `${prefix}DelayReboot`,
  `${prefix}ScheduleReboot`,
];

/**
 * The due times of the ScheduleInforms accepted in a session (saved by its handler or with the
 * outcome): those in `after` and not in `before`. The agent machine sets a wake-up for each.
 */
export const newScheduledInformDueTimes = (
  before: EventQueueState,
  after: EventQueueState,
): ReadonlyArray<number> => {
  const known = new Set(before.scheduledInforms.map((x) => `${x.dueAt}|${x.commandKey}`));
  return after.scheduledInforms
    .filter((x) => !known.has(`${x.dueAt}|${x.commandKey}`))
    .map((x) => x.dueAt);
};

/** Runs one session for the agent machine's `session` actor. Never fails. */
export const runAgentSession = (
  deps: AgentSessionDeps,
  input: AgentSessionInput,
): Effect.Effect<AgentSessionResult, never, AcsTransport> =>
  Effect.gen(function* () {
    const start = yield* now;
    // DelayReboot counts from the end of the session that set it: compare before and after.
    const delayBefore = yield* readDelayReboot(deps.dataModel, deps.managementServerPrefix);
    // 4 VALUE CHANGE goes with the changed values it reports, whatever raised it: a trigger
    // whose change an earlier Inform already carried raises nothing.
    const notified = yield* deps.dataModel.pendingNotifications;
    const triggers = input.events.filter((e) => e.eventCode !== EventCode.ValueChange);
    const raised =
      notified.length > 0
        ? [...triggers, { eventCode: EventCode.ValueChange, commandKey: "" }]
        : triggers;
    // Write-ahead: the triggers' events are saved before the Inform that carries them.
    const saved = yield* Effect.either(
      deps.queue.update((s) => promoteDueScheduledInforms(addEvents(s, raised), start)),
    );
    if (saved._tag === "Left") return failure(`Store: ${saved.left.message}`);
    const batch = selectForInform(saved.right);
    // Nothing to report (a wake-up whose work another session already did).
    if (batch.events.length === 0) return { outcome: "success" } satisfies AgentSessionResult;
    const event = informEventList(batch);
    const parameterList = yield* Effect.orElseSucceed(
      deps.dataModel.informParameters(event.map((e) => e.eventCode)),
      () => [],
    );
    const output = yield* runAgentCwmpSession(deps, {
      event,
      start,
      retryCount: input.retryCount,
      parameterList,
      cpeRequests: batch.requests.map((r) => ({ id: String(r.seq), request: r.message })),
    });
    const end = yield* now;
    const applied = yield* Effect.either(
      deps.queue.update((s) => applySessionOutput(s, batch, output, end)),
    );
    // Unsaved outcome: do not reboot (the M Reboot CommandKey would be lost); retry instead.
    if (applied._tag === "Left") return failure(`Store: ${applied.left.message}`);
    if (deps.cpeRequestsAnswered !== undefined) yield* deps.cpeRequestsAnswered(output);
    // Most sessions report no value change: no data-model call to clear nothing.
    if (output.informDelivered && notified.length > 0)
      yield* deps.dataModel.clearPendingNotifications(notified);
    let after = applied.right;
    const prefix = deps.managementServerPrefix;
    const settings = yield* readDeviceValues(deps.dataModel, afterSessionNames(prefix));
    const newUrl = acsUrlOf(settings(`${prefix}URL`));
    const current = yield* Ref.get(deps.endpoint);
    if (Option.isSome(newUrl) && newUrl.value !== current.url) {
      // §1.5: a new ACS gets 0 BOOTSTRAP; the old queue and pending transfers are dropped.
      const moved = yield* Effect.either(deps.queue.update((s) => changeAcsUrl(s, newUrl.value)));
      if (moved._tag === "Right") {
        after = moved.right;
        yield* Ref.set(deps.endpoint, { ...current, url: newUrl.value });
        yield* Effect.ignore(deps.cancelTransfers);
      }
    }
    const config = yield* keepTimingConfig(deps, settings);
    const delayRebootAt = delayRebootChange(delayBefore, settings(`${prefix}DelayReboot`), end);
    const scheduleReboot = Option.flatMap(settings(`${prefix}ScheduleReboot`), (v) =>
      scheduleRebootAt(v, end),
    );
    const { reboot, factoryReset } = output.afterSession;
    const wakeAt = newScheduledInformDueTimes(saved.right, after);
    return {
      outcome: output.outcome === "done" ? "success" : "failure",
      ...(output.reason === undefined ? {} : { reason: output.reason }),
      ...(output.retryAfter === undefined ? {} : { retryAfter: output.retryAfter }),
      afterSession: {
        ...(reboot === undefined ? {} : { reboot: { commandKey: reboot } }),
        ...(factoryReset === true ? { factoryReset } : {}),
      },
      pendingWork: wantsAnotherSession(after, batch, output),
      wakeAt,
      config,
      ...(delayRebootAt === "unchanged" ? {} : { delayRebootAt }),
      scheduleRebootAt: Option.getOrElse(scheduleReboot, () => "cancel" as const),
    } satisfies AgentSessionResult;
  });
