/**
 * The reconnect schedule of the bridge link: exponential, capped, with a bounded number of
 * attempts when asked.
 * @module
 */

/** Reconnect policy. */
export interface ReconnectPolicy {
  /** Delay before the first attempt, in ms (default 50). */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts, in ms (default 5000). */
  readonly maxDelayMs?: number;
  /** Growth factor between attempts (default 2). */
  readonly factor?: number;
  /** Attempts before giving up and closing the link (default: unlimited). */
  readonly maxAttempts?: number;
}

/** The delay before attempt `attempt` (0-based), or `undefined` when attempts are exhausted. */
export const reconnectDelay = (policy: ReconnectPolicy, attempt: number): number | undefined => {
  if (attempt >= (policy.maxAttempts ?? Number.POSITIVE_INFINITY)) return undefined;
  const initial = policy.initialDelayMs ?? 50;
  const max = policy.maxDelayMs ?? 5000;
  return Math.min(max, initial * (policy.factor ?? 2) ** attempt);
};
