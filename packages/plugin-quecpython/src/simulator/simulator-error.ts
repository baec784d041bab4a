/**
 * The typed error of the simulated module.
 * @module
 */
import { Data } from "effect";

/** Why a simulator operation failed. */
export type SimulatorErrorReason = "PortAbsent" | "PortBusy" | "Closed" | "BootFailed";

/** A simulated-module failure. */
export class SimulatorError extends Data.TaggedError("SimulatorError")<{
  readonly reason: SimulatorErrorReason;
  readonly detail: string;
}> {
  override get message(): string {
    return `simulated module ${this.reason}: ${this.detail}`;
  }
}
