/**
 * The testkit's use of the `@cpekit/core` SOAP codec: decoding what a CPE posts and encoding
 * what the ACS answers in the namespace its profile chose (GenieACS answers a `cwmp-1-3` CPE in
 * `cwmp-1-3`, which the core encoder, faithful to the XSDs, never writes).
 * @module
 */
import { cwmpNamespaceOf, decodeEnvelope, type Envelope, encodeEnvelope } from "@cpekit/core";
import { Either } from "effect";

/** A decoded CPE envelope, or why it could not be decoded. */
export type CpeDecode =
  | { readonly ok: true; readonly envelope: Envelope; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly detail: string };

/** Decodes a CPE's (non-empty) POST body. */
export const decodeCpeEnvelope = (xml: string): CpeDecode =>
  Either.match(decodeEnvelope(xml), {
    onLeft: (e) => ({ ok: false, detail: e.message }),
    onRight: (r) => ({ ok: true, envelope: r.envelope, warnings: r.warnings }),
  });

/** Encodes an ACS envelope, binding the `cwmp` prefix to `namespaceUri`. */
export const encodeAcsEnvelope = (envelope: Envelope, namespaceUri: string): string => {
  const xml = encodeEnvelope(envelope);
  const standard = cwmpNamespaceOf(envelope.version);
  return namespaceUri === standard
    ? xml
    : xml.replace(`xmlns:cwmp="${standard}"`, `xmlns:cwmp="${namespaceUri}"`);
};
