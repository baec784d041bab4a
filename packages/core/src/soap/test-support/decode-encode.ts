/**
 * Test support: `testDecodeEncode(name, envelope, xml)` checks one fixture in both directions:
 * the fixture decodes to the envelope, and the envelope's encoding decodes back to it.
 * @module
 */
import { Either } from "effect";
import { expect, it } from "vitest";
import { decodeEnvelope } from "../decode-envelope.js";
import { encodeEnvelope } from "../encode-envelope.js";
import type { Envelope } from "../messages.js";

/** Decodes or fails the test with the decode error. */
export const mustDecode = (xml: string | Uint8Array) => {
  const r = decodeEnvelope(xml);
  if (Either.isLeft(r)) throw new Error(`decode failed: ${r.left.message}`);
  return r.right;
};

/** Registers one test of `xml` against `envelope`, both ways; `warnings` (if given) must match. */
export const testDecodeEncode = (
  name: string,
  envelope: Envelope,
  xml: string,
  warnings?: readonly (string | RegExp)[],
): void => {
  it(name, () => {
    const decoded = mustDecode(xml);
    expect(decoded.envelope).toEqual(envelope);
    if (warnings !== undefined) {
      expect(decoded.warnings).toHaveLength(warnings.length);
      warnings.forEach((w, i) => {
        expect(decoded.warnings[i]).toMatch(w);
      });
    }
    expect(mustDecode(encodeEnvelope(envelope)).envelope).toEqual(envelope);
  });
};
