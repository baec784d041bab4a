/**
 * Reading `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. GenieACS answers an
 * overloaded 503 with `Retry-After: 60` (requirement section 1.6).
 * @module
 */

/** Seconds to wait, from a `Retry-After` value and the current time; undefined when invalid. */
export const parseRetryAfter = (value: string | undefined, nowMs: number): number | undefined => {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  // Only the IMF-fixdate form that senders must use; Date.parse alone would accept "1.5".
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
};
