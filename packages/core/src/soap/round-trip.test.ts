import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect } from "vitest";
import { decodeEnvelope } from "./decode-envelope.js";
import { encodeEnvelope } from "./encode-envelope.js";
import type { CwmpMessage, Envelope } from "./messages.js";
import type { TypedTag } from "./rpc/registry.js";
import { messageArbitraries } from "./test-support/arbitraries.js";
import {
  headerArbitrary,
  namespaceVersions,
  vendorMessageArbitrary,
  xmlString,
} from "./test-support/value-arbitraries.js";
import { XML_REPLACEMENT_CHARACTER } from "./xml-escape.js";

const roundTrip = (e: Envelope): Envelope => {
  const r = decodeEnvelope(encodeEnvelope(e));
  if (Either.isLeft(r)) throw new Error(r.left.message);
  return r.right.envelope;
};

describe("round trip per message type", () => {
  for (const tag of Object.keys(messageArbitraries) as TypedTag[]) {
    const arb = messageArbitraries[tag] as fc.Arbitrary<CwmpMessage>;
    test.prop([arb, namespaceVersions, fc.option(xmlString(32), { nil: undefined })], {
      numRuns: 60,
    })(`decode(encode(m)) equals m for every ${tag} (V4 ID kept)`, (body, version, id) => {
      const e: Envelope = { header: id === undefined ? {} : { id }, body, version };
      expect(roundTrip(e)).toEqual(e);
    });
  }

  test.prop([namespaceVersions.chain((v) => fc.tuple(fc.constant(v), vendorMessageArbitrary(v)))], {
    numRuns: 60,
  })(
    "decode(encode(m)) equals m for every VendorMessage (X_ element kept as a generic element)",
    ([version, body]) => {
      const e: Envelope = { header: {}, body, version };
      expect(roundTrip(e)).toEqual(e);
    },
  );
});

describe("header entries (V4-V7)", () => {
  test.prop([headerArbitrary, messageArbitraries.GetRPCMethods])(
    "V4 V5 V6 V7: decode(encode(e)).header equals e.header for any subset of header entries",
    (header, body) => {
      expect(roundTrip({ header, body, version: "1.2" }).header).toEqual(header);
    },
  );

  test("V4 V5 V6 V7: mustUnderstand is 1 on ID, HoldRequests, UseCWMPVersion and 0 on SessionTimeout, SupportedCWMPVersions", () => {
    const xml = encodeEnvelope({
      header: {
        id: "1",
        holdRequests: true,
        sessionTimeout: 30,
        supportedCwmpVersions: "1.0,1.4",
        useCwmpVersion: "1.4",
      },
      body: { _tag: "GetRPCMethods" },
      version: "1.4",
    });
    expect(xml).toContain('<cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID>');
    expect(xml).toContain('<cwmp:HoldRequests soap-env:mustUnderstand="1">1</cwmp:HoldRequests>');
    expect(xml).toContain(
      '<cwmp:SessionTimeout soap-env:mustUnderstand="0">30</cwmp:SessionTimeout>',
    );
    expect(xml).toContain(
      '<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">1.0,1.4</cwmp:SupportedCWMPVersions>',
    );
    expect(xml).toContain(
      '<cwmp:UseCWMPVersion soap-env:mustUnderstand="1">1.4</cwmp:UseCWMPVersion>',
    );
  });
});

