/**
 * Cheap checks run on hostile input before the parser sees it: size and encoding (DOCTYPE and
 * ENTITY declarations are refused by the well-formedness scan, `well-formedness.ts`), and the
 * truncation check after it.
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

const tooLarge = (maxBytes: number): DecodeError =>
  new DecodeError({
    reason: "TooLarge",
    element: ROOT,
    detail: `envelope exceeds ${maxBytes} bytes`,
  });

/** Fails with `TooLarge` when `xml` is more than `maxBytes` UTF-8 bytes. */
export const checkSize = (xml: string | Uint8Array, maxBytes: number): DecodeError | undefined => {
  if (typeof xml !== "string") return xml.length > maxBytes ? tooLarge(maxBytes) : undefined;
  // Each UTF-16 unit is 1-3 UTF-8 bytes, so only the middle band needs counting.
  if (xml.length > maxBytes) return tooLarge(maxBytes);
  if (xml.length * 3 <= maxBytes) return undefined;
  return utf8Length(xml) > maxBytes ? tooLarge(maxBytes) : undefined;
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
