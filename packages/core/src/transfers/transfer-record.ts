/**
 * A queued file transfer (Download, Upload or ScheduleDownload, requirements section 1.13) as
 * persisted in the Store section `"transfers"`, so that a restart finishes or reports it.
 * @module
 */
import { Data, Either, ParseResult, Schema } from "effect";
import type { JsonValue } from "../ports/store.js";

/** The store section holding queued transfers. */
export const TRANSFERS_SECTION = "transfers";

/**
 * Where a transfer is: `queued` (State 1 not yet started), `transferring` and `applying`
 * (State 2 in progress), `completed` (State 3: done, its TransferComplete not yet delivered).
 * `applying` is saved before the file is handed to the device, so that a reboot caused by a
 * firmware install is reported as the transfer's success rather than starting it again.
 */
export type TransferPhase = "queued" | "transferring" | "applying" | "completed";

/** A ScheduleDownload time window in absolute time (epoch ms). */
export interface TransferWindow {
  readonly start: number;
  readonly end: number;
  readonly mode: string;
  readonly maxRetries: number;
}

/** One transfer. */
export interface TransferRecord {
  readonly id: number;
  readonly kind: "download" | "upload";
  /** True for ScheduleDownload (its event is `M ScheduleDownload`). */
  readonly scheduled: boolean;
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  /** Not before this instant (epoch ms): DelaySeconds after the request, or the first window. */
  readonly notBefore: number;
  /** ScheduleDownload windows, in order (empty for Download and Upload). */
  readonly windows: readonly TransferWindow[];
  readonly phase: TransferPhase;
  readonly attempts: number;
  /** Epoch ms of the current or last attempt's start. */
  readonly startTime?: number;
}

/** The persisted transfers of one device. */
export interface TransferQueueState {
  readonly nextId: number;
  readonly records: readonly TransferRecord[];
}

/** The stored transfers could not be read back. */
export class TransferStateError extends Data.TaggedError("TransferStateError")<{
  readonly reason: "CorruptState";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `transfers ${this.reason}: ${this.detail}`;
  }
}

const Persisted = Schema.Struct({
  version: Schema.Literal(1),
  nextId: Schema.Int,
  records: Schema.Array(
    Schema.Struct({
      id: Schema.Int,
      kind: Schema.Literal("download", "upload"),
      scheduled: Schema.Boolean,
      commandKey: Schema.String,
      fileType: Schema.String,
      url: Schema.String,
      username: Schema.String,
      password: Schema.String,
      fileSize: Schema.Number,
      targetFileName: Schema.String,
      notBefore: Schema.Number,
      windows: Schema.Array(
        Schema.Struct({
          start: Schema.Number,
          end: Schema.Number,
          mode: Schema.String,
          maxRetries: Schema.Number,
        }),
      ),
      phase: Schema.Literal("queued", "transferring", "applying", "completed"),
      attempts: Schema.Int,
      startTime: Schema.optional(Schema.Number),
    }),
  ),
});

/** No transfers. */
export const emptyTransferQueue: TransferQueueState = { nextId: 1, records: [] };

/** The JSON written to the store. */
export const encodeTransferState = (state: TransferQueueState): JsonValue =>
  JSON.parse(JSON.stringify({ version: 1, ...state })) as JsonValue;

/** Reads the stored section back; a malformed one fails naming the bad field. */
export const decodeTransferState = (
  json: unknown,
): Either.Either<TransferQueueState, TransferStateError> =>
  Either.map(
    Either.mapLeft(
      Schema.decodeUnknownEither(Persisted)(json),
      (e) =>
        new TransferStateError({
          reason: "CorruptState",
          detail: `section "${TRANSFERS_SECTION}": ${ParseResult.TreeFormatter.formatErrorSync(e)}`,
          cause: e,
        }),
    ),
    ({ version: _version, ...state }) => state,
  );

/** `State` of GetAllQueuedTransfers for a phase: 1 not yet started, 2 in progress, 3 completed. */
export const queuedTransferState = (phase: TransferPhase): 1 | 2 | 3 =>
  phase === "queued" ? 1 : phase === "completed" ? 3 : 2;
