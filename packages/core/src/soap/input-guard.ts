/**
 * Cheap checks run on hostile input before the parser sees it: size, encoding, and any
 * DOCTYPE/ENTITY declaration (refused outright, so entity expansion attacks such as "billion
 * laughs" and external entities never reach a parser). CWMP envelopes never carry a DOCTYPE.
 * @module
 */
import { DecodeError } from "./decode-error.js";

const ROOT = "Envelope";

// Upper bound of the UTF-8 size of a UTF-16 string, exact only when needed near the limit.
const utf8Length = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
};

/** Fails with `TooLarge` when `xml` is more than `maxBytes` UTF-8 bytes. */
export const checkSize = (xml: string | Uint8Array, maxBytes: number): DecodeError | undefined => {
  const tooLarge = () =>
    new DecodeError({
      reason: "TooLarge",
      element: ROOT,
      detail: `envelope exceeds ${maxBytes} bytes`,
    });
  if (typeof xml !== "string") return xml.length > maxBytes ? tooLarge() : undefined;
  // Each UTF-16 unit is 1-3 UTF-8 bytes, so only the middle band needs counting.
  if (xml.length > maxBytes) return tooLarge();
  if (xml.length * 3 <= maxBytes) return undefined;
  return utf8Length(xml) > maxBytes ? tooLarge() : undefined;
};

/** Decodes UTF-8 bytes strictly (a BOM is dropped); `Malformed` for invalid UTF-8. */
export const decodeUtf8 = (bytes: Uint8Array): string | DecodeError => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    return new DecodeError({
      reason: "Malformed",
      element: ROOT,
      detail: "not valid UTF-8",
      cause,
    });
  }
};

/**
 * Refuses any markup declaration (`<!DOCTYPE`, `<!ENTITY`, ...). Comments and CDATA sections are
 * skipped whole, so their content never triggers a refusal. Runs `indexOf` only, no regex.
 */
export const checkNoDeclarations = (xml: string): DecodeError | undefined => {
  let i = xml.indexOf("<!");
  while (i >= 0) {
    if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) break;
      i = xml.indexOf("<!", end + 3);
    } else if (xml.startsWith("<![CDATA[", i)) {
      const end = xml.indexOf("]]>", i + 9);
      if (end < 0) break;
      i = xml.indexOf("<!", end + 3);
    } else {
      return new DecodeError({
        reason: "Doctype",
        element: ROOT,
        detail: "DOCTYPE and ENTITY declarations are refused",
      });
    }
  }
  return undefined;
};

/**
 * True when the document ends with the end tag of `rootQName` (trailing whitespace allowed):
 * the parser accepts truncated documents, and truncation is the common malformation on the wire.
 */
export const endsWithRootEndTag = (xml: string, rootQName: string): boolean => {
  let end = xml.length;
  while (end > 0 && xml.charCodeAt(end - 1) <= 32) end--;
  if (end === 0 || xml.charCodeAt(end - 1) !== 62) return false;
  const open = xml.lastIndexOf("</", end);
  return open >= 0 && xml.slice(open + 2, end - 1).trim() === rootQName;
};
