/**
 * The typed failure of {@link decodeEnvelope}.
 * @module
 */
import { Data } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { SoapHeader } from "./messages.js";

/**
 * Why an envelope could not be decoded:
 * - `TooLarge`: more bytes than `maxBytes`.
 * - `Doctype`: a DOCTYPE (hence possibly ENTITY) declaration, refused before parsing.
 * - `TooDeep`: element nesting beyond `maxDepth`.
 * - `Malformed`: not well-formed XML (as far as the parser and the cheap checks can tell) or not
 *   UTF-8.
 * - `NotSoap`: the root element is not a SOAP `Envelope`, or it has no `Body`.
 * - `UnknownNamespace`: an `Envelope` outside SOAP 1.1, or a CWMP message name in a namespace
 *   that is not a CWMP one.
 * - `EmptyBody`: a well-formed envelope whose Body carries no message.
 * - `MissingElement`: a required element is absent.
 * - `BadValue`: an element's text is not of its XSD type (number, boolean, enumeration).
 */
export type DecodeErrorReason =
  | "TooLarge"
  | "Doctype"
  | "TooDeep"
  | "Malformed"
  | "NotSoap"
  | "UnknownNamespace"
  | "EmptyBody"
  | "MissingElement"
  | "BadValue";

/**
 * A request the CPE recognises whose arguments could not be decoded (missing or ill-typed): it
 * is still attributable, so it is answered with `fault` under its own `cwmp:ID` (V4, §1.14-9003)
 * and the session goes on.
 */
export interface InvalidRequest {
  /** The method (element) name, e.g. `GetParameterValues`. */
  readonly method: string;
  /** The envelope's header, decoded: its `id` is echoed in the fault. */
  readonly header: SoapHeader;
  /** The answer: 9003, with a `SetParameterValuesFault` per parameter when one is to blame. */
  readonly fault: CwmpFault;
}

/** A SOAP envelope that cannot be decoded. `element` is a path like `Envelope/Body/Inform/DeviceId`. */
export class DecodeError extends Data.TaggedError("DecodeError")<{
  readonly reason: DecodeErrorReason;
  readonly element: string;
  readonly detail: string;
  readonly cause?: unknown;
  /** Set when the envelope is an ACS request the CPE knows, with bad arguments. */
  readonly request?: InvalidRequest;
  /**
   * SetParameterValues only: the parameters whose `ParameterValueStruct` is unusable (no
   * `Value`), each reported with 9007 in the fault.
   */
  readonly parameters?: readonly string[];
}> {
  override get message(): string {
    return `cannot decode CWMP envelope (${this.reason}) at ${this.element}: ${this.detail}`;
  }
}

/** Type guard for {@link DecodeError}. */
export const isDecodeError = (u: unknown): u is DecodeError => u instanceof DecodeError;
