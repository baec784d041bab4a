/**
 * The boot ramp: devices start at a steady rate (`--ramp 200/s`) so the ACS sees no storm of
 * BOOTSTRAP Informs unless one is asked for (`--ramp none`).
 * @module
 */
import { Data, Either } from "effect";

/** Devices started per second; `Infinity` starts them all at once. */
export type Ramp = number;

/** A `--ramp` value that is not a positive rate. */
export class RampError extends Data.TaggedError("RampError")<{ readonly detail: string }> {
  override get message(): string {
    return `ramp: ${this.detail}`;
  }
}

const units: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600 };

/** Parses `200/s`, `1000/min`, `5/h`, a bare `200` (per second) or `none` (all at once). */
export const parseRamp = (text: string): Either.Either<Ramp, RampError> => {
  if (text.trim() === "none") return Either.right(Number.POSITIVE_INFINITY);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*([a-z]+))?\s*$/.exec(text);
  const per = m?.[2] === undefined ? 1 : units[m[2]];
  if (m === null || per === undefined)
    return Either.left(
      new RampError({ detail: `expected a rate such as 200/s, 1000/min or none, got "${text}"` }),
    );
  const rate = Number(m[1]) / per;
  if (!(rate > 0))
    return Either.left(new RampError({ detail: `the rate must be positive: "${text}"` }));
  return Either.right(rate);
};

/** Milliseconds after the fleet's start at which its `k`-th device (from 0) boots. */
export const rampDelayMs = (k: number, ramp: Ramp): number =>
  Number.isFinite(ramp) ? Math.floor((k * 1000) / ramp) : 0;
