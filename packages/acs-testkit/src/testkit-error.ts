/**
 * The one error family of the testkit: every failure a script can see (a wait that timed out,
 * a call whose session ended, the server stopping, a bad argument, an HTTP failure towards the
 * CPE) is a {@link TestAcsError} with a stable `reason`.
 * @module
 */
import { Data } from "effect";

/** Why a testkit operation failed. Stable strings: tests match on them. */
export type TestAcsErrorReason =
  /** A wait (`nextInform`, `nextSession`, `call`, ...) passed its timeout. */
  | "Timeout"
  /** The session ended (204 not reached, timeout, dropped) before the CPE answered a call. */
  | "SessionEnded"
  /** The ACS was stopped while the operation was waiting. */
  | "Stopped"
  /** The server could not listen on 127.0.0.1. */
  | "Listen"
  /** An argument was invalid (a URL that is not loopback, a path without a leading slash, ...). */
  | "BadInput"
  /** An outgoing HTTP exchange (connection request) failed at the transport level. */
  | "Transport";

/** A typed failure of the testkit, with a stable {@link TestAcsErrorReason}. */
export class TestAcsError extends Data.TaggedError("TestAcsError")<{
  readonly reason: TestAcsErrorReason;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** True when `u` is a {@link TestAcsError}. */
export const isTestAcsError = (u: unknown): u is TestAcsError => u instanceof TestAcsError;
