/**
 * Conversions from the numeric codes QuecPython APIs answer to the TR-181 enumerations of
 * Device:2.17 (`Cellular.Interface.{i}.Status`, `CurrentAccessTechnology`, `USIM.Status`,
 * `Cellular.RoamingStatus`, `IP.Interface.{i}.Status`).
 *
 * Codes come from docs/quecpython.md part 2 (`net.getState()`, `sim.getStatus()`,
 * `dataCall.getInfo()`). A value the bridge could not read (a per-key error) arrives here as
 * `undefined`; `null` means the module answered "unknown".
 * @module
 */
import type { JsonValue } from "../link/messages.js";

const asInt = (v: JsonValue | undefined): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;

/**
 * `net.getState()[1][0]` (data registration) to `Cellular.Interface.{i}.Status`: registered on
 * the home network (1) or roaming (5) is `Up`; searching, denied or not registered is `Down`.
 */
export const interfaceStatusOf = (regState: JsonValue | undefined): string => {
  const n = asInt(regState);
  if (n === undefined) return "Unknown";
  if (n === 1 || n === 5) return "Up";
  if (n === 0 || n === 2 || n === 3 || n === 4) return "Down";
  return "Unknown";
};

/** `net.getState()[1][0]` to `Cellular.RoamingStatus` (`Roaming` only for state 5). */
export const roamingStatusOf = (regState: JsonValue | undefined): string =>
  asInt(regState) === 5 ? "Roaming" : "Home";

/**
 * `net.getState()[1][3]` (the radio access technology) to `CurrentAccessTechnology`, whose
 * values are those of `SupportedAccessTechnologies` (GPRS, EDGE, UMTS, UMTSHSPA, LTE, NR).
 * GSM is reported as GPRS (the packet service of a GSM cell); 10 (none, or NB-IoT on BG95) and
 * anything unknown give the empty string.
 */
export const accessTechnologyOf = (rat: JsonValue | undefined): string => {
  switch (asInt(rat)) {
    case 0:
    case 1:
      return "GPRS";
    case 3:
      return "EDGE";
    case 2:
      return "UMTS";
    case 4:
    case 5:
    case 6:
    case 8:
      return "UMTSHSPA";
    case 7:
    case 9:
    // eMTC (11 on BG95) is an LTE category.
    case 11:
      return "LTE";
    default:
      return "";
  }
};

/**
 * `sim.getStatus()` to `USIM.Status`: 0 absent is `None`, 1 ready is `Valid`, a card waiting
 * for its PIN or still initialising is `Available`, PUK and network-lock states are `Blocked`,
 * invalid or unknown cards (and unreadable status) are `Error`.
 */
export const usimStatusOf = (simStatus: JsonValue | undefined): string => {
  const n = asInt(simStatus);
  if (n === undefined) return "Error";
  if (n === 0) return "None";
  if (n === 1) return "Valid";
  if (n === 2 || n === 18 || n === 19) return "Available";
  if (n >= 3 && n <= 17) return "Blocked";
  return "Error";
};

/** `dataCall.getInfo(1,0)[2][0]` (PDP context state) to `IP.Interface.{i}.Status`. */
export const ipInterfaceStatusOf = (dataState: JsonValue | undefined): string => {
  const n = asInt(dataState);
  if (n === undefined) return "Unknown";
  return n === 1 ? "Up" : "Down";
};
