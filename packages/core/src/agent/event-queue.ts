/**
 * The persistent Inform event queue (requirements section 1.5) as pure functions over a
 * serialisable state. Persistence lives in `event-queue-store.ts`; the order of operations that
 * makes the queue crash-safe is stated there.
 *
 * Every event carries a sequence number. An Inform is built from a snapshot ({@link InformBatch});
 * the responses remove only the events of that snapshot, so an event raised while a session runs
 * (even one with the same code) is never mistaken for a delivered one.
 * @module
 */
import type { EventStruct } from "../cwmp/structs.js";
import { MAX_INFORM_EVENTS } from "../session/session-context.js";
import type { GetRPCMethods } from "../soap/acs-methods.js";
import type {
  AutonomousDUStateChangeComplete,
  AutonomousTransferComplete,
  DUStateChangeComplete,
  Kicked,
  RequestDownload,
  TransferComplete,
} from "../soap/cpe-methods.js";
import {
  deliveringRequest,
  EventCode,
  eventRank,
  isDiscardedOnReboot,
  isMultipleEvent,
} from "./event-codes.js";

/** The most events one Inform may carry: the session's {@link MAX_INFORM_EVENTS} (XSD maxOccurs 64). */
export const MAX_EVENTS_PER_INFORM = MAX_INFORM_EVENTS;

/** One queued event. */
export interface QueuedEvent extends EventStruct {
  /** Position in the order of raising; never reused within a queue's life. */
  readonly seq: number;
}

/** A CPE request the queue keeps until its response arrives. */
export type CpeRequest =
  | TransferComplete
  | AutonomousTransferComplete
  | RequestDownload
  | Kicked
  | GetRPCMethods
  | DUStateChangeComplete
  | AutonomousDUStateChangeComplete;

/** One queued CPE request. */
export interface QueuedRequest {
  readonly seq: number;
  readonly message: CpeRequest;
}

/** A ScheduleInform waiting for its time (`dueAt`, epoch ms). */
export interface ScheduledInform {
  readonly commandKey: string;
  readonly dueAt: number;
}

/** The whole queue of one device, as persisted (section `"events"`). */
export interface EventQueueState {
  /** The ACS URL the queue was built for; a change discards the queue (0 BOOTSTRAP). */
  readonly acsUrl: string;
  readonly nextSeq: number;
  readonly events: readonly QueuedEvent[];
  readonly requests: readonly QueuedRequest[];
  readonly scheduledInforms: readonly ScheduledInform[];
  /**
   * CommandKeys of the ACS Reboot RPCs answered and not yet carried out, in order (no
   * duplicates): each becomes an `M Reboot` at the next boot. Saved before RebootResponse is
   * sent (write-ahead), so a crash after answering still reports them.
   */
  readonly rebootCommandKeys: readonly string[];
}

/** What one Inform carries: at most 64 events and the CPE requests that go with them. */
export interface InformBatch {
  readonly events: readonly QueuedEvent[];
  readonly requests: readonly QueuedRequest[];
}

/** An empty queue for `acsUrl`. */
export const emptyEventQueue = (acsUrl: string): EventQueueState => ({
  acsUrl,
  nextSeq: 1,
  events: [],
  requests: [],
  scheduledInforms: [],
  rebootCommandKeys: [],
});

const sameEvent = (a: EventStruct, code: string, commandKey: string): boolean =>
  a.eventCode === code && (!isMultipleEvent(code) || a.commandKey === commandKey);

/**
 * Raises an event. A Single code is kept at most once and a Multiple one once per CommandKey:
 * raising it again replaces the queued one with a fresh sequence number, so that a copy being
 * delivered by the running session does not swallow the new occurrence.
 */
export const addEvent = (
  state: EventQueueState,
  eventCode: string,
  commandKey = "",
): EventQueueState => ({
  ...state,
  nextSeq: state.nextSeq + 1,
  events: [
    ...state.events.filter((e) => !sameEvent(e, eventCode, commandKey)),
    { eventCode, commandKey: isMultipleEvent(eventCode) ? commandKey : "", seq: state.nextSeq },
  ],
});

/** Raises several events in order. */
export const addEvents = (
  state: EventQueueState,
  events: readonly EventStruct[],
): EventQueueState => events.reduce((s, e) => addEvent(s, e.eventCode, e.commandKey), state);

