/**
 * Errors of the data-model runtime that are not CWMP faults: a stored state that cannot be
 * read back, or a store that fails while a device's data model is being created.
 * @module
 */
import { Data } from "effect";

/** Why creating or persisting a data model failed. */
export type DataModelErrorReason = "CorruptState" | "StoreFailed";

/** A failure of the data-model runtime outside of an RPC (those fail with a `CwmpFault`). */
export class DataModelError extends Data.TaggedError("DataModelError")<{
  readonly reason: DataModelErrorReason;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `data model ${this.reason}: ${this.detail}`;
  }
}

/** True when `u` is a {@link DataModelError}. */
export const isDataModelError = (u: unknown): u is DataModelError => u instanceof DataModelError;
