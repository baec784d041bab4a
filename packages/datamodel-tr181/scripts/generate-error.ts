/**
 * The one error family of the generator: the BBF input is missing or not what it expects.
 * @module
 */
import * as Data from "effect/Data";

/** Why generation failed. */
export type GenerateErrorReason =
  | "MissingFile"
  | "NotFlattened"
  | "NoModel"
  | "UnknownDataType"
  | "DataTypeCycle"
  | "NoBaseType"
  | "BadXml";

/** Generation failed; `detail` names the file, data type or item concerned. */
export class GenerateError extends Data.TaggedError("GenerateError")<{
  readonly reason: GenerateErrorReason;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `${this.reason}: ${this.detail}`;
  }
}

/** True when `u` is a {@link GenerateError}. */
export const isGenerateError = (u: unknown): u is GenerateError => u instanceof GenerateError;
