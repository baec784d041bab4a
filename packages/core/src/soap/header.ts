/**
 * The CWMP SOAP header entries (V4-V7): decoding them from the `Header` element and writing
 * them with the `mustUnderstand` values the XSDs fix.
 * @module
 */
import type { SoapHeader } from "./messages.js";
import { escapeXmlText } from "./xml-escape.js";
import {
  attributesOf,
  childElements,
  type DecodeContext,
  type Located,
  localName,
  parseBoolean,
  parseInteger,
  pathOf,
  text,
  UINT_MAX,
} from "./xml-reader.js";

type MutableHeader = { -readonly [K in keyof SoapHeader]: SoapHeader[K] };

const mustUnderstandOf = (e: Located): string | undefined => {
  const attrs = attributesOf(e.node);
  if (attrs === undefined) return undefined;
  for (const k in attrs) if (localName(k) === "mustUnderstand") return attrs[k];
  return undefined;
};

/**
 * Reads the header entries. A malformed boolean or number is a warning and the entry is left
 * out (a header problem must not lose the message); unknown entries are warnings too.
 */
export const decodeHeader = (header: Located | undefined, cx: DecodeContext): SoapHeader => {
  const h: MutableHeader = {};
  if (header === undefined) return h;
  for (const e of childElements(header)) {
    const name = localName(e.qname);
    const raw = text(e);
    switch (name) {
      case "ID":
        h.id = raw;
        break;
      case "HoldRequests":
      case "NoMoreRequests": {
        const b = parseBoolean(raw);
        if (b === undefined) cx.warnings.push(`${pathOf(e)}: not a boolean, ignored`);
        else if (name === "HoldRequests") h.holdRequests = b;
        else h.noMoreRequests = b;
        break;
      }
      case "SessionTimeout": {
        const n = parseInteger(raw, 0, UINT_MAX);
        if (n === undefined) cx.warnings.push(`${pathOf(e)}: not an unsignedInt, ignored`);
        else h.sessionTimeout = n;
        break;
      }
      case "SupportedCWMPVersions":
        h.supportedCwmpVersions = raw;
        break;
      case "UseCWMPVersion":
        h.useCwmpVersion = raw;
        break;
      default:
        cx.warnings.push(
          `${pathOf(e)}: unknown header entry ignored${mustUnderstandOf(e) === "1" ? " (mustUnderstand=1)" : ""}`,
        );
    }
  }
  return h;
};

const entry = (name: string, mustUnderstand: "0" | "1" | undefined, value: string): string =>
  `<cwmp:${name}${mustUnderstand === undefined ? "" : ` soap-env:mustUnderstand="${mustUnderstand}"`}>${escapeXmlText(value)}</cwmp:${name}>`;

/**
 * Writes the `soap-env:Header` element, or `""` when no entry is set. `ID`, `HoldRequests` and
 * `UseCWMPVersion` carry `mustUnderstand="1"`; `SessionTimeout` and `SupportedCWMPVersions`
 * carry `mustUnderstand="0"` (V4-V7); `NoMoreRequests`, in no XSD, carries none.
 */
export const encodeHeader = (h: SoapHeader): string => {
  let s = "";
  if (h.id !== undefined) s += entry("ID", "1", h.id);
  if (h.holdRequests !== undefined) s += entry("HoldRequests", "1", h.holdRequests ? "1" : "0");
  if (h.sessionTimeout !== undefined) s += entry("SessionTimeout", "0", String(h.sessionTimeout));
  if (h.supportedCwmpVersions !== undefined)
    s += entry("SupportedCWMPVersions", "0", h.supportedCwmpVersions);
  if (h.useCwmpVersion !== undefined) s += entry("UseCWMPVersion", "1", h.useCwmpVersion);
  if (h.noMoreRequests !== undefined)
    s += entry("NoMoreRequests", undefined, h.noMoreRequests ? "1" : "0");
  return s === "" ? "" : `<soap-env:Header>${s}</soap-env:Header>`;
};
