/**
 * A sliding-window rate limit (requirement C5: too many Connection Requests get 503), as a
 * pure function over the times of the admitted events.
 * @module
 */

/** At most `max` events in any `windowMs` milliseconds. */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Decides on an event at `nowMs` given the times of earlier admitted events; returns whether
 * it is admitted and the times to keep (never more than `max`).
 */
export const admit = (
  limit: RateLimit,
  admitted: readonly number[],
  nowMs: number,
): readonly [boolean, readonly number[]] => {
  const recent = admitted.filter((t) => nowMs - t < limit.windowMs);
  if (recent.length >= limit.max) return [false, recent];
  return [true, [...recent, nowMs]];
};
