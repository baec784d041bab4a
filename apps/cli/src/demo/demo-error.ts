/**
 * The failure of a demo step: which step, and what was seen instead of what was expected.
 * @module
 */
import { Data } from "effect";

/** A demo step that failed (a timeout included: every wait of the tour is bounded). */
export class DemoError extends Data.TaggedError("DemoError")<{
  readonly step: string;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `demo step "${this.step}" failed: ${this.detail}`;
  }
}
