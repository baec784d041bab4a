/**
 * `encodeEnvelope`: a typed {@link Envelope} to the XML text of one SOAP envelope.
 * @module
 */
import { encodeHeader } from "./header.js";
import type { CwmpMessage, Envelope } from "./messages.js";
import { cwmpNamespaceOf, SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS } from "./namespaces.js";
import { codecs, type TypedTag } from "./rpc/registry.js";
import { encodeVendorMessage } from "./rpc/vendor.js";

/** Encoding choices. */
export interface EncodeOptions {
  /** Write `<?xml version="1.0" encoding="UTF-8"?>` first; default true. */
  readonly xmlDeclaration?: boolean;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** The body element of one message. */
export const encodeMessage = (m: CwmpMessage): string => {
  if (m._tag === "VendorMessage") return encodeVendorMessage(m);
  // The table is keyed by `_tag`, so the codec found always matches the message's type.
  const codec = codecs[m._tag as TypedTag] as { encode: (x: CwmpMessage) => string };
  return codec.encode(m);
};

/**
 * Encodes an envelope with the prefixes `soap-env`, `soap-enc`, `xsd`, `xsi` and `cwmp`, the
 * last bound to the namespace of `envelope.version` (`cwmp-1-2` for 1.2, 1.3 and 1.4; V2). Text
 * is escaped; characters XML 1.0 forbids are replaced by U+FFFD (see `xml-escape.ts`).
 */
export const encodeEnvelope = (envelope: Envelope, options?: EncodeOptions): string =>
  `${options?.xmlDeclaration === false ? "" : XML_DECLARATION}<soap-env:Envelope xmlns:soap-env="${SOAP_ENV_NS}" xmlns:soap-enc="${SOAP_ENC_NS}" xmlns:xsd="${XSD_NS}" xmlns:xsi="${XSI_NS}" xmlns:cwmp="${cwmpNamespaceOf(envelope.version)}">${encodeHeader(envelope.header)}<soap-env:Body>${encodeMessage(envelope.body)}</soap-env:Body></soap-env:Envelope>`;