describe("versions and namespaces (V1 V2)", () => {
  test.prop([namespaceVersions])(
    "V2: the detected version equals the encoded one for 1.0, 1.1, 1.2 without header hints",
    (version) => {
      expect(roundTrip({ header: {}, body: { _tag: "GetRPCMethods" }, version }).version).toBe(
        version,
      );
    },
  );

  test.prop([fc.constantFrom("1.3" as const, "1.4" as const)])(
    "V2 V7: 1.3 and 1.4 are written in the cwmp-1-2 namespace and detected from UseCWMPVersion",
    (version) => {
      const e: Envelope = {
        header: { useCwmpVersion: version },
        body: { _tag: "InformResponse", maxEnvelopes: 1 },
        version,
      };
      const xml = encodeEnvelope(e);
      expect(xml).toContain('xmlns:cwmp="urn:dslforum-org:cwmp-1-2"');
      expect(roundTrip(e).version).toBe(version);
    },
  );

  test("V2: each version writes its namespace (1.0 -> cwmp-1-0, 1.1 -> cwmp-1-1, 1.2+ -> cwmp-1-2)", () => {
    const ns = (version: Envelope["version"]) =>
      /xmlns:cwmp="([^"]+)"/.exec(
        encodeEnvelope({ header: {}, body: { _tag: "GetRPCMethods" }, version }),
      )?.[1];
    expect([ns("1.0"), ns("1.1"), ns("1.2"), ns("1.3"), ns("1.4")]).toEqual([
      "urn:dslforum-org:cwmp-1-0",
      "urn:dslforum-org:cwmp-1-1",
      "urn:dslforum-org:cwmp-1-2",
      "urn:dslforum-org:cwmp-1-2",
      "urn:dslforum-org:cwmp-1-2",
    ]);
  });

  test("V6 V7: SupportedCWMPVersions (spaces tolerated) or SessionTimeout refine a cwmp-1-2 envelope", () => {
    const detect = (header: Envelope["header"]) =>
      roundTrip({ header, body: { _tag: "GetRPCMethods" }, version: "1.2" }).version;
    expect(detect({ supportedCwmpVersions: "1.0, 1.1, 1.2, 1.3, 1.4" })).toBe("1.4");
    expect(detect({ sessionTimeout: 30 })).toBe("1.3");
    expect(detect({ supportedCwmpVersions: "1.0,1.1" })).toBe("1.2");
  });
});

describe("escaping", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 40 })])(
    "every string survives encoding with only the characters XML forbids replaced by U+FFFD",
    (s) => {
      const e: Envelope = { header: {}, body: { _tag: "Reboot", commandKey: s }, version: "1.2" };
      const got = roundTrip(e).body;
      const expected = [...s]
        .map((ch) => {
          const c = ch.codePointAt(0) as number;
          const forbidden =
            (c < 0x20 && c !== 9 && c !== 10 && c !== 13) ||
            c === 0xfffe ||
            c === 0xffff ||
            (c >= 0xd800 && c <= 0xdfff);
          return forbidden ? XML_REPLACEMENT_CHARACTER : ch;
        })
        .join("");
      expect(got).toEqual({ _tag: "Reboot", commandKey: expected });
    },
  );

  test("UTF-8 multibyte text survives a round trip through bytes", () => {
    const s = "Ünïcödé 😀 名前 ﷺ";
    const xml = encodeEnvelope({
      header: {},
      body: { _tag: "Reboot", commandKey: s },
      version: "1.2",
    });
    const r = decodeEnvelope(new TextEncoder().encode(xml));
    expect(Either.isRight(r) && r.right.envelope.body).toEqual({ _tag: "Reboot", commandKey: s });
  });

  test("V3: arrays carry soap-enc:arrayType with the exact item count", () => {
    const xml = encodeEnvelope({
      header: {},
      body: {
        _tag: "GetParameterValuesResponse",
        parameterList: [
          { name: "A", value: "1", type: "int" },
          { name: "B", value: "x", type: "string" },
          { name: "C", value: "", type: "base64" },
        ],
      },
      version: "1.2",
    });
    expect(xml).toContain('<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[3]">');
    expect(xml).toContain('<Value xsi:type="xsd:int">1</Value>');
    expect(xml).toContain('<Value xsi:type="xsd:base64Binary"></Value>');
    const names = encodeEnvelope({
      header: {},
      body: { _tag: "GetParameterValues", parameterNames: [] },
      version: "1.2",
    });
    expect(names).toContain('<ParameterNames soap-enc:arrayType="xsd:string[0]"></ParameterNames>');
  });
});
