import { Either } from "effect";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  type DecodeOptions,
  decodeEnvelope,
  envelopeOf,
  parserOptions,
} from "./decode-envelope.js";
import { DecodeError } from "./decode-error.js";
import type { XNode } from "./xml-reader.js";

// Each case fails (or warns) for the one reason it names; the error is compared in full
// (reason, element path and detail) so that a check failing for another reason is noticed.

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
const CWMP12 = "urn:dslforum-org:cwmp-1-2";

const decoded = (xml: string | Uint8Array, options?: DecodeOptions) => {
  const r = decodeEnvelope(xml, options);
  if (Either.isLeft(r)) throw new Error(`decode failed: ${r.left.reason}: ${r.left.detail}`);
  return r.right;
};
const failure = (xml: unknown, options?: DecodeOptions) => {
  const r = decodeEnvelope(xml as string, options);
  if (Either.isRight(r)) throw new Error("expected a decode error");
  const { reason, element, detail } = r.left;
  return { reason, element, detail };
};

/** An envelope with SOAP and CWMP 1.2 declared on the root. */
const env = (body: string, rootAttrs = `xmlns:s="${SOAP}" xmlns:c="${CWMP12}"`) =>
  `<s:Envelope ${rootAttrs}><s:Body>${body}</s:Body></s:Envelope>`;
const reboot = `<c:Reboot><CommandKey>k</CommandKey></c:Reboot>`;

describe("decodeEnvelope: the envelope", () => {
  it("a well-formed CWMP 1.2 request decodes without warnings", () => {
    const r = decoded(env(reboot));
    expect(r).toEqual({
      envelope: { header: {}, body: { _tag: "Reboot", commandKey: "k" }, version: "1.2" },
      warnings: [],
    });
  });

  it("an Envelope without a namespace is read as SOAP 1.1, with a warning", () => {
    const r = decoded(
      `<Envelope><Body><c:Reboot xmlns:c="${CWMP12}"><CommandKey>k</CommandKey></c:Reboot></Body></Envelope>`,
    );
    expect(r.envelope.body).toEqual({ _tag: "Reboot", commandKey: "k" });
    expect(r.warnings).toEqual(["Envelope: no namespace declared, read as SOAP 1.1"]);
  });

  it("an Envelope in another namespace (SOAP 1.2) is UnknownNamespace, naming it", () => {
    expect(
      failure(env(reboot, `xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:c="${CWMP12}"`)),
    ).toEqual({
      reason: "UnknownNamespace",
      element: "Envelope",
      detail: "not a SOAP 1.1 envelope: http://www.w3.org/2003/05/soap-envelope",
    });
  });

  it("a root that is not an Envelope is NotSoap, naming the root", () => {
    expect(failure(`<s:Envelop xmlns:s="${SOAP}"><s:Body/></s:Envelop>`)).toEqual({
      reason: "NotSoap",
      element: "s:Envelop",
      detail: "the root element is not a SOAP Envelope",
    });
  });

  it("an Envelope with a Header but no Body is MissingElement Envelope/Body", () => {
    expect(
      failure(
        `<s:Envelope xmlns:s="${SOAP}" xmlns:c="${CWMP12}"><s:Header><c:ID s:mustUnderstand="1">1</c:ID></s:Header></s:Envelope>`,
      ),
    ).toEqual({
      reason: "MissingElement",
      element: "Envelope/Body",
      detail: "missing element Body",
    });
  });

  it("a Body with only white space is EmptyBody", () => {
    expect(failure(env(" \n "))).toEqual({
      reason: "EmptyBody",
      element: "Envelope/Body",
      detail: "the Body carries no message",
    });
  });

  it("a string starting with a byte order mark decodes as without it", () => {
    expect(decoded(`\ufeff${env(reboot)}`).envelope.body).toEqual({
      _tag: "Reboot",
      commandKey: "k",
    });
  });

  it("UTF-8 bytes decode as the same text does", () => {
    expect(decoded(new TextEncoder().encode(env(reboot))).envelope.body).toEqual({
      _tag: "Reboot",
      commandKey: "k",
    });
  });

  it("input that is neither a string nor bytes is Malformed, saying so", () => {
    expect(failure(42)).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "not a string or bytes",
    });
  });

  it("a defect met while reading (an exception that is no DecodeError) is Malformed, never a throw", () => {
    const bytes = new TextEncoder().encode(env(reboot));
    Object.defineProperty(bytes, "length", {
      get: () => {
        throw new RangeError("length unreadable");
      },
    });
    const r = decodeEnvelope(bytes);
    expect(Either.isLeft(r) && r.left.cause).toBeInstanceOf(RangeError);
    expect(failure(bytes)).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "RangeError: length unreadable",
    });
  });
});

