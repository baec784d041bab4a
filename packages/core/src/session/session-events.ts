/**
 * The events of the session machine, in TR-069 words, and how an ACS answer (or a failed POST)
 * becomes one. Classifying here keeps the machine's transitions about the protocol only.
 * @module
 */
import { isTransportError, type TransportErrorReason } from "../ports/acs-transport.js";
import type { AfterSession } from "../rpc/after-session.js";
import { isDecodeError } from "../soap/decode-error.js";
import type { CwmpMessage, Envelope, SoapHeader } from "../soap/messages.js";
import { faultMessageOf } from "../soap/rpc/fault.js";

/** The events the session machine reacts to. */
export type SessionEvent =
  /** The ACS answered the Inform (H1). */
  | { readonly type: "INFORM_RESPONSE"; readonly header: SoapHeader }
  /** The ACS answered a CPE request (TransferCompleteResponse, ...). */
  | { readonly type: "ACS_RESPONSE"; readonly header: SoapHeader; readonly response: CwmpMessage }
  /** The ACS sent a request in its HTTP response (H2). */
  | { readonly type: "ACS_REQUEST"; readonly header: SoapHeader; readonly request: CwmpMessage }
  /** The ACS sent a SOAP Fault. */
  | {
      readonly type: "ACS_FAULT";
      readonly header: SoapHeader;
      readonly faultCode: number;
      readonly faultString: string;
    }
  /** The ACS's empty answer: it has nothing more to ask (H3). */
  | { readonly type: "EMPTY_RESPONSE" }
  /** The POST failed: HTTP status, connection, TLS, authentication (H10). */
  | {
      readonly type: "TRANSPORT_ERROR";
      readonly reason: TransportErrorReason;
      readonly detail: string;
      readonly retryAfter?: number;
    }
  /** The ACS's body could not be decoded as a CWMP envelope. */
  | { readonly type: "BAD_ENVELOPE"; readonly detail: string }
  /**
   * The ACS sent a request the CPE knows with missing or ill-typed arguments: `response` is the
   * fault that answers it (9003, §1.14), under the request's `cwmp:ID` (V4).
   */
  | {
      readonly type: "INVALID_ACS_REQUEST";
      readonly header: SoapHeader;
      readonly response: CwmpMessage;
    }
  /** The CPE's answer to the current ACS request is ready. */
  | {
      readonly type: "RPC_ANSWERED";
      readonly response: CwmpMessage;
      readonly afterSession: AfterSession;
    }
  /** The exchange failed in a way it should not (a bug, not a protocol event): Internal. */
  | { readonly type: "EXCHANGE_FAILED"; readonly error: unknown };

/**
 * Turns the ACS's answer to a POST into an event: no envelope is the empty answer, a SOAP
 * Fault is `ACS_FAULT`, `InformResponse` is `INFORM_RESPONSE`, any other `...Response` element
 * answers a CPE request, and everything else (including vendor elements) is an ACS request.
 */
export const classifyReply = (envelope: Envelope | null): SessionEvent => {
  if (envelope === null) return { type: "EMPTY_RESPONSE" };
  const { header, body } = envelope;
  switch (body._tag) {
    case "Fault":
      return {
        type: "ACS_FAULT",
        header,
        // A bare SOAP fault without cwmp:Fault (a proxy's) is treated as an internal error.
        faultCode: body.detail?.faultCode ?? 8002,
        faultString: body.detail?.faultString ?? body.faultstring,
      };
    case "InformResponse":
      return { type: "INFORM_RESPONSE", header };
    case "VendorMessage":
      return { type: "ACS_REQUEST", header, request: body };
    default:
      return body._tag.endsWith("Response")
        ? { type: "ACS_RESPONSE", header, response: body }
        : { type: "ACS_REQUEST", header, request: body };
  }
};

/** True for the errors a `post` exchange may fail with: a `TransportError` or a SOAP `DecodeError`. */
export const isPostError = (error: unknown): boolean =>
  isTransportError(error) ||
  (typeof error === "object" &&
    error !== null &&
    (error as { readonly _tag?: unknown })._tag === "DecodeError");

/** The event for a failed POST (see {@link isPostError}). */
export const classifyPostError = (error: unknown): SessionEvent => {
  if (isTransportError(error)) {
    return {
      type: "TRANSPORT_ERROR",
      reason: error.reason,
      detail: error.message,
      ...(error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter }),
    };
  }
  if (isDecodeError(error) && error.request !== undefined)
    return {
      type: "INVALID_ACS_REQUEST",
      header: error.request.header,
      response: faultMessageOf(error.request.fault),
    };
  return { type: "BAD_ENVELOPE", detail: error instanceof Error ? error.message : String(error) };
};
