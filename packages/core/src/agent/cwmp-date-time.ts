/**
 * Epoch milliseconds as the `xs:dateTime` CWMP messages carry (Inform CurrentTime,
 * TransferComplete StartTime/CompleteTime, requirements section 1.13).
 * @module
 */
import { UNKNOWN_TIME } from "../cwmp/value.js";

/**
 * `ms` as a UTC `xs:dateTime` in whole seconds (some ACSs and CPEs choke on fractions, §1.12).
 * A time that is not known, or not representable, is the Unknown Time `0001-01-01T00:00:00Z`
 * rather than a thrown `RangeError` from `Date#toISOString`.
 */
export const cwmpDateTime = (ms: number | undefined): string => {
  const date = new Date(ms ?? Number.NaN);
  return Number.isNaN(date.getTime()) ? UNKNOWN_TIME : date.toISOString().replace(/\.\d{3}Z$/, "Z");
};
