import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "./decode-envelope.js";
import { DecodeError } from "./decode-error.js";
import { encodeEnvelope } from "./encode-envelope.js";
import type { CwmpMessage } from "./messages.js";
import { samples } from "./test-support/samples.js";

const reasonOf = (xml: string | Uint8Array, options?: Parameters<typeof decodeEnvelope>[1]) => {
  const r = decodeEnvelope(xml, options);
  return Either.isLeft(r) ? r.left.reason : "decoded";
};
const errorOf = (xml: string) => {
  const r = decodeEnvelope(xml);
  if (Either.isRight(r)) throw new Error("expected a decode error");
  return r.left;
};

const env = (body: string, header = "") =>
  `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">${header}<soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`;

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
${env("<cwmp:Reboot><CommandKey>&lol9;</CommandKey></cwmp:Reboot>")}`;

describe("hostile input", () => {
  it("billion laughs is refused as Doctype before parsing, with small memory growth", () => {
    const before = process.memoryUsage().heapUsed;
    const e = errorOf(billionLaughs);
    const grown = process.memoryUsage().heapUsed - before;
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.reason).toBe("Doctype");
    expect(e.cause).toBeUndefined(); // refused by the pre-scan, the parser never ran
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });

  it("an external entity (XXE) is refused as Doctype", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${env("<cwmp:Reboot><CommandKey>&xxe;</CommandKey></cwmp:Reboot>")}`;
    expect(reasonOf(xxe)).toBe("Doctype");
  });

  it("a DOCTYPE after a comment is still refused; the same text inside CDATA or a comment is not", () => {
    expect(reasonOf(`<!-- hi --><!DOCTYPE x>${env("<cwmp:GetRPCMethods/>")}`)).toBe("Doctype");
    expect(
      reasonOf(env("<cwmp:Reboot><CommandKey><![CDATA[<!DOCTYPE x>]]></CommandKey></cwmp:Reboot>")),
    ).toBe("decoded");
    expect(reasonOf(env("<!-- <!DOCTYPE x> --><cwmp:GetRPCMethods/>"))).toBe("decoded");
  });

  it("oversize input is refused as TooLarge (default 4 MiB, configurable, counted in UTF-8 bytes)", () => {
    const big = env(
      `<cwmp:Reboot><CommandKey>${"a".repeat(4 * 1024 * 1024)}</CommandKey></cwmp:Reboot>`,
    );
    expect(reasonOf(big)).toBe("TooLarge");
    expect(reasonOf(new TextEncoder().encode(big))).toBe("TooLarge");
    const small = env("<cwmp:GetRPCMethods/>");
    expect(reasonOf(small, { maxBytes: small.length - 1 })).toBe("TooLarge");
    expect(reasonOf(small, { maxBytes: small.length })).toBe("decoded");
    // 100 three-byte characters: 100 UTF-16 units but 300 UTF-8 bytes.
    const wide = env(`<cwmp:Reboot><CommandKey>${"名".repeat(100)}</CommandKey></cwmp:Reboot>`);
    expect(reasonOf(wide, { maxBytes: wide.length + 100 })).toBe("TooLarge");
  });

  it("10,000-deep nesting is refused as TooDeep (default 64, configurable)", () => {
    const deep = env(`<cwmp:X_Deep>${"<a>".repeat(10_000)}${"</a>".repeat(10_000)}</cwmp:X_Deep>`);
    expect(reasonOf(deep)).toBe("TooDeep");
    const ten = env(`<cwmp:X_Deep>${"<a>".repeat(10)}${"</a>".repeat(10)}</cwmp:X_Deep>`);
    expect(reasonOf(ten)).toBe("decoded");
    expect(reasonOf(ten, { maxDepth: 8 })).toBe("TooDeep");
    // A nonsensical limit falls back to the default instead of switching the check off.
    expect(reasonOf(deep, { maxDepth: Number.NaN })).toBe("TooDeep");
    expect(reasonOf(deep, { maxDepth: -1, maxBytes: -1 })).toBe("TooDeep");
  });

  it("every truncation of a valid envelope fails with a DecodeError", () => {
    const xml = encodeEnvelope({ header: { id: "t" }, body: samples.Inform, version: "1.2" });
    const reasons = new Set<string>();
    // Every cut in the last 120 characters (where the structure closes), every 13th before.
    for (let n = 0; n < xml.length; n += n < xml.length - 120 ? 13 : 1)
      reasons.add(reasonOf(xml.slice(0, n)));
    expect(reasons.has("decoded")).toBe(false);
    expect(reasons.has("Malformed")).toBe(true);
  });

  it("non-XML bytes fail as Malformed (invalid UTF-8, binary, plain text, empty)", () => {
    expect(reasonOf(new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80]))).toBe("Malformed");
    expect(reasonOf(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      "Malformed",
    );
    expect(reasonOf("hello, world")).toBe("Malformed");
    expect(reasonOf("")).toBe("Malformed");
    expect(reasonOf(`${env("<cwmp:GetRPCMethods/>")}<second/>`)).toBe("Malformed");
  });

  it("a wrong root is NotSoap; a SOAP 1.2 envelope is UnknownNamespace; no Body is MissingElement; an empty Body is EmptyBody", () => {
    expect(reasonOf("<html><body>hi</body></html>")).toBe("NotSoap");
    expect(
      reasonOf(
        '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><x/></e:Body></e:Envelope>',
      ),
    ).toBe("UnknownNamespace");
    expect(
      errorOf('<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"></e:Envelope>')
        .element,
    ).toBe("Envelope/Body");
    expect(reasonOf(env(""))).toBe("EmptyBody");
  });

  it("a CWMP message name in an unknown cwmp namespace is UnknownNamespace", () => {
    const xml = env(
      "<c:Reboot xmlns:c='urn:dslforum-org:cwmp-2-0'><CommandKey/></c:Reboot>",
    ).replace(' xmlns:cwmp="urn:dslforum-org:cwmp-1-2"', "");
    expect(reasonOf(xml)).toBe("UnknownNamespace");
  });

  it("a missing required element names its path; a bad value is BadValue", () => {
    const missing = errorOf(env("<cwmp:GetParameterValues></cwmp:GetParameterValues>"));
    expect(missing.reason).toBe("MissingElement");
    expect(missing.element).toBe("Envelope/Body/GetParameterValues/ParameterNames");
    const bad = errorOf(
      env("<cwmp:SetParameterValuesResponse><Status>7</Status></cwmp:SetParameterValuesResponse>"),
    );
    expect(bad.reason).toBe("BadValue");
    expect(bad.element).toBe("Envelope/Body/SetParameterValuesResponse/Status");
    expect(
      reasonOf(
        env(
          "<cwmp:GetParameterNames><ParameterPath/><NextLevel>maybe</NextLevel></cwmp:GetParameterNames>",
        ),
      ),
    ).toBe("BadValue");
  });

  it("prototype-polluting names are inert", () => {
    const xml = env(
      "<cwmp:X_P><__proto__><polluted>1</polluted></__proto__><constructor/></cwmp:X_P>",
    );
    const r = decodeEnvelope(xml);
    expect(Either.isRight(r) || r.left instanceof DecodeError).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("prefixes named like Object members (constructor, toString) resolve as ordinary prefixes", () => {
    const xml =
      '<constructor:Envelope xmlns:constructor="http://schemas.xmlsoap.org/soap/envelope/" xmlns:toString="urn:dslforum-org:cwmp-1-1"><constructor:Body><toString:Reboot><CommandKey>k</CommandKey></toString:Reboot></constructor:Body></constructor:Envelope>';
    const r = decodeEnvelope(xml);
    expect(Either.isRight(r) && r.right.envelope).toEqual({
      header: {},
      body: { _tag: "Reboot", commandKey: "k" },
      version: "1.1",
    });
    // An undeclared prefix is not namespace-well-formed (issue 9), whatever its name.
    const undeclared = decodeEnvelope(
      "<toString:Envelope><toString:Body><valueOf:Reboot><CommandKey>k</CommandKey></valueOf:Reboot></toString:Body></toString:Envelope>",
    );
    expect(Either.isLeft(undeclared) && undeclared.left.detail).toContain(
      "undeclared namespace prefix toString",
    );
    const unprefixed = decodeEnvelope(
      "<Envelope><Body><Reboot><CommandKey>k</CommandKey></Reboot></Body></Envelope>",
    );
    expect(Either.isRight(unprefixed) && unprefixed.right.warnings).toContain(
      "Envelope: no namespace declared, read as SOAP 1.1",
    );
  });
});

