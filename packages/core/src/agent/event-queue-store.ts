/**
 * Persistence of the event queue (Store section `"events"`) and the write-ahead discipline
 * that makes it crash-safe.
 *
 * Guarantee (tested in `event-queue-store.test.ts`): every state change is saved before anything
 * acts on it (a session is started, a request is sent, the device reboots). A change that only
 * touches what a restart forgets anyway (`6 CONNECTION REQUEST` raised or delivered, `1 BOOT`
 * delivered: {@link durablePart}) is not written: the stored document already restarts the
 * device in the same state, and a connection-request session then costs no write at all.
 * Therefore, after a crash at any instant:
 * - nothing undelivered is lost: an event leaves the stored queue only after the response that
 *   delivers it was received (or by a stated rule: `6 CONNECTION REQUEST` and the other codes a
 *   reboot discards);
 * - nothing whose delivery was saved is sent again. The one window for a repeat is a crash
 *   between receiving a response and completing its save: the events and requests of that
 *   response are then sent once more (at-least-once delivery, which an ACS must tolerate, as it
 *   does a lost InformResponse).
 * @module
 */
import { Data, Effect, Either, Option, ParseResult, Schema } from "effect";
import type { JsonValue, StoreError } from "../ports/store.js";
import { OpResultSchema } from "../software-modules/op-result-schema.js";
import { bootEventQueue, durablePart, type EventQueueState } from "./event-queue.js";
import type { SectionStore } from "./section-store.js";

/** The store section holding the event queue. */
export const EVENTS_SECTION = "events";

/** The stored queue could not be read back. */
export class EventQueueError extends Data.TaggedError("EventQueueError")<{
  readonly reason: "CorruptState";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `event queue ${this.reason}: ${this.detail}`;
  }
}

const FaultStruct = Schema.Struct({ faultCode: Schema.Number, faultString: Schema.String });

const CpeRequestSchema = Schema.Union(
  Schema.Struct({
    _tag: Schema.Literal("TransferComplete"),
    commandKey: Schema.String,
    faultStruct: FaultStruct,
    startTime: Schema.String,
    completeTime: Schema.String,
  }),
  Schema.Struct({
    _tag: Schema.Literal("AutonomousTransferComplete"),
    announceUrl: Schema.String,
    transferUrl: Schema.String,
    isDownload: Schema.Boolean,
    fileType: Schema.String,
    fileSize: Schema.Number,
    targetFileName: Schema.String,
    faultStruct: FaultStruct,
    startTime: Schema.String,
    completeTime: Schema.String,
  }),
  Schema.Struct({
    _tag: Schema.Literal("RequestDownload"),
    fileType: Schema.String,
    fileTypeArg: Schema.Array(Schema.Struct({ name: Schema.String, value: Schema.String })),
  }),
  Schema.Struct({
    _tag: Schema.Literal("Kicked"),
    command: Schema.String,
    referer: Schema.String,
    arg: Schema.String,
    next: Schema.String,
  }),
  Schema.Struct({ _tag: Schema.Literal("GetRPCMethods") }),
  Schema.Struct({
    _tag: Schema.Literal("DUStateChangeComplete"),
    results: Schema.Array(OpResultSchema),
    commandKey: Schema.optional(Schema.String),
  }),
  Schema.Struct({
    _tag: Schema.Literal("AutonomousDUStateChangeComplete"),
    results: Schema.Array(
      Schema.Struct({ ...OpResultSchema.fields, operationPerformed: Schema.String }),
    ),
  }),
);

const Seq = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1));

const QueueFields = {
  acsUrl: Schema.String,
  nextSeq: Seq,
  events: Schema.Array(
    Schema.Struct({ eventCode: Schema.String, commandKey: Schema.String, seq: Seq }),
  ),
  requests: Schema.Array(Schema.Struct({ seq: Seq, message: CpeRequestSchema })),
  scheduledInforms: Schema.Array(
    Schema.Struct({ commandKey: Schema.String, dueAt: Schema.Number }),
  ),
};

/** The persisted form written today (version 2): every pending Reboot's CommandKey. */
const PersistedQueueV2 = Schema.Struct({
  version: Schema.Literal(2),
  ...QueueFields,
  rebootCommandKeys: Schema.Array(Schema.String),
});

/** The form earlier releases wrote (version 1): at most one Reboot CommandKey. Still read. */
const PersistedQueueV1 = Schema.Struct({
  version: Schema.Literal(1),
  ...QueueFields,
  rebootCommandKey: Schema.NullOr(Schema.String),
});

const PersistedQueue = Schema.Union(PersistedQueueV2, PersistedQueueV1);

