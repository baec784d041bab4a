/**
 * The TransferComplete fault of a failed install on the module: the bridge reports an
 * action's failure as text (`download refused`, `fota timeout`, `fota error <code>`, ...) and
 * the link reports time-outs and lost ports; each becomes the TR-069 fault that describes it
 * (requirements section 1.13).
 * @module
 */
import { isBridgeLinkError } from "../link/bridge-link-error.js";

/**
 * The fault code for a failed firmware or file install:
 * - the module refused to start the download (`download refused`, `download failed`): 9010;
 * - the download started but did not finish (`fota error <n>` from the fota callback, a time-out
 *   on the module or on the link, the port lost in the middle): 9017;
 * - the module reports a bad image (`verify`, `corrupt`, `invalid` in the error): 9018.
 */
export const installFaultCode = (cause: unknown): number => {
  if (!isBridgeLinkError(cause)) return 9010;
  if (cause.reason === "Timeout" || cause.reason === "Disconnected") return 9017;
  if (cause.reason !== "Remote") return 9010;
  const detail = cause.detail.toLowerCase();
  if (/verif|corrupt|invalid|checksum/.test(detail)) return 9018;
  if (detail.includes("timeout") || /fota error/.test(detail)) return 9017;
  return 9010;
};
