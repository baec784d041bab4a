/**
 * Each device's own periodic phase: a fleet whose devices all informed at the same second of
 * the hour would hammer the ACS once an hour. Unless the profile fixes it, device `index` of
 * `count` gets `PeriodicInformTime` = a reference instant plus `index * interval / count`
 * seconds, so the fleet's periodic Informs are spread evenly over the interval and each device
 * keeps its phase across restarts (TR-069 §3.2.1: Informs at PeriodicInformTime + k * interval).
 * @module
 */

/** The reference instant of the spread phases (any fixed past instant would do). */
export const PHASE_REFERENCE = "2000-01-01T00:00:00Z";

/** Seconds after the reference at which device `index` of `count` has its periodic phase. */
export const phaseOffsetSeconds = (
  index: number,
  count: number,
  intervalSeconds: number,
): number =>
  count <= 0 ? 0 : Math.floor((index * intervalSeconds) / count) % Math.max(1, intervalSeconds);

/** The `PeriodicInformTime` (xsd:dateTime, UTC) of device `index` of `count`. */
export const periodicInformTimeFor = (
  index: number,
  count: number,
  intervalSeconds: number,
): string =>
  new Date(Date.parse(PHASE_REFERENCE) + phaseOffsetSeconds(index, count, intervalSeconds) * 1000)
    .toISOString()
    .replace(/\.000Z$/, "Z");
