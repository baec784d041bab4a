/**
 * CWMP faults: the numeric codes of TR-069 (requirement section 1.14) and the typed error that
 * carries one through cpekit.
 *
 * A fault's code is set once, where the fault first arises; later layers pass it on unchanged.
 * @module
 */
import { Data } from "effect";

/** CPE fault codes (9000-9899) and ACS fault codes (8000-8899) with their standard strings. */
export const faultStrings = {
  8000: "Method not supported",
  8001: "Request denied",
  8002: "Internal error",
  8003: "Invalid arguments",
  8004: "Resources exceeded",
  8005: "Retry request",
  8006: "ACS version incompatible with CPE",
  9000: "Method not supported",
  9001: "Request denied",
  9002: "Internal error",
  9003: "Invalid arguments",
  9004: "Resources exceeded",
  9005: "Invalid parameter name",
  9006: "Invalid parameter type",
  9007: "Invalid parameter value",
  9008: "Attempt to set a non-writable parameter",
  9009: "Notification request rejected",
  9010: "File transfer failure",
  9011: "Upload failure",
  9012: "File transfer server authentication failure",
  9013: "Unsupported protocol for file transfer",
  9014: "File transfer failure: unable to join multicast group",
  9015: "File transfer failure: unable to contact file server",
  9016: "File transfer failure: unable to access file",
  9017: "File transfer failure: unable to complete download",
  9018: "File transfer failure: file corrupted",
  9019: "File transfer failure: file authentication failure",
  9020: "File transfer failure: unable to complete download within specified time windows",
  9021: "Cancelation of file transfer not permitted in current transfer state",
  9022: "Invalid UUID format",
  9023: "Unknown Execution Environment",
  9024: "Disabled Execution Environment",
  9025: "Deployment Unit to Execution Environment mismatch",
  9026: "Duplicate Deployment Unit",
  9027: "System resources exceeded",
  9028: "Unknown Deployment Unit",
  9029: "Invalid Deployment Unit state",
  9030: "Invalid Deployment Unit update - downgrade not permitted",
  9031: "Invalid Deployment Unit update - version not specified",
  9032: "Invalid Deployment Unit update - version already exists",
} as const satisfies Record<number, string>;

/** A fault code defined by TR-069. Vendor codes (9800-9899, 8800-8899) are plain numbers. */
export type FaultCode = keyof typeof faultStrings;

/** One entry of the `SetParameterValuesFault` list that accompanies fault 9003. */
export interface SetParameterValuesFault {
  readonly parameterName: string;
  readonly faultCode: number;
  readonly faultString: string;
}

/**
 * A CWMP fault raised by an RPC handler (sent as a SOAP Fault) or received from the ACS.
 * `faultString` defaults to the standard text of `code`.
 */
export class CwmpFault extends Data.TaggedError("CwmpFault")<{
  readonly code: number;
  readonly faultString: string;
  readonly setParameterValuesFaults?: readonly SetParameterValuesFault[];
}> {
  override get message(): string {
    return `CWMP fault ${this.code}: ${this.faultString}`;
  }
}

/** The standard text for a fault code, or a generic one for vendor codes. */
export const faultString = (code: number): string =>
  (faultStrings as Record<number, string>)[code] ?? `Vendor fault ${code}`;

/** Builds a {@link CwmpFault} with the standard string unless one is given. */
export const cwmpFault = (
  code: number,
  detail?: string,
  setParameterValuesFaults?: readonly SetParameterValuesFault[],
): CwmpFault =>
  new CwmpFault({
    code,
    faultString: detail ?? faultString(code),
    ...(setParameterValuesFaults ? { setParameterValuesFaults } : {}),
  });

/**
 * SOAP `faultcode` for a CWMP fault: `Client` for faults caused by the caller's arguments
 * (9003, 9005-9008, 8003), `Server` otherwise (requirement section 1.14).
 */
export const soapFaultCode = (code: number): "Client" | "Server" =>
  code === 9003 || code === 8003 || (code >= 9005 && code <= 9008) ? "Client" : "Server";
