import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { DecodeError } from "./decode-error.js";
import { checkSize, decodeUtf8, endsWithRootEndTag } from "./input-guard.js";

// Each check is asserted on the edge of the one rule it names: a string whose UTF-16 length is
// within `maxBytes` but whose UTF-8 size is exactly at, or one above, the limit.
const accepted = (xml: string | Uint8Array, maxBytes: number) =>
  expect(checkSize(xml, maxBytes)).toBeUndefined();
const refused = (xml: string | Uint8Array, maxBytes: number) => {
  const e = checkSize(xml, maxBytes);
  expect(e).toBeInstanceOf(DecodeError);
  expect({ reason: e?.reason, element: e?.element, detail: e?.detail }).toEqual({
    reason: "TooLarge",
    element: "Envelope",
    detail: `envelope exceeds ${maxBytes} bytes`,
  });
};

describe("checkSize: the envelope's UTF-8 size against maxBytes", () => {
  it("ASCII text: exactly maxBytes characters pass, one more is TooLarge", () => {
    accepted("a".repeat(10), 10);
    refused("a".repeat(11), 10);
  });

  it("ASCII text between maxBytes/3 and maxBytes characters is counted one byte each", () => {
    // U+007F is the last 1-byte character: 4 of them are 4 bytes, within a limit of 4.
    accepted("\u007f".repeat(4), 4);
  });

  it("2-byte characters (U+0080..U+07FF) are counted 2 bytes each", () => {
    accepted("é".repeat(5), 10);
    refused("é".repeat(5), 9);
    // The edges of the 2-byte band.
    refused("\u0080".repeat(4), 7);
    accepted("\u07ff".repeat(3), 6);
  });

  it("3-byte characters (U+0800 and up, outside surrogates) are counted 3 bytes each", () => {
    refused("\u0800".repeat(3), 8);
    accepted("\u0800".repeat(3), 9);
    // A character above the surrogate range is 3 bytes, not 4.
    refused("\ue000".repeat(3), 8);
  });

  it("a surrogate pair is one 4-byte character, not two 3-byte ones", () => {
    // U+1F600, and the first and last pairs of the surrogate range (U+10000, U+10FFFF).
    for (const pair of ["😀", "\ud800\udc00", "\udbff\udfff"]) {
      accepted(pair.repeat(2), 8);
      refused(pair.repeat(2), 7);
    }
  });

  it("text of at most maxBytes/3 UTF-16 units passes uncounted; one unit more is counted", () => {
    // 3 units of 3 bytes each are exactly 9 bytes.
    accepted("\u0800".repeat(3), 9);
    // 4 units of which the UTF-8 size (8) exceeds the limit (7) although 4 <= 7.
    refused("\u0080".repeat(4), 7);
  });

  it("bytes are counted as they are: maxBytes bytes pass, one more is TooLarge", () => {
    accepted(new Uint8Array(10), 10);
    refused(new Uint8Array(11), 10);
  });

  test.prop([fc.string({ unit: "grapheme", maxLength: 40 }), fc.nat({ max: 200 })])(
    "for well-formed text, checkSize refuses exactly when the UTF-8 byte length exceeds maxBytes",
    (s, max) => {
      const tooLarge = Buffer.byteLength(s, "utf8") > max;
      expect(checkSize(s, max) !== undefined).toBe(tooLarge);
    },
  );
});

describe("decodeUtf8: strict UTF-8", () => {
  it("decodes valid UTF-8 and drops a leading BOM", () => {
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0xc3, 0xa9, 0x3e]))).toBe("<é>");
  });

  it("invalid UTF-8 is Malformed (not replaced with U+FFFD)", () => {
    // 0xC3 starts a 2-byte sequence that 0x28 ('(') does not continue.
    const e = decodeUtf8(new Uint8Array([0x3c, 0xc3, 0x28, 0x3e]));
    expect(e).toBeInstanceOf(DecodeError);
    const err = e as DecodeError;
    expect({ reason: err.reason, element: err.element, detail: err.detail }).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "not valid UTF-8",
    });
    expect(err.cause).toBeInstanceOf(TypeError);
  });
});

describe("endsWithRootEndTag: truncation check", () => {
  it("true for a document ending with the root's end tag", () => {
    expect(endsWithRootEndTag("<a:Envelope></a:Envelope>", "a:Envelope")).toBe(true);
  });

  it("true when the end tag starts the text (index 0)", () => {
    expect(endsWithRootEndTag("</Envelope>", "Envelope")).toBe(true);
  });

  it("trailing whitespace, including spaces, is allowed after the end tag", () => {
    expect(endsWithRootEndTag("<Envelope></Envelope> ", "Envelope")).toBe(true);
    expect(endsWithRootEndTag("<Envelope></Envelope>\r\n\t ", "Envelope")).toBe(true);
  });

  it("whitespace inside the end tag before '>' is allowed (`</soap:Envelope >`)", () => {
    expect(endsWithRootEndTag("<soap:Envelope></soap:Envelope >", "soap:Envelope")).toBe(true);
  });

  it("false when the text stops before the end tag's '>'", () => {
    expect(endsWithRootEndTag("<Envelope></Envelope", "Envelope")).toBe(false);
  });

  it("false when one character other than '>' follows the root's name (`</Envelope<`)", () => {
    // What lies between `</` and the last character is the root's name: only the '>' check fails.
    expect(endsWithRootEndTag("<Envelope></Envelope<", "Envelope")).toBe(false);
  });

  it("false when the last tag is a start tag with the root's name (no '</' at all)", () => {
    expect(endsWithRootEndTag("<Envelope>", "Envelope")).toBe(false);
  });

  it("false when the last end tag is another element's", () => {
    expect(endsWithRootEndTag("<Envelope><Body></Body>", "Envelope")).toBe(false);
  });

  it("false when other text follows the end tag", () => {
    expect(endsWithRootEndTag("<Envelope></Envelope>x", "Envelope")).toBe(false);
  });

  it("false for empty or whitespace-only text", () => {
    expect(endsWithRootEndTag("", "Envelope")).toBe(false);
    expect(endsWithRootEndTag(" \n", "Envelope")).toBe(false);
  });
});
