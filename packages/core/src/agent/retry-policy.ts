/**
 * The session retry policy of TR-069 §3.2.1.1 (requirements section 1.6): how long to wait
 * before retrying a failed session, and the `RetryCount` the next Inform carries.
 * @module
 */

/** `ManagementServer.CWMPRetryMinimumWaitInterval` (m, seconds) and `CWMPRetryIntervalMultiplier` (k, thousandths). */
export interface RetryParameters {
  /** m: 1..65535 seconds, default 5. */
  readonly minimumWaitInterval: number;
  /** k: 1000..65535 in units of 0.001, default 2000. */
  readonly intervalMultiplier: number;
}

/** The defaults of TR-181 `ManagementServer`: m = 5 s, k = 2000. */
export const defaultRetryParameters: RetryParameters = {
  minimumWaitInterval: 5,
  intervalMultiplier: 2000,
};

/** Retry numbers above this one wait as long as retry 10 (§1.6: "#10 and later"). */
export const RETRY_EXPONENT_CAP = 10;

/** A source of uniform random numbers in [0, 1) (injected so tests are deterministic). */
export type RandomSource = () => number;

/** The interval, in seconds, a retry's wait is drawn from. */
export interface RetryWaitBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Bounds of the wait before retry `n` (1-based; values below 1 count as 1, above 10 as 10):
 * [m·(k/1000)^(n-1), m·(k/1000)^n] seconds (§1.6, obuspa `RETRY_WAIT_Calculate`).
 */
export const retryWaitBounds = (
  n: number,
  parameters: RetryParameters = defaultRetryParameters,
): RetryWaitBounds => {
  const capped = Math.min(Math.max(Math.floor(n), 1), RETRY_EXPONENT_CAP);
  const m = parameters.minimumWaitInterval;
  const ratio = parameters.intervalMultiplier / 1000;
  return { min: m * ratio ** (capped - 1), max: m * ratio ** capped };
};

/**
 * The wait in seconds before retry `n`, drawn uniformly from {@link retryWaitBounds}. When the
 * ACS answered 503 with `Retry-After`, the wait is at least that long (an interop rule, not
 * in the spec: GenieACS sends `Retry-After: 60` when saturated).
 */
export const retryWaitSeconds = (
  n: number,
  parameters: RetryParameters,
  random: RandomSource,
  retryAfterSeconds?: number,
): number => {
  const { min, max } = retryWaitBounds(n, parameters);
  // Clamp the draw: a faulty source must not push the wait outside the spec's interval.
  const u = Math.min(Math.max(random(), 0), 1);
  const drawn = min + u * (max - min);
  return retryAfterSeconds !== undefined && retryAfterSeconds > drawn ? retryAfterSeconds : drawn;
};

/**
 * `RetryCount` of the next Inform: the number of failed attempts since the last successful
 * session (0 after a success or a reboot: the count is "post-reboot" [R]).
 */
export const nextRetryCount = (retryCount: number, outcome: "success" | "failure"): number =>
  outcome === "success" ? 0 : retryCount + 1;
