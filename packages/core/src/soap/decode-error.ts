/**
 * The typed failure of {@link decodeEnvelope}.
 * @module
 */
import { Data } from "effect";

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

/** A SOAP envelope that cannot be decoded. `element` is a path like `Envelope/Body/Inform/DeviceId`. */
export class DecodeError extends Data.TaggedError("DecodeError")<{
  readonly reason: DecodeErrorReason;
  readonly element: string;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `cannot decode CWMP envelope (${this.reason}) at ${this.element}: ${this.detail}`;
  }
}

/** Type guard for {@link DecodeError}. */
export const isDecodeError = (u: unknown): u is DecodeError => u instanceof DecodeError;