/**
 * Queues a CPE request together with the events that announce it (e.g. a TransferComplete
 * with `7 TRANSFER COMPLETE` and `M Download`), in one state change so that a crash cannot
 * separate them.
 */
export const addCpeRequest = (
  state: EventQueueState,
  message: CpeRequest,
  events: readonly EventStruct[],
): EventQueueState => {
  const withRequest: EventQueueState = {
    ...state,
    nextSeq: state.nextSeq + 1,
    requests: [...state.requests, { seq: state.nextSeq, message }],
  };
  return addEvents(withRequest, events);
};

/** Records a ScheduleInform (DelaySeconds already turned into `dueAt`). */
export const addScheduledInform = (
  state: EventQueueState,
  scheduled: ScheduledInform,
): EventQueueState => ({ ...state, scheduledInforms: [...state.scheduledInforms, scheduled] });

/** Turns every ScheduleInform due at `now` into `3 SCHEDULED` + `M ScheduleInform` (CommandKey). */
export const promoteDueScheduledInforms = (
  state: EventQueueState,
  now: number,
): EventQueueState => {
  const due = state.scheduledInforms.filter((s) => s.dueAt <= now);
  if (due.length === 0) return state;
  const rest = { ...state, scheduledInforms: state.scheduledInforms.filter((s) => s.dueAt > now) };
  return due.reduce<EventQueueState>(
    (s, d) => addEvent(addEvent(s, EventCode.Scheduled), EventCode.MScheduleInform, d.commandKey),
    rest,
  );
};

/**
 * Remembers the CommandKey of an ACS Reboot; must be persisted before answering RebootResponse.
 * A key already recorded is kept once (`M Reboot` is reported once per CommandKey).
 */
export const recordReboot = (state: EventQueueState, commandKey: string): EventQueueState =>
  state.rebootCommandKeys.includes(commandKey)
    ? state
    : { ...state, rebootCommandKeys: [...state.rebootCommandKeys, commandKey] };

/**
 * Forgets recorded Reboot CommandKeys (all of them when `commandKeys` is omitted): the reboot
 * will not happen (the device refused it, or the session that asked for it failed).
 */
export const forgetReboots = (
  state: EventQueueState,
  commandKeys?: readonly string[],
): EventQueueState => ({
  ...state,
  rebootCommandKeys:
    commandKeys === undefined
      ? []
      : state.rebootCommandKeys.filter((k) => !commandKeys.includes(k)),
});

/**
 * The queue for a new ACS URL: every undelivered event, queued request and pending
 * ScheduleInform is discarded, and `0 BOOTSTRAP` is raised (§1.5).
 */
export const changeAcsUrl = (state: EventQueueState, acsUrl: string): EventQueueState =>
  addEvent({ ...emptyEventQueue(acsUrl), nextSeq: state.nextSeq }, EventCode.Bootstrap);

/**
 * The queue at a start of the agent. `stored` is what the store held (undefined on the first
 * start). First start or a different ACS URL: `0 BOOTSTRAP` on an empty queue. Always `1 BOOT`;
 * one `M Reboot` per persisted CommandKey after an ACS-requested reboot; events that a
 * reboot discards are dropped; ScheduleInforms that fell due meanwhile are raised.
 */
export const bootEventQueue = (
  stored: EventQueueState | undefined,
  acsUrl: string,
  now: number,
): EventQueueState => {
  if (stored === undefined || stored.acsUrl !== acsUrl) {
    const fresh = stored === undefined ? emptyEventQueue(acsUrl) : changeAcsUrl(stored, acsUrl);
    const bootstrapped = stored === undefined ? addEvent(fresh, EventCode.Bootstrap) : fresh;
    return addEvent(bootstrapped, EventCode.Boot);
  }
  const kept: EventQueueState = {
    ...stored,
    events: stored.events.filter((e) => !isDiscardedOnReboot(e.eventCode)),
    rebootCommandKeys: [],
  };
  const rebooted = stored.rebootCommandKeys.reduce(
    (s, key) => addEvent(s, EventCode.MReboot, key),
    addEvent(kept, EventCode.Boot),
  );
  return promoteDueScheduledInforms(rebooted, now);
};

