/**
 * Small builders for the XML text of CWMP bodies. Child elements of CWMP messages are
 * unqualified (`elementFormDefault="unqualified"` in the XSD), so only the message element itself
 * carries the `cwmp:` prefix.
 * @module
 */
import type { ParameterValueStruct } from "../cwmp/value.js";
import { isStandardValueType } from "../cwmp/value.js";
import { escapeXmlAttribute, escapeXmlText } from "./xml-escape.js";

/** `<name>text</name>` with the text escaped. */
export const el = (name: string, value: string): string =>
  `<${name}>${escapeXmlText(value)}</${name}>`;

/** An integer element. */
export const num = (name: string, value: number): string => `<${name}>${value}</${name}>`;

/** A boolean element, written `true`/`false` (the canonical `xs:boolean` form). */
export const bool = (name: string, value: boolean): string =>
  `<${name}>${value ? "true" : "false"}</${name}>`;

/** An optional string element, omitted when `undefined`. */
export const optEl = (name: string, value: string | undefined): string =>
  value === undefined ? "" : el(name, value);

/** A SOAP-encoded array with `soap-enc:arrayType="<itemType>[<count>]"` (V3). */
export const arrayEl = <T>(
  name: string,
  itemType: string,
  items: readonly T[],
  encodeItem: (item: T) => string,
): string => {
  let inner = "";
  for (const item of items) inner += encodeItem(item);
  return `<${name} soap-enc:arrayType="${itemType}[${items.length}]">${inner}</${name}>`;
};

/** An `xsd:string` array item. */
export const stringItem = (s: string): string => el("string", s);

/** The message element: `<cwmp:Name>inner</cwmp:Name>`, or self-closed when empty. */
export const message = (name: string, inner: string): string =>
  inner === "" ? `<cwmp:${name}/>` : `<cwmp:${name}>${inner}</cwmp:${name}>`;

/**
 * The `xsi:type` text of a value type: standard types with the `xsd:` prefix (`base64` as
 * `xsd:base64Binary`, its XML Schema name), any other type as given (`cwmp:IPAddress`).
 */
export const xsiTypeOf = (type: string): string =>
  type === "base64"
    ? "xsd:base64Binary"
    : isStandardValueType(type)
      ? `xsd:${type}`
      : escapeXmlAttribute(type);

/** One `ParameterValueStruct` with its `xsi:type`. */
export const parameterValueStruct = (p: ParameterValueStruct): string =>
  `<ParameterValueStruct><Name>${escapeXmlText(p.name)}</Name><Value xsi:type="${xsiTypeOf(p.type)}">${escapeXmlText(p.value)}</Value></ParameterValueStruct>`;

/** A `ParameterList` of `ParameterValueStruct`s. */
export const parameterValueList = (list: readonly ParameterValueStruct[]): string =>
  arrayEl("ParameterList", "cwmp:ParameterValueStruct", list, parameterValueStruct);
