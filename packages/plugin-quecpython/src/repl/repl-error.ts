/**
 * The typed error of raw-REPL access and deployment.
 * @module
 */
import { Data } from "effect";

/**
 * Why a REPL operation failed:
 * - `Locked`: the module answers `REPL refuse` (REPL protection via `system.replSetEnable`);
 * - `NoPrompt`: no raw-REPL prompt (the port is not the REPL, or UART3 was taken over);
 * - `Timeout`: the module stopped answering;
 * - `Exception`: the code raised on the module (`detail` holds the traceback);
 * - `Protocol`: an unexpected byte sequence;
 * - `Closed`: the stream closed;
 * - `UploadMismatch`: the written file's size differs from what was sent.
 */
export type ReplErrorReason =
  | "Locked"
  | "NoPrompt"
  | "Timeout"
  | "Exception"
  | "Protocol"
  | "Closed"
  | "UploadMismatch";

/** A failed REPL operation. */
export class ReplError extends Data.TaggedError("ReplError")<{
  readonly reason: ReplErrorReason;
  readonly detail: string;
}> {
  override get message(): string {
    if (this.reason === "Locked")
      return `the module's REPL is locked ("REPL refuse"): unlock it with system.replSetEnable or deploy another way (${this.detail})`;
    return `REPL ${this.reason}: ${this.detail}`;
  }
}

/** Type guard for {@link ReplError}. */
export const isReplError = (u: unknown): u is ReplError => u instanceof ReplError;
