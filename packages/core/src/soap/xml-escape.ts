/**
 * Escaping of text and attribute values written into CWMP envelopes.
 *
 * Characters XML 1.0 forbids (C0 controls other than TAB, LF and CR; U+FFFE, U+FFFF; unpaired
 * surrogates) cannot be written even as character references, so they are **replaced by U+FFFD**
 * (the replacement character) rather than silently dropped: the receiver still sees that
 * something was there, and lengths are preserved. CR is written as `&#13;` so that it survives
 * the end-of-line normalisation every XML parser performs. Everything else, including multibyte
 * UTF-8, is written as is.
 * @module
 */

/** The replacement written for a character XML 1.0 forbids. */
export const XML_REPLACEMENT_CHARACTER = "\uFFFD";

// Surrogates are in the class so that a pair takes the slow path, where it is checked for pairing.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding the controls XML forbids is the point
const needsTextEscape = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const needsAttrEscape =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding the controls XML forbids is the point
  /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const escapeSlow = (s: string, inAttribute: boolean): string => {
  let out = "";
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = "&amp;";
    else if (c === 60) rep = "&lt;";
    else if (c === 62) rep = "&gt;";
    else if (c === 13) rep = "&#13;";
    else if (c === 34 && inAttribute) rep = "&quot;";
    else if (c === 9 && inAttribute) rep = "&#9;";
    else if (c === 10 && inAttribute) rep = "&#10;";
    else if (c < 32 && c !== 9 && c !== 10) rep = XML_REPLACEMENT_CHARACTER;
    else if (c === 0xfffe || c === 0xffff) rep = XML_REPLACEMENT_CHARACTER;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++; // a valid pair: keep both halves
        continue;
      }
      rep = XML_REPLACEMENT_CHARACTER;
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = XML_REPLACEMENT_CHARACTER;
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
};

/** Escapes character data for an element's content (see the module note on forbidden characters). */
export const escapeXmlText = (s: string): string =>
  needsTextEscape.test(s) ? escapeSlow(s, false) : s;

/** Escapes an attribute value written between double quotes; TAB, LF and CR become references. */
export const escapeXmlAttribute = (s: string): string =>
  needsAttrEscape.test(s) ? escapeSlow(s, true) : s;

/**
 * The string a decoder will read back after {@link escapeXmlText}: forbidden characters replaced
 * by U+FFFD, everything else unchanged.
 */
export const toXmlRepresentable = (s: string): string => {
  const escaped = escapeXmlText(s);
  if (escaped === s) return s;
  return escaped.replace(/&(amp|lt|gt|#13);/g, (_, e: string) =>
    e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : "\r",
  );
};
