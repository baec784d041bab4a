import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_DEPTH, decodeEnvelope, parserOptions } from "./decode-envelope.js";

const spv = (value: string) =>
  `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Body><cwmp:SetParameterValues><ParameterList><ParameterValueStruct><Name>Device.X</Name><Value>${value}</Value></ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey></cwmp:SetParameterValues></soap-env:Body></soap-env:Envelope>`;

const decodedValue = (value: string): string | undefined => {
  const r = decodeEnvelope(spv(value));
  if (Either.isLeft(r)) return undefined;
  const body = r.right.envelope.body;
  return body._tag === "SetParameterValues" ? body.parameterList[0]?.value : undefined;
};

// What fast-xml-parser decodes with the decoder it builds itself for `htmlEntities: true`.
const reference = new XMLParser({
  ...parserOptions(DEFAULT_MAX_DEPTH),
  entityDecoder: undefined,
  htmlEntities: true,
});
const referenceValue = (value: string): string => {
  const [a] = reference.parse(`<a>${value}</a>`) as [{ a: { "#text"?: string }[] }];
  return a.a.map((t) => t["#text"] ?? "").join("");
};

const fragment = fc.constantFrom(
  "plain",
  " ",
  "&amp;",
  "&lt;",
  "&gt;",
  "&quot;",
  "&apos;",
  "&#10;",
  "&#x41;",
  "&#233;",
  "&nbsp;",
  "&euro;",
  "&copy;",
  "é",
);

describe("entity decoding (the codec's shared entity decoder)", () => {
  test.prop([fc.array(fragment, { maxLength: 12 })], { numRuns: 100 })(
    "a value decodes exactly as fast-xml-parser's own htmlEntities decoder decodes it",
    (parts) => {
      const value = parts.join("");
      expect(decodedValue(value)).toBe(referenceValue(value));
    },
  );

  it("an undefined entity (&unknown;) or a bare & makes the envelope Malformed, not a literal value (issue 9)", () => {
    expect(decodedValue("&unknown;")).toBeUndefined();
    expect(decodedValue("a & b")).toBeUndefined();
    expect(decodedValue("&amp;unknown;")).toBe("&unknown;");
  });

  it("predefined, numeric and HTML named references are decoded, document after document", () => {
    for (let i = 0; i < 3; i++)
      expect(decodedValue("a&amp;b&#10;&#x41;&nbsp;&euro;")).toBe("a&b\nA\u00a0€");
  });

  it("a long run of references (past the expansion limits) decodes as the parser's own decoder does, and the next document too", () => {
    const long = "&amp;&euro;".repeat(60_000);
    const ref = (() => {
      try {
        return referenceValue(long);
      } catch {
        return undefined;
      }
    })();
    expect(decodedValue(long)).toBe(ref);
    expect(decodedValue("&amp;")).toBe("&");
  });
});