const validEnvelopes = Object.values(samples).map((body) =>
  encodeEnvelope({
    header: { id: "fuzz", holdRequests: true },
    body: body as CwmpMessage,
    version: "1.2",
  }),
);

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string(),
      fc.constantFrom(
        "<",
        ">",
        "</",
        "/>",
        "&",
        "&#0;",
        "&#x110000;",
        "<![CDATA[",
        "]]>",
        "<!--",
        "<!DOCTYPE x>",
        "<?x?>",
        '"',
        'xmlns:cwmp="urn:x"',
        "\u0000",
        "\uD800",
      ),
    ),
  }),
  fc.record({ kind: fc.constant("swap" as const), at: fc.nat(), to: fc.nat() }),
);

interface Mutation {
  readonly kind: "delete" | "insert" | "swap";
  readonly at: number;
  readonly len?: number;
  readonly text?: string;
  readonly to?: number;
}

const mutate = (xml: string, ms: readonly Mutation[]): string => {
  let s = xml;
  for (const m of ms) {
    const at = m.at % (s.length + 1);
    if (m.kind === "delete") s = s.slice(0, at) + s.slice(at + (m.len ?? 1));
    else if (m.kind === "insert") s = s.slice(0, at) + (m.text ?? "") + s.slice(at);
    else {
      const to = (m.to ?? 0) % (s.length + 1);
      s = s.slice(0, at) + s.slice(to, to + 10) + s.slice(at + 10);
    }
  }
  return s;
};

// decodeEnvelope turns anything a decoder throws into a DecodeError, so "is a DecodeError" alone
// cannot fail: a defect of the mapping step (a TypeError on a shape it did not expect) must
// also not hide behind that catch-all, whose detail then starts with the JS error's name.
const neverThrows = (input: string | Uint8Array) => {
  const r = decodeEnvelope(input);
  if (Either.isLeft(r)) {
    expect(r.left).toBeInstanceOf(DecodeError);
    expect(r.left.detail).not.toMatch(/^(TypeError|RangeError|ReferenceError|SyntaxError)\b/);
  } else expect(r.right.envelope.body._tag).toBeTypeOf("string");
};

describe("fuzz", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 300 })], { numRuns: 300 })(
    "decodeEnvelope never throws nor hides a decoder defect for arbitrary strings",
    (s) => neverThrows(s),
  );

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 200 })(
    "decodeEnvelope never throws nor hides a decoder defect for arbitrary bytes",
    (b) => neverThrows(b),
  );

  test.prop(
    [fc.constantFrom(...validEnvelopes), fc.array(mutation, { minLength: 1, maxLength: 5 })],
    { numRuns: 400 },
  )(
    "decodeEnvelope never throws nor hides a decoder defect for mutated valid envelopes",
    (xml, ms) => neverThrows(mutate(xml, ms)),
  );
});
