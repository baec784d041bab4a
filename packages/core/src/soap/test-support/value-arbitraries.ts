/**
 * Test support: fast-check arbitraries for the values inside messages, headers and vendor
 * elements. Strings are any XML-representable Unicode text (characters XML 1.0 forbids are mapped
 * away with `toXmlRepresentable`, which the escaping tests cover separately), biased towards
 * markup characters, whitespace and the XSD's maximal lengths (256-char names, 32-char keys).
 * @module
 */
import fc from "fast-check";
import { standardValueTypes } from "../../cwmp/value.js";
import type { CwmpMessageOf, CwmpVersion, SoapHeader } from "../messages.js";
import type { XmlElement } from "../xml-element.js";
import { toXmlRepresentable } from "../xml-escape.js";

const tricky = fc.constantFrom(
  "&",
  "<",
  ">",
  '"',
  "'",
  "\r",
  "\n",
  "\r\n",
  "\t",
  " ",
  "]]>",
  "&amp;",
  "😀",
  "é",
  "名",
);

/** Any XML-representable string up to `max` code points. */
export const xmlString = (max = 64): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ unit: "binary", maxLength: max }),
      fc
        .array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 8 })
        .map((a) => a.join("")),
    )
    .map((s) => toXmlRepresentable([...s].slice(0, max).join("")));

/** A string of exactly `n` code points (maximal-length fields). */
export const exactly = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: "binary", minLength: n, maxLength: n }).map(toXmlRepresentable);

/** Shared by the message arbitraries. */
export const name = fc.oneof(xmlString(64), exactly(256));
/** Shared by the message arbitraries. */
export const key = fc.oneof(xmlString(32), exactly(32));
/** Shared by the message arbitraries. */
export const uint = fc.integer({ min: 0, max: 4294967295 });
/** Shared by the message arbitraries. */
export const int = fc.integer({ min: -2147483648, max: 2147483647 });
/** Shared by the message arbitraries. */
export const status = fc.constantFrom(0 as const, 1 as const);
/** Shared by the message arbitraries. */
export const dateTime = fc.oneof(
  fc.constant("0001-01-01T00:00:00Z"),
  fc
    .date({
      min: new Date("1970-01-01T00:00:00Z"),
      max: new Date("2100-01-01T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constant("2026-11-27T20:00:05.123456+05:30"),
  fc.constant("2026-11-27T20:00:05-08:00"),
);
/** Shared by the message arbitraries. */
export const valueType = fc.constantFrom(
  ...standardValueTypes,
  "cwmp:IPAddress",
  "cwmp:MACAddress",
);
/** Shared by the message arbitraries. */
export const pvs = fc.record({
  name,
  value: fc.oneof(xmlString(64), exactly(300)),
  type: valueType,
});
/** Shared by the message arbitraries. */
export const pvList = fc.array(pvs, { maxLength: 6 });
/** Up to `max` parameter names. */
export const strings = (max = 6) => fc.array(name, { maxLength: max });
/** Shared by the message arbitraries. */
export const faultStruct = fc.record({ faultCode: uint, faultString: xmlString(64) });
/** An optional field. */
export const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Drops `undefined` fields, as the decoder never produces them. */
export const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const elementName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
const attrName = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/).filter((n) => n !== "xmlns");

const elementWith = (children: fc.Arbitrary<XmlElement[]>): fc.Arbitrary<XmlElement> =>
  fc
    .record({
      localName: elementName,
      attributes: fc.dictionary(attrName, xmlString(16), { maxKeys: 2 }),
      text: xmlString(16),
      children,
    })
    .map((e) => ({
      name: e.localName,
      localName: e.localName,
      attributes: e.attributes,
      // Whitespace-only text beside child elements is indentation, dropped by the decoder.
      text: e.children.length > 0 && e.text.trim() === "" ? "" : e.text,
      children: e.children,
    }));

// Three levels deep at most, a few children per level.
const childElement = elementWith(
  fc.array(elementWith(fc.array(elementWith(fc.constant([])), { maxLength: 2 })), { maxLength: 3 }),
);

/** A vendor RPC (`cwmp:X_<...>`) with arbitrary unqualified content. */
export const vendorMessageArbitrary = (
  version: CwmpVersion,
): fc.Arbitrary<CwmpMessageOf<"VendorMessage">> => {
  const uri =
    version === "1.0"
      ? "urn:dslforum-org:cwmp-1-0"
      : version === "1.1"
        ? "urn:dslforum-org:cwmp-1-1"
        : "urn:dslforum-org:cwmp-1-2";
  return fc.tuple(elementName, childElement).map(([suffix, body]) => {
    const local = `X_VENDOR_${suffix}`;
    return {
      _tag: "VendorMessage",
      name: local,
      element: {
        ...body,
        name: `cwmp:${local}`,
        namespace: "cwmp",
        namespaceUri: uri,
        localName: local,
      },
    };
  });
};

/** An arbitrary header with any subset of entries. */
export const headerArbitrary: fc.Arbitrary<SoapHeader> = fc
  .record({
    id: opt(xmlString(32)),
    holdRequests: opt(fc.boolean()),
    sessionTimeout: opt(uint),
    supportedCwmpVersions: opt(xmlString(32)),
    useCwmpVersion: opt(xmlString(8)),
    noMoreRequests: opt(fc.boolean()),
  })
  .map(compact);

/** Versions whose namespace alone determines them (no header hint needed). */
export const namespaceVersions = fc.constantFrom<CwmpVersion>("1.0", "1.1", "1.2");