describe("decodeEnvelope: the CWMP namespace and version", () => {
  it("the message's own CWMP namespace sets the version, before one declared on the Envelope", () => {
    const r = decoded(
      env(
        `<b:Reboot xmlns:b="urn:dslforum-org:cwmp-1-1"><CommandKey>k</CommandKey></b:Reboot>`,
        `xmlns:s="${SOAP}" xmlns:a="urn:dslforum-org:cwmp-1-0"`,
      ),
    );
    expect(r.envelope.version).toBe("1.1");
    expect(r.warnings).toEqual([]);
  });

  it("a vendor message takes the version of the first CWMP namespace in scope (V2)", () => {
    const r = decoded(
      env(
        `<v:X_VENDOR_Ping xmlns:v="urn:vendor"/>`,
        `xmlns:s="${SOAP}" xmlns:o="urn:other" xmlns:a="urn:dslforum-org:cwmp-1-0" xmlns:b="urn:dslforum-org:cwmp-1-1"`,
      ),
    );
    expect(r.envelope.body).toMatchObject({ _tag: "VendorMessage", name: "X_VENDOR_Ping" });
    expect(r.envelope.version).toBe("1.0");
    expect(r.warnings).toEqual([]);
  });

  it("without any CWMP namespace the message is read as CWMP 1.2, with two warnings", () => {
    const r = decoded(
      `<s:Envelope xmlns:s="${SOAP}"><s:Body><Reboot><CommandKey>k</CommandKey></Reboot></s:Body></s:Envelope>`,
    );
    expect(r.envelope).toEqual({
      header: {},
      body: { _tag: "Reboot", commandKey: "k" },
      version: "1.2",
    });
    expect(r.warnings).toEqual([
      "Envelope: no CWMP namespace, read as CWMP 1.2",
      "Envelope/Body/Reboot: no namespace, read as CWMP",
    ]);
  });

  it("an unknown CWMP namespace version is UnknownNamespace at the message (V2)", () => {
    expect(failure(env(reboot, `xmlns:s="${SOAP}" xmlns:c="urn:dslforum-org:cwmp-1-9"`))).toEqual({
      reason: "UnknownNamespace",
      element: "Envelope/Body/Reboot",
      detail: "unknown CWMP namespace urn:dslforum-org:cwmp-1-9",
    });
  });

  it("the non-standard cwmp-1-3 namespace is read as 1.3, with a warning (V2)", () => {
    const r = decoded(env(reboot, `xmlns:s="${SOAP}" xmlns:c="urn:dslforum-org:cwmp-1-3"`));
    expect(r.envelope.version).toBe("1.3");
    expect(r.warnings).toEqual(["Envelope: non-standard namespace urn:dslforum-org:cwmp-1-3 (V2)"]);
  });

  it("a CWMP message name in a namespace that is not CWMP's is UnknownNamespace", () => {
    expect(
      failure(env(`<x:Reboot xmlns:x="urn:other"><CommandKey>k</CommandKey></x:Reboot>`)),
    ).toEqual({
      reason: "UnknownNamespace",
      element: "Envelope/Body/Reboot",
      detail: "CWMP message Reboot in namespace urn:other",
    });
  });
});