/** The JSON written to the store for `state`. */
export const encodeEventQueue = (state: EventQueueState): JsonValue =>
  JSON.parse(JSON.stringify({ version: 2, ...state })) as JsonValue;

/**
 * Reads a stored section back (either persisted version); a malformed one fails naming the
 * bad field.
 */
export const decodeEventQueue = (json: unknown): Either.Either<EventQueueState, EventQueueError> =>
  Either.map(
    Either.mapLeft(
      Schema.decodeUnknownEither(PersistedQueue)(json),
      (e) =>
        new EventQueueError({
          reason: "CorruptState",
          detail: `section "${EVENTS_SECTION}": ${ParseResult.TreeFormatter.formatErrorSync(e)}`,
          cause: e,
        }),
    ),
    (persisted): EventQueueState => {
      if (persisted.version === 2) {
        const { version: _version, ...state } = persisted;
        return state;
      }
      const { version: _version, rebootCommandKey, ...rest } = persisted;
      return { ...rest, rebootCommandKeys: rebootCommandKey === null ? [] : [rebootCommandKey] };
    },
  );

/** The stored queue, `None` when the section was never written. */
export const readEventQueue = (
  store: SectionStore,
): Effect.Effect<Option.Option<EventQueueState>, StoreError | EventQueueError> =>
  Effect.flatMap(store.read(EVENTS_SECTION), (section) => {
    return Option.match(section, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (json) => Effect.map(decodeEventQueue(json), Option.some),
    });
  });

/** Saves `state` into its section, keeping the other sections of the document. */
export const saveEventQueue = (
  store: SectionStore,
  state: EventQueueState,
): Effect.Effect<void, StoreError> => store.write({ [EVENTS_SECTION]: encodeEventQueue(state) });

/** A device's event queue, kept in memory and written ahead to the store. */
export interface PersistentEventQueue {
  /** The current (saved) state. */
  readonly get: Effect.Effect<EventQueueState>;
  /**
   * Applies `f`, saves the result, and only then makes it current and returns it: a failed save
   * leaves the queue as it was, so a caller never acts on an unsaved change. `alsoWrite`
   * sections are written in the same atomic save (a transfer leaving `"transfers"` as its
   * TransferComplete enters the queue).
   */
  readonly update: (
    f: (state: EventQueueState) => EventQueueState,
    alsoWrite?: Readonly<Record<string, JsonValue>>,
  ) => Effect.Effect<EventQueueState, StoreError>;
}

/**
 * Loads the queue, applies the boot rules ({@link bootEventQueue}) and saves the result before
 * returning: the boot's events exist on disk before the first session can start.
 */
export const makePersistentEventQueue = (
  store: SectionStore,
  acsUrl: string,
  now: number,
): Effect.Effect<PersistentEventQueue, StoreError | EventQueueError> =>
  Effect.gen(function* () {
    const stored = yield* readEventQueue(store);
    const booted = bootEventQueue(Option.getOrUndefined(stored), acsUrl, now);
    yield* saveEventQueue(store, booted);
    /** The current (saved) state; replaced only once its save, if it needs one, succeeded. */
    let current = booted;
    /** The durable part of what the store holds, as JSON (compared, never parsed). */
    let savedDurable = JSON.stringify(durablePart(booted));
    const lock = yield* Effect.makeSemaphore(1);
    // Run holding the lock: `f` is called once, on the state no other update is changing.
    const apply = (
      f: (state: EventQueueState) => EventQueueState,
      alsoWrite: Readonly<Record<string, JsonValue>> | undefined,
    ): Effect.Effect<EventQueueState, StoreError> =>
      Effect.suspend(() => {
        const next = f(current);
        const durable = JSON.stringify(durablePart(next));
        if (alsoWrite === undefined && durable === savedDurable) {
          current = next;
          return Effect.succeed(next);
        }
        return Effect.as(
          Effect.tap(store.write({ ...alsoWrite, [EVENTS_SECTION]: encodeEventQueue(next) }), () =>
            Effect.sync(() => {
              savedDurable = durable;
              current = next;
            }),
          ),
          next,
        );
      });
    return {
      get: Effect.sync(() => current),
      // The lock taken at once when it is free (the usual case), without queueing for it: a
      // session makes two updates, and waiting in line was most of their cost (issue 11).
      update: (f, alsoWrite) =>
        Effect.flatMap(lock.withPermitsIfAvailable(1)(apply(f, alsoWrite)), (done) =>
          Option.isSome(done)
            ? Effect.succeed(done.value)
            : lock.withPermits(1)(apply(f, alsoWrite)),
        ),
    };
  });