/** True when `event` is announced by `request` (same delivering request, same CommandKey for M events). */
const announces = (event: QueuedEvent, request: QueuedRequest): boolean =>
  deliveringRequest(event.eventCode) === request.message._tag &&
  (!isMultipleEvent(event.eventCode) ||
    ("commandKey" in request.message && request.message.commandKey === event.commandKey));

/**
 * The next Inform's content. Over 64 events, Single events are kept first (in code order:
 * BOOTSTRAP, BOOT, ... are the ones an ACS must see), then Multiple events oldest first; the
 * rest stay queued for a following session. A CPE request goes with the batch only when every
 * event announcing it is in the batch.
 */
export const selectForInform = (state: EventQueueState): InformBatch => {
  const ordered = [...state.events].sort(
    (a, b) => eventRank(a.eventCode) - eventRank(b.eventCode) || a.seq - b.seq,
  );
  const events = ordered.slice(0, MAX_EVENTS_PER_INFORM);
  const chosen = new Set(events.map((e) => e.seq));
  const requests = state.requests.filter((r) =>
    state.events.every((e) => !announces(e, r) || chosen.has(e.seq)),
  );
  return { events, requests };
};

/** The EventStructs of a batch, as the Inform writes them. */
export const informEventList = (batch: InformBatch): readonly EventStruct[] =>
  batch.events.map((e) => ({ eventCode: e.eventCode, commandKey: e.commandKey }));

/**
 * Applies an InformResponse: the batch's events delivered by the Inform are removed. An event
 * awaiting a request's response with no such request queued (nothing could ever deliver it)
 * is removed too rather than kept forever.
 */
export const informDelivered = (state: EventQueueState, batch: InformBatch): EventQueueState => {
  const sent = new Set(batch.events.map((e) => e.seq));
  return {
    ...state,
    events: state.events.filter(
      (e) =>
        !sent.has(e.seq) ||
        (deliveringRequest(e.eventCode) !== "Inform" &&
          state.requests.some((r) => announces(e, r))),
    ),
  };
};

/**
 * Applies the response to the queued request `seq` (e.g. TransferCompleteResponse): the request
 * is removed, and so is every event no remaining request announces (`7 TRANSFER COMPLETE` goes
 * with the last pending TransferComplete, `M Download` with the one of its CommandKey).
 */
export const requestDelivered = (state: EventQueueState, seq: number): EventQueueState => {
  const delivered = state.requests.find((r) => r.seq === seq);
  if (delivered === undefined) return state;
  const requests = state.requests.filter((r) => r.seq !== seq);
  return {
    ...state,
    requests,
    events: state.events.filter(
      (e) => !announces(e, delivered) || requests.some((r) => announces(e, r)),
    ),
  };
};

/**
 * Applies a failed session: `6 CONNECTION REQUEST` of the batch is dropped (it MUST NOT be
 * retried); every other event stays for the retry.
 */
export const sessionFailed = (state: EventQueueState, batch: InformBatch): EventQueueState => {
  const sent = new Set(batch.events.map((e) => e.seq));
  return {
    ...state,
    events: state.events.filter(
      (e) => !(sent.has(e.seq) && e.eventCode === EventCode.ConnectionRequest),
    ),
  };
};

/**
 * What of `state` survives a restart: {@link bootEventQueue} drops the events a reboot discards
 * (`1 BOOT`, `6 CONNECTION REQUEST`, ...), so whether they were ever stored makes no difference
 * after a crash, and neither does `nextSeq` (it only has to stay above the stored items' seqs,
 * which it does). Two states with the same durable part need not both be saved.
 */
export const durablePart = (state: EventQueueState): Omit<EventQueueState, "nextSeq"> => {
  const { nextSeq: _nextSeq, ...rest } = state;
  return { ...rest, events: state.events.filter((e) => !isDiscardedOnReboot(e.eventCode)) };
};

/** True when the queue holds events the batch did not carry (raised meanwhile, or over 64). */
export const hasUnsentEvents = (state: EventQueueState, batch: InformBatch): boolean => {
  const sent = new Set(batch.events.map((e) => e.seq));
  return state.events.some((e) => !sent.has(e.seq));
};