describe("decodeEnvelope: SOAP Fault or not", () => {
  const soapFault = (prefix: string) =>
    `<${prefix}Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><c:Fault><FaultCode>9001</FaultCode><FaultString>Request denied</FaultString></c:Fault></detail></${prefix}Fault>`;

  it("a Fault in the SOAP namespace is a SOAP Fault", () => {
    expect(decoded(env(soapFault("s:"))).envelope.body._tag).toBe("Fault");
  });

  it("a Fault in the Envelope's namespace when the Envelope has none is a SOAP Fault", () => {
    const r = decoded(`<Envelope xmlns:c="${CWMP12}"><Body>${soapFault("")}</Body></Envelope>`);
    expect(r.envelope.body._tag).toBe("Fault");
    expect(r.warnings).toEqual(["Envelope: no namespace declared, read as SOAP 1.1"]);
  });

  it("a Fault element in the CWMP namespace is no SOAP Fault: it is read as a vendor message", () => {
    const r = decoded(env(`<c:Fault><FaultCode>9001</FaultCode></c:Fault>`));
    expect(r.envelope.body).toMatchObject({ _tag: "VendorMessage", name: "Fault" });
  });

  it("a Fault without a namespace in a SOAP 1.1 Envelope is read as a vendor message", () => {
    const r = decoded(env(`<Fault><faultcode>Client</faultcode></Fault>`));
    expect(r.envelope.body).toMatchObject({ _tag: "VendorMessage", name: "Fault" });
  });
});

describe("decodeEnvelope: limits", () => {
  const xml = env(reboot);
  const size = Buffer.byteLength(xml);

  it("the defaults are 4 MiB and 64 levels", () => {
    expect(DEFAULT_MAX_BYTES).toBe(4 * 1024 * 1024);
    expect(DEFAULT_MAX_DEPTH).toBe(64);
  });

  it("maxBytes: the envelope's own size passes, one byte less is TooLarge naming the limit", () => {
    expect(decoded(xml, { maxBytes: size }).envelope.body._tag).toBe("Reboot");
    expect(failure(xml, { maxBytes: size - 1 })).toEqual({
      reason: "TooLarge",
      element: "Envelope",
      detail: `envelope exceeds ${size - 1} bytes`,
    });
  });

  it("maxBytes 1 is a limit of one byte; a fractional limit is rounded down", () => {
    expect(failure(xml, { maxBytes: 1 }).detail).toBe("envelope exceeds 1 bytes");
    expect(failure(xml, { maxBytes: size - 0.5 }).detail).toBe(
      `envelope exceeds ${size - 1} bytes`,
    );
  });

  it("maxBytes below 1 or NaN falls back to the default (a bad option never switches a limit off)", () => {
    for (const maxBytes of [0, 0.5, -1, Number.NaN]) {
      expect(decoded(xml, { maxBytes }).envelope.body._tag).toBe("Reboot");
      expect(failure("x".repeat(DEFAULT_MAX_BYTES + 1), { maxBytes }).reason).toBe("TooLarge");
    }
  });

  // The parser counts the levels below the root: Body/Reboot/CommandKey are 3.
  it("maxDepth: 3 levels below the Envelope pass at maxDepth 3; maxDepth 2 is TooDeep with the parser's message", () => {
    expect(decoded(xml, { maxDepth: 3 }).envelope.body._tag).toBe("Reboot");
    const deep = failure(xml, { maxDepth: 2 });
    expect(deep.reason).toBe("TooDeep");
    expect(deep.element).toBe("Envelope");
    expect(deep.detail).toMatch(/^Maximum nested tags exceeded/);
  });

  it("a fractional maxDepth is rounded down; below 1 falls back to the default", () => {
    expect(failure(xml, { maxDepth: 2.9 }).reason).toBe("TooDeep");
    expect(decoded(xml, { maxDepth: 0.5 }).envelope.body._tag).toBe("Reboot");
    const tooDeep = `${"<a>".repeat(DEFAULT_MAX_DEPTH)}${"</a>".repeat(DEFAULT_MAX_DEPTH)}`;
    expect(failure(env(tooDeep), { maxDepth: 0 }).reason).toBe("TooDeep");
  });

  it("parserOptions keeps text as written: no trimming, no number coercion", () => {
    const parsed = new XMLParser(parserOptions(8)).parse("<a> 007 </a>");
    expect(parsed).toEqual([{ a: [{ "#text": " 007 " }] }]);
  });
});

