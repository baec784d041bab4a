/**
 * The wall-clock time with a sub-millisecond fraction, for the TR-143 times (reported to the
 * microsecond): `Date.now()` has only whole milliseconds.
 * @module
 */

/** Epoch milliseconds with a microsecond fraction. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();
