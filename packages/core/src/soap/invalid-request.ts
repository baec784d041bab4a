/**
 * Attributing an undecodable message to its request: an ACS request the CPE recognises whose
 * arguments are missing or ill-typed is still a request, with a `cwmp:ID`, and TR-069 answers
 * it with fault 9003 "Invalid arguments" (§1.14) instead of dropping the session (issue 9). Only
 * an envelope that cannot be attributed to a request (not XML, no Body, a broken header, an
 * unknown element) fails the session.
 * @module
 */
import { cwmpFault } from "../cwmp/fault.js";
import { DecodeError } from "./decode-error.js";
import type { CwmpMessageTag, SoapHeader } from "./messages.js";

/** The ACS -> CPE requests (TR-069 Table 5), the methods whose bad arguments get 9003. */
export const cpeMethodRequests: ReadonlySet<CwmpMessageTag> = new Set<CwmpMessageTag>([
  "GetRPCMethods",
  "SetParameterValues",
  "GetParameterValues",
  "GetParameterNames",
  "SetParameterAttributes",
  "GetParameterAttributes",
  "AddObject",
  "DeleteObject",
  "Reboot",
  "Download",
  "Upload",
  "FactoryReset",
  "GetQueuedTransfers",
  "GetAllQueuedTransfers",
  "ScheduleInform",
  "ScheduleDownload",
  "CancelTransfer",
  "ChangeDUState",
  "SetVouchers",
  "GetOptions",
]);

/** True when `name` is an ACS -> CPE request method. */
export const isCpeMethodRequest = (name: string): boolean =>
  cpeMethodRequests.has(name as CwmpMessageTag);

/**
 * The error of a request whose arguments failed to decode, attributed to `method` under
 * `header`: fault 9003 naming what is wrong, with a 9007 `SetParameterValuesFault` for each
 * parameter the error blames (a SetParameterValues struct without `Value`).
 */
export const attributeToRequest = (
  error: DecodeError,
  method: string,
  header: SoapHeader,
): DecodeError =>
  new DecodeError({
    reason: error.reason,
    element: error.element,
    detail: error.detail,
    ...(error.parameters === undefined ? {} : { parameters: error.parameters }),
    request: {
      method,
      header,
      fault: cwmpFault(
        9003,
        `Invalid arguments: ${error.element}: ${error.detail}`,
        error.parameters?.map((parameterName) => ({
          parameterName,
          faultCode: 9007,
          faultString: "Invalid parameter value: no Value given",
        })),
      ),
    },
  });