describe("envelopeOf: the parser's tree to an envelope", () => {
  const tree = (xml: string): XNode[] => new XMLParser(parserOptions(DEFAULT_MAX_DEPTH)).parse(xml);
  const thrown = (doc: XNode[], xml: string) => {
    try {
      envelopeOf(doc, xml, { warnings: [] });
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      const { reason, element, detail } = e as DecodeError;
      return { reason, element, detail };
    }
    throw new Error("expected envelopeOf to throw");
  };

  it("text around the root is skipped", () => {
    const xml = `\n${env(reboot)}\n`;
    expect(envelopeOf(tree(xml), xml, { warnings: [] }).body).toEqual({
      _tag: "Reboot",
      commandKey: "k",
    });
  });

  it("a tree without a root element is Malformed", () => {
    expect(thrown([], "")).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "no root element",
    });
  });

  it("a tree with two root elements is Malformed", () => {
    const xml = `${env(reboot)}${env(reboot)}`;
    expect(thrown(tree(xml), xml)).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "more than one root element",
    });
  });

  it("text that does not end with the Envelope's end tag is truncated (the parser accepts it)", () => {
    const xml = env(reboot).replace(/<\/s:Envelope>$/, "");
    expect(thrown(tree(xml), xml)).toEqual({
      reason: "Malformed",
      element: "Envelope",
      detail: "truncated: no end tag of the Envelope",
    });
  });
});

describe("decodeEnvelope: parser settings and requests the CPE knows", () => {
  it("a processing instruction and an XML declaration before the root are skipped", () => {
    expect(decoded(`<?xml version="1.0"?><?acs hint?>${env(reboot)}`).envelope.body).toEqual({
      _tag: "Reboot",
      commandKey: "k",
    });
  });

  it("attribute values are kept as written (`007` stays text, not the number 7)", () => {
    const r = decoded(env(`<v:X_VENDOR_Ping v:n="007" xmlns:v="urn:vendor"/>`));
    expect(r.envelope.body).toMatchObject({
      _tag: "VendorMessage",
      element: { attributes: { "v:n": "007", "xmlns:v": "urn:vendor" } },
    });
  });

  it("a text node beside the root in the parser's tree is skipped, not taken for a second root", () => {
    const xml = env(reboot);
    const doc = new XMLParser(parserOptions(DEFAULT_MAX_DEPTH)).parse(xml) as XNode[];
    const withText = [{ "#text": "\n" } as unknown as XNode, ...doc];
    expect(envelopeOf(withText, xml, { warnings: [] }).body).toEqual({
      _tag: "Reboot",
      commandKey: "k",
    });
  });

  it("a message in the SOAP namespace that is not Fault is no SOAP Fault: a CWMP name there is UnknownNamespace", () => {
    expect(failure(env(`<s:Reboot><CommandKey>k</CommandKey></s:Reboot>`))).toEqual({
      reason: "UnknownNamespace",
      element: "Envelope/Body/Reboot",
      detail: `CWMP message Reboot in namespace ${SOAP}`,
    });
  });

  it("in an Envelope without a namespace, a message without one is that CWMP message, not a SOAP Fault", () => {
    const r = decoded(
      `<Envelope><Body><Reboot><CommandKey>k</CommandKey></Reboot></Body></Envelope>`,
    );
    expect(r.envelope.body).toEqual({ _tag: "Reboot", commandKey: "k" });
  });

  it("a Fault in the SOAP namespace is a SOAP Fault even when the Envelope has no namespace", () => {
    const r = decoded(
      `<Envelope><Body><e:Fault xmlns:e="${SOAP}"><faultcode>Client</faultcode><faultstring>x</faultstring></e:Fault></Body></Envelope>`,
    );
    expect(r.envelope.body).toEqual({ _tag: "Fault", faultcode: "Client", faultstring: "x" });
  });

  it("V4 §1.14-9003 a request the CPE knows with a bad argument carries its method, header and fault 9003", () => {
    const r = decodeEnvelope(
      `<s:Envelope xmlns:s="${SOAP}" xmlns:c="${CWMP12}"><s:Header><c:ID s:mustUnderstand="1">42</c:ID></s:Header><s:Body><c:GetParameterValues/></s:Body></s:Envelope>`,
    );
    if (Either.isRight(r)) throw new Error("expected a decode error");
    expect([r.left.reason, r.left.element]).toEqual([
      "MissingElement",
      "Envelope/Body/GetParameterValues/ParameterNames",
    ]);
    expect(r.left.request?.method).toBe("GetParameterValues");
    expect(r.left.request?.header).toEqual({ id: "42" });
    expect(r.left.request?.fault.code).toBe(9003);
  });
});
