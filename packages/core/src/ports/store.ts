/**
 * The `Store` port: durable state of one device (event queue, parameter values, attributes,
 * ParameterKey, instance counters, pending transfers).
 *
 * The store holds one JSON document split into sections, one per subsystem that owns it
 * (`"datamodel"`, `"events"`, `"transfers"`, ...). A save replaces the whole document
 * atomically: after a crash at any instant, a load returns either the previous or the new
 * document, never a mix and never an empty one in place of a corrupt one.
 * @module
 */
import { Context, Data, Effect, Option, Ref } from "effect";

/** Any JSON value. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** The persisted document: one JSON value per section. */
export type StoreDocument = { readonly [section: string]: JsonValue };

/** Why a store operation failed. */
export type StoreErrorReason = "Corrupt" | "ReadFailed" | "WriteFailed";

/** A failure of the store; `path` names the file (or other location) involved. */
export class StoreError extends Data.TaggedError("StoreError")<{
  readonly reason: StoreErrorReason;
  readonly path: string;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `store ${this.reason} at ${this.path}: ${this.detail}`;
  }
}

/** Durable storage of one device's document. */
export interface StoreService {
  /** Reads the stored document; `None` when nothing was ever stored. A corrupt document fails with reason `Corrupt`. */
  readonly load: Effect.Effect<Option.Option<StoreDocument>, StoreError>;
  /** Atomically replaces the stored document. */
  readonly save: (document: StoreDocument) => Effect.Effect<void, StoreError>;
}

/** The `Store` port. */
export class Store extends Context.Tag("@cpekit/core/Store")<Store, StoreService>() {}

/**
 * An in-memory store (for tests and simulated fleets). `initial` seeds the document; the
 * returned `snapshot` reads what was last saved.
 */
export const makeMemoryStore = (
  initial?: StoreDocument,
): Effect.Effect<
  StoreService & { readonly snapshot: Effect.Effect<Option.Option<StoreDocument>> }
> =>
  Effect.map(Ref.make(Option.fromNullable(initial)), (ref) => ({
    load: Ref.get(ref),
    // Structured clone keeps callers from mutating what was "persisted".
    save: (document) => Ref.set(ref, Option.some(structuredClone(document) as StoreDocument)),
    snapshot: Ref.get(ref),
  }));
