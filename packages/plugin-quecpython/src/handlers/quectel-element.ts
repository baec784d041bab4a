/**
 * The request and response shapes of Quectel's handlers, over cpekit's codec.
 *
 * Quectel's `xmlUtils.parseXml` gives handlers a dict tree `{name, namespace, localName, attrs,
 * text, children}`; {@link quectelElementOf} gives the same for ANY request, a vendor `X_...`
 * element (kept as an `XmlElement` by the codec) or a typed CWMP message (re-encoded, then read
 * back as an element), so handler code ported from QuecPython reads the request field for field.
 * A handler answers with body XML (what Quectel's handlers passed to `callback`), parsed by
 * {@link messageOfBodyXml} into the typed message it is, or a vendor element.
 * @module
 */
import {
  type CwmpFault,
  type CwmpMessage,
  type CwmpVersion,
  cwmpFault,
  decodeEnvelope,
  encodeEnvelope,
  encodeMessage,
  type XmlElement,
} from "@cpekit/core";
import { Either } from "effect";

/** An element as Quectel's `parseXml` shaped it; `attrs` is parsed (Quectel kept the raw text). */
export interface QuectelElement {
  /** Qualified name as written (`cwmp:X_QUECTEL_Diag`). */
  readonly name: string;
  /** The prefix (`cwmp`), absent when the name has none. */
  readonly namespace?: string;
  /** The name without prefix (`X_QUECTEL_Diag`). */
  readonly localName: string;
  /** Attributes by qualified name. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly QuectelElement[];
}

/** Converts a codec element. */
export const fromXmlElement = (e: XmlElement): QuectelElement => ({
  name: e.name,
  ...(e.namespace === undefined ? {} : { namespace: e.namespace }),
  localName: e.localName,
  attrs: e.attributes,
  text: e.text,
  children: e.children.map(fromXmlElement),
});

// A wrapper no CWMP method has: the codec keeps it, and what it wraps, as a generic element.
const WRAPPER = "X_CPEKIT_Wrapper";

const envelopeAround = (bodyXml: string, version: CwmpVersion): string => {
  const empty = encodeEnvelope(
    { header: {}, body: { _tag: "RebootResponse" }, version },
    { xmlDeclaration: false },
  );
  return empty.replace(encodeMessage({ _tag: "RebootResponse" }), bodyXml);
};

/** The request as Quectel's handlers saw it. */
export const quectelElementOf = (
  request: CwmpMessage,
  version: CwmpVersion = "1.2",
): QuectelElement | undefined => {
  if (request._tag === "VendorMessage") return fromXmlElement(request.element);
  const wrapped = `<cwmp:${WRAPPER}>${encodeMessage(request)}</cwmp:${WRAPPER}>`;
  const decoded = decodeEnvelope(envelopeAround(wrapped, version));
  if (Either.isLeft(decoded)) return undefined;
  const body = decoded.right.envelope.body;
  const inner = body._tag === "VendorMessage" ? body.element.children[0] : undefined;
  return inner === undefined ? undefined : fromXmlElement(inner);
};

/**
 * The message a handler's body XML stands for (`<cwmp:X_QUECTEL_DiagResponse>...`): a typed
 * message when it is a CWMP method, otherwise a vendor element. Malformed XML is fault 9002.
 */
export const messageOfBodyXml = (
  bodyXml: string,
  version: CwmpVersion = "1.2",
): Either.Either<CwmpMessage, CwmpFault> => {
  const decoded = decodeEnvelope(envelopeAround(bodyXml, version));
  return Either.isLeft(decoded)
    ? Either.left(cwmpFault(9002, `handler answered malformed XML: ${decoded.left.message}`))
    : Either.right(decoded.right.envelope.body);
};
