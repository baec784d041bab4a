/**
 * The typed error of bridge generation.
 * @module
 */
import { Data } from "effect";

/** Why a bridge could not be generated. */
export type BridgeGenerateErrorReason =
  | "InvalidKey"
  | "DuplicateKey"
  | "UnknownSetter"
  | "ForbiddenImport"
  | "NameClash"
  | "TooLarge";

/** A bridge map that cannot become a bridge. */
export class BridgeGenerateError extends Data.TaggedError("BridgeGenerateError")<{
  readonly reason: BridgeGenerateErrorReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `bridge generation failed (${this.reason}): ${this.detail}`;
  }
}

/** Type guard for {@link BridgeGenerateError}. */
export const isBridgeGenerateError = (u: unknown): u is BridgeGenerateError =>
  u instanceof BridgeGenerateError;
