/**
 * The transfers of one device in memory, written ahead to the Store section `"transfers"`.
 * A completion is saved together with the TransferComplete it queues (one atomic save of both
 * sections), so a crash can neither lose the report nor send it twice.
 * @module
 */
import { Effect, Option, Ref } from "effect";
import { addCpeRequest } from "../agent/event-queue.js";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import type { SectionStore } from "../agent/section-store.js";
import type { EventStruct } from "../cwmp/structs.js";
import type { StoreError } from "../ports/store.js";
import type { TransferComplete } from "../soap/cpe-methods.js";
import {
  decodeTransferState,
  emptyTransferQueue,
  encodeTransferState,
  TRANSFERS_SECTION,
  type TransferQueueState,
  type TransferRecord,
  type TransferStateError,
} from "./transfer-record.js";

/** Saved access to one device's transfers. */
export interface TransferStore {
  readonly get: Effect.Effect<TransferQueueState>;
  /** Applies `f`, saves, then makes the result current (nothing acts on an unsaved change). */
  readonly update: (
    f: (s: TransferQueueState) => TransferQueueState,
  ) => Effect.Effect<TransferQueueState, StoreError>;
  /**
   * Marks `id` completed and queues its TransferComplete with `events`, in one save.
   * Completed records whose TransferComplete was already delivered are pruned at the same time.
   */
  readonly complete: (
    id: number,
    report: TransferComplete,
    events: readonly EventStruct[],
  ) => Effect.Effect<void, StoreError>;
}

/** Drops completed records whose TransferComplete has left the event queue (delivered). */
export const pruneReported = (
  state: TransferQueueState,
  pendingCommandKeys: ReadonlySet<string>,
): TransferQueueState => ({
  ...state,
  records: state.records.filter(
    (r) => r.phase !== "completed" || pendingCommandKeys.has(r.commandKey),
  ),
});

/** Command keys of the TransferCompletes still queued. */
export const pendingTransferCompletes = (
  queue: PersistentEventQueue,
): Effect.Effect<ReadonlySet<string>> =>
  Effect.map(
    queue.get,
    (q) =>
      new Set(
        q.requests.flatMap((r) =>
          r.message._tag === "TransferComplete" ? [r.message.commandKey] : [],
        ),
      ),
  );

/** Loads the stored transfers (empty when none) and keeps them for `queue`'s reports. */
export const makeTransferStore = (
  store: SectionStore,
  queue: PersistentEventQueue,
): Effect.Effect<TransferStore, StoreError | TransferStateError> =>
  Effect.gen(function* () {
    const section = yield* store.read(TRANSFERS_SECTION);
    const loaded = Option.isSome(section)
      ? yield* decodeTransferState(section.value)
      : emptyTransferQueue;
    const ref = yield* Ref.make(pruneReported(loaded, yield* pendingTransferCompletes(queue)));
    const lock = yield* Effect.makeSemaphore(1);
    const update = (f: (s: TransferQueueState) => TransferQueueState) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const next = f(yield* Ref.get(ref));
          yield* store.write({ [TRANSFERS_SECTION]: encodeTransferState(next) });
          yield* Ref.set(ref, next);
          return next;
        }),
      );
    const complete = (id: number, report: TransferComplete, events: readonly EventStruct[]) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const pending = yield* pendingTransferCompletes(queue);
          const current = yield* Ref.get(ref);
          const next = pruneReported(
            {
              ...current,
              records: current.records.map(
                (r): TransferRecord => (r.id === id ? { ...r, phase: "completed" } : r),
              ),
            },
            new Set([...pending, report.commandKey]),
          );
          yield* queue.update((q) => addCpeRequest(q, report, events), {
            [TRANSFERS_SECTION]: encodeTransferState(next),
          });
          yield* Ref.set(ref, next);
        }),
      );
    return { get: Ref.get(ref), update, complete };
  });
