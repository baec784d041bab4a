/**
 * The ACS's answer to each CPE request (TransferComplete -> TransferCompleteResponse, ...), and
 * the SOAP Fault it sends when it refuses one (8000 for a method it does not implement, a
 * scripted 8005, ...). One entry per CWMP method, following the ACS method table of §1.4.
 * @module
 */
import { type CwmpMessage, type Fault, faultString, soapFaultCode } from "@cpekit/core";
import type { QuirkProfile } from "./quirk-profile.js";

/** The CPE request messages (CPE -> ACS methods), Inform included. */
export const cpeRequestTags: ReadonlySet<string> = new Set([
  "Inform",
  "GetRPCMethods",
  "TransferComplete",
  "AutonomousTransferComplete",
  "DUStateChangeComplete",
  "AutonomousDUStateChangeComplete",
  "RequestDownload",
  "Kicked",
]);

/** The CWMP method name of a message: its `_tag`, or a vendor element's name. */
export const methodNameOf = (m: CwmpMessage): string =>
  m._tag === "VendorMessage" ? m.name : m._tag;

/**
 * True when `m` is a request a CPE sends to the ACS. A vendor element counts as one unless its
 * name ends in `Response` (then it answers a vendor RPC the ACS sent).
 */
export const isCpeRequest = (m: CwmpMessage): boolean =>
  cpeRequestTags.has(m._tag) || (m._tag === "VendorMessage" && !m.name.endsWith("Response"));

/** A SOAP Fault carrying CWMP fault `code`. */
export const cwmpFaultMessage = (code: number, text?: string): Fault => ({
  _tag: "Fault",
  faultcode: soapFaultCode(code),
  faultstring: "CWMP fault",
  detail: { faultCode: code, faultString: text ?? faultString(code), setParameterValuesFaults: [] },
});

/**
 * The ACS's answer to a CPE request other than Inform: its response message, or fault
 * `profile.unknownRequestFault` when the profile does not implement the method.
 */
export const answerCpeRequest = (request: CwmpMessage, profile: QuirkProfile): CwmpMessage => {
  if (!profile.acceptedCpeRequests.has(methodNameOf(request)))
    return cwmpFaultMessage(profile.unknownRequestFault);
  switch (request._tag) {
    case "GetRPCMethods":
      return { _tag: "GetRPCMethodsResponse", methodList: profile.rpcMethods };
    case "TransferComplete":
      return { _tag: "TransferCompleteResponse" };
    case "AutonomousTransferComplete":
      return { _tag: "AutonomousTransferCompleteResponse" };
    case "DUStateChangeComplete":
      return { _tag: "DUStateChangeCompleteResponse" };
    case "AutonomousDUStateChangeComplete":
      return { _tag: "AutonomousDUStateChangeCompleteResponse" };
    case "RequestDownload":
      return { _tag: "RequestDownloadResponse" };
    case "Kicked":
      // The testkit hosts no web page of its own: the user goes on to the page the CPE named.
      return { _tag: "KickedResponse", nextUrl: request.next };
    default:
      return cwmpFaultMessage(profile.unknownRequestFault);
  }
};
