/**
 * The faults of DU state changes (Annex H): which codes an `OpResultStruct` may carry (the XSD's
 * `DeploymentUnitCPEFaultCodeType` and the vendor range) and how the other failures are folded
 * into them, and the UUID form (RFC 4122 text, as the XSD's `DeploymentUnitUUID`).
 * @module
 */
import { faultString } from "../cwmp/fault.js";
import type { FileTransferError } from "../ports/file-transfer.js";
import type { DeploymentUnitFaultStruct } from "../soap/rpc-structs.js";

/** The codes of `DeploymentUnitCPEFaultCodeType` (XSD 1.2+). */
export const deploymentUnitFaultCodes: ReadonlySet<number> = new Set([
  9001, 9003, 9012, 9013, 9015, 9016, 9017, 9018, 9022, 9023, 9024, 9025, 9026, 9027, 9028, 9029,
  9030, 9031, 9032,
]);

/** The vendor range the XSD also allows (`CPEExtensionFaultCodeType`). */
const isVendorFault = (code: number): boolean => code >= 9800 && code <= 9899;

/**
 * The code an operation's failure is reported with: a code of the DU subset or the vendor range
 * as it is; a file larger than the device accepts (9010 TooLarge) is 9027 "System resources
 * exceeded"; any other transfer failure 9017; anything else (9002 internal error, ...) 9001
 * "Request denied", the subset's catch-all.
 */
export const deploymentUnitFaultCode = (code: number, transferReason?: string): number => {
  if (deploymentUnitFaultCodes.has(code) || isVendorFault(code)) return code;
  if (transferReason === "TooLarge") return 9027;
  if (code === 9010 || code === 9011 || code === 9014 || code === 9019 || code === 9020)
    return 9017;
  return 9001;
};

/** The transfer fault of a failed package fetch, folded into the DU subset. */
export const fetchFaultCode = (e: FileTransferError): number =>
  deploymentUnitFaultCode(e.faultCode, e.reason);

/** Longest FaultString written (the XSD leaves it unbounded; ACSs store 256). */
const MAX_FAULT_STRING = 256;

/** The `Fault` of a result: `code` folded into the subset, its standard text and the detail. */
export const deploymentUnitFault = (code: number, detail: string): DeploymentUnitFaultStruct => {
  const faultCode = deploymentUnitFaultCode(code);
  const text = detail === "" ? faultString(faultCode) : `${faultString(faultCode)}: ${detail}`;
  return { faultCode, faultString: text.slice(0, MAX_FAULT_STRING) };
};

/** No fault. */
export const noDeploymentUnitFault: DeploymentUnitFaultStruct = { faultCode: 0, faultString: "" };

/** RFC 4122 text form, as TR-106's `UUID` and the XSD's `DeploymentUnitUUID`. */
const UUID_FORM = /^[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

/** True when `uuid` is in RFC 4122 text form (fault 9022 otherwise). */
export const isDeploymentUnitUuid = (uuid: string): boolean => UUID_FORM.test(uuid);

/** The UUID a result names when the operation had none usable (the XSD requires the form). */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
