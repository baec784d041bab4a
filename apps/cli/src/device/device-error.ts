/**
 * Why a device could not run.
 * @module
 */
import { Data } from "effect";

/** A device that could not start or stopped for good. */
export class DeviceError extends Data.TaggedError("DeviceError")<{
  readonly reason: "Listen" | "PluginFailed" | "AgentFailed" | "BootFailed" | "StoreFailed";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `device ${this.reason}: ${this.detail}`;
  }
}
