/**
 * The dateTime form of the TR-143 times: UTC with six fraction digits, because ROMTime, BOMTime,
 * EOMTime and the TCP open times are specified to the microsecond.
 * @module
 */

/**
 * Formats epoch milliseconds (with an optional microsecond fraction) as
 * `YYYY-MM-DDThh:mm:ss.ffffffZ`. A time before the epoch or not finite gives the unknown time
 * `0001-01-01T00:00:00Z`.
 */
export const diagnosticsDateTime = (epochMs: number): string => {
  if (!Number.isFinite(epochMs) || epochMs < 0) return "0001-01-01T00:00:00Z";
  const totalUs = Math.round(epochMs * 1000);
  const wholeMs = Math.floor(totalUs / 1_000_000) * 1000;
  const micros = totalUs - wholeMs * 1000;
  const seconds = new Date(wholeMs).toISOString().slice(0, 19);
  return `${seconds}.${String(micros).padStart(6, "0")}Z`;
};
