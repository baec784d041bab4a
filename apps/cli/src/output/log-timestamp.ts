/**
 * The time at the start of each `run` log line, in ISO 8601 (UTC, milliseconds).
 * @module
 */

/**
 * A clock for log lines: lines written within one millisecond share one string. A session
 * writes five lines, and formatting a date for each showed in its CPU profile (issue 11).
 * `now` is the wall clock in epoch milliseconds (`Date.now` unless a test gives another).
 */
export const makeLogTimestamp = (now: () => number = Date.now): (() => string) => {
  let ms = Number.NaN;
  let text = "";
  return () => {
    const at = now();
    if (at !== ms) {
      ms = at;
      text = new Date(at).toISOString();
    }
    return text;
  };
};
