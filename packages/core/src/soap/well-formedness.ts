/**
 * A single-pass well-formedness check of an envelope's text, run before fast-xml-parser sees it.
 *
 * The parser is tolerant: it accepts mismatched and stray end tags, unclosed elements, unquoted
 * and duplicate attributes, `<` in attribute values, undefined entities and trailing markup, and
 * builds some tree anyway. A tree built from text that is not XML is not a CWMP message (issue 9:
 * an InformResponse followed by `<x a=1>&bogus</y>` was taken as valid and the Inform's events
 * were lost), so every envelope is scanned first. The scan checks what the parser lets through;
 * it builds nothing but the stacks of open elements (offsets) and namespace declarations. Its work is
 * linear in the text: attributes per element and namespace declarations in scope are bounded
 * ({@link MAX_ATTRIBUTES}, {@link MAX_DECLARATIONS}), since each is compared with the others.
 *
 * Checked: element nesting (end tag names match, nothing left open, nothing after the root but
 * whitespace, comments and PIs), start-tag syntax (quoted attribute values without `<`, a space
 * between attributes, no duplicate attribute), namespace prefixes declared in scope (elements and
 * attributes; `xml` and `xmlns` are predeclared), entity references (the five of XML, numeric
 * references to XML characters, and the HTML names the codec's entity decoder resolves).
 * DOCTYPE and ENTITY declarations are refused outright (reason `Doctype`): CWMP envelopes never
 * carry one, and refusing them before any parser runs keeps entity expansion attacks ("billion
 * laughs", external entities) away from the parser. Control characters XML forbids are not
 * looked for: finding them costs a pass over every character, and the parser keeps them as text.
 * @module
 */
import { COMMON_HTML, CURRENCY } from "@nodable/entities";
import { DecodeError } from "./decode-error.js";

const ROOT = "Envelope";

// The entity names the codec's decoder resolves (see `decode-envelope.ts`): XML's five and the
// HTML names some ACSs write. Any other name is an undeclared entity: not well-formed.
const knownEntities: ReadonlySet<string> = new Set([
  "amp",
  "lt",
  "gt",
  "quot",
  "apos",
  ...Object.keys(COMMON_HTML),
  ...Object.keys(CURRENCY),
]);

/** Most attributes on one element (a CWMP element has one or two). */
export const MAX_ATTRIBUTES = 64;
/** Most namespace declarations in scope at once (a CWMP envelope has about six). */
export const MAX_DECLARATIONS = 64;

const LT = 60;
const GT = 62;
const SLASH = 47;
const EQ = 61;
const QUOTE = 34;
const APOS = 39;
const COLON = 58;
const BANG = 33;
const QUESTION = 63;

// Character classes of ASCII (every non-ASCII character counts as a name character: a CWMP name
// is ASCII, and the fine Unicode classes of XML names would cost more than they could catch).
const NAME_START = 1;
const NAME_CHAR = 2;
const SPACE = 4;
const charClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === COLON;
  const more = start || (c >= 48 && c <= 57) || c === 45 || c === 46;
  charClass[c] =
    (start ? NAME_START : 0) |
    (more ? NAME_CHAR : 0) |
    (c === 32 || c === 10 || c === 9 || c === 13 ? SPACE : 0);
}
function classOf(c: number): number {
  return c < 128 ? (charClass[c] as number) : NAME_START | NAME_CHAR;
}
function isSpace(c: number): boolean {
  return c < 128 && ((charClass[c] as number) & SPACE) !== 0;
}
function isNameStart(c: number): boolean {
  return (classOf(c) & NAME_START) !== 0;
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Thrown inside the scan, caught by {@link checkWellFormed}; `at` is the offset. */
class NotWellFormed {
  constructor(
    readonly detail: string,
    readonly at: number,
    readonly reason: "Malformed" | "Doctype" = "Malformed",
  ) {}
}

function bad(detail: string, at: number): never {
  throw new NotWellFormed(detail, at);
}

/** The end of the name starting at `i` (the offset after its last character); fails on none. */
function nameEnd(xml: string, i: number, what: string): number {
  if (i >= xml.length || !isNameStart(xml.charCodeAt(i))) bad(`${what}: a name is expected`, i);
  let j = i + 1;
  while (j < xml.length && (classOf(xml.charCodeAt(j)) & NAME_CHAR) !== 0) j++;
  return j;
}

/**
 * The end of the qualified name starting at `i`, as {@link nameEnd}, with the offset of its colon
 * in `s.colon` (-1 for none); fails unless a QName (one colon at most, not first nor last).
 */
function qnameEnd(s: Scan, i: number, what: string): number {
  const { xml } = s;
  if (i >= xml.length || !isNameStart(xml.charCodeAt(i))) bad(`${what}: a name is expected`, i);
  let at = xml.charCodeAt(i) === COLON ? i : -1;
  let j = i + 1;
  for (; j < xml.length; j++) {
    const c = xml.charCodeAt(j);
    if ((classOf(c) & NAME_CHAR) === 0) break;
    if (c === COLON) {
      if (at >= 0)
        at = i; // a second colon: reported below as a leading one would be
      else at = j;
    }
  }
  // The local part is an NCName too: it cannot start with "-", "." or a digit (`xmlns:-p`).
  if (at === i || at === j - 1 || (at > i && !isNameStart(xml.charCodeAt(at + 1))))
    bad(`"${xml.slice(i, j)}" is not a qualified name`, i);
  s.colon = at;
  return j;
}

/** True when the `n` characters at `a` and at `b` are the same. */
function sameText(xml: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (xml.charCodeAt(a + k) !== xml.charCodeAt(b + k)) return false;
  return true;
}

/** Checks the reference starting at `i` (at `&`); returns the offset after its `;`. */
function referenceEnd(xml: string, i: number): number {
  const semi = xml.indexOf(";", i + 1);
  // Names and numbers are short: a `;` far away means this `&` starts no reference.
  if (semi < 0 || semi - i > 40) return bad("a bare & (not a reference)", i);
  if (xml.charCodeAt(i + 1) === 35) {
    const hex = xml.charCodeAt(i + 2) === 120;
    const digits = xml.slice(i + (hex ? 3 : 2), semi);
    if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits))
      bad(`"${xml.slice(i, semi + 1)}" is not a character reference`, i);
    if (!isXmlChar(Number.parseInt(digits, hex ? 16 : 10)))
      bad(`"${xml.slice(i, semi + 1)}" refers to a character XML forbids`, i);
    return semi + 1;
  }
  if (!isNameStart(xml.charCodeAt(i + 1))) return bad("a bare & (not a reference)", i);
  if (nameEnd(xml, i + 1, "entity reference") !== semi) bad("a bare & (not a reference)", i);
  // `&amp;`, `&lt;` and `&gt;` are nearly all references in practice: known without a slice.
  const n = semi - i - 1;
  if (
    (n === 3 && xml.startsWith("amp", i + 1)) ||
    (n === 2 && (xml.startsWith("lt", i + 1) || xml.startsWith("gt", i + 1)))
  )
    return semi + 1;
  if (!knownEntities.has(xml.slice(i + 1, semi)))
    bad(`undefined entity "${xml.slice(i, semi + 1)}"`, i);
  return semi + 1;
}

/** Scanner state: the open elements and the namespace prefixes declared in scope. */
interface Scan {
  readonly xml: string;
  /** The open elements, innermost last: the offsets where each name starts and ends. */
  readonly open: number[];
  /** Declared prefixes, innermost last, and where each open element's declarations start. */
  readonly prefixes: string[];
  readonly frames: number[];
  /** Offsets (start, end, colon) of the current start tag's attribute names, `3 * nAttrs` used. */
  readonly attrs: number[];
  nAttrs: number;
  /** Out-parameter of {@link qnameEnd}. */
  colon: number;
  /**
   * The next `&` and `]]>` at or after a position already scanned (-1: none left), kept so that
   * character data is searched once, not once per text node.
   */
  nextAmp: number;
  nextCdataEnd: number;
  /** The first `<` at or after `ltFrom` (-1: none), see {@link nextLt}. */
  nextLt: number;
  ltFrom: number;
}

/** True when the prefix in `[from, to)` is declared in scope (`xml`, `xmlns` always are). */
function isDeclared(s: Scan, from: number, to: number): boolean {
  const { xml, prefixes } = s;
  const n = to - from;
  for (let k = prefixes.length - 1; k >= 0; k--) {
    const p = prefixes[k] as string;
    if (p.length === n && xml.startsWith(p, from)) return true;
  }
  return (n === 3 && xml.startsWith("xml", from)) || (n === 5 && xml.startsWith("xmlns", from));
}

function checkPrefix(s: Scan, from: number, colon: number): void {
  if (!isDeclared(s, from, colon))
    bad(`undeclared namespace prefix ${s.xml.slice(from, colon)}`, from);
}

/** Reads one attribute whose name starts at `j`; returns the offset after its closing quote. */
function attribute(s: Scan, j: number): number {
  const { xml, attrs } = s;
  const aStart = j;
  const aEnd = qnameEnd(s, j, "attribute");
  const aColon = s.colon;
  // Names in messages are sliced where needed, not through a closure: under tsx (keepNames) a
  // closure is renamed at each call, which cost more than the rest of the scan.
  if (s.nAttrs >= MAX_ATTRIBUTES) bad(`more than ${MAX_ATTRIBUTES} attributes on one element`, j);
  const used = 3 * s.nAttrs;
  for (let k = 0; k < used; k += 3) {
    const o = attrs[k] as number;
    if ((attrs[k + 1] as number) - o === aEnd - aStart && sameText(xml, o, aStart, aEnd - aStart))
      bad(`duplicate attribute ${xml.slice(aStart, aEnd)}`, aStart);
  }
  attrs[used] = aStart;
  attrs[used + 1] = aEnd;
  attrs[used + 2] = aColon;
  s.nAttrs++;
  j = aEnd;
  while (j < xml.length && isSpace(xml.charCodeAt(j))) j++;
  if (xml.charCodeAt(j) !== EQ) bad(`attribute ${xml.slice(aStart, aEnd)} has no value`, j);
  j++;
  while (j < xml.length && isSpace(xml.charCodeAt(j))) j++;
  const q = xml.charCodeAt(j);
  if (q !== QUOTE && q !== APOS)
    bad(`the value of attribute ${xml.slice(aStart, aEnd)} is not quoted`, j);
  const vStart = j + 1;
  const vEnd = xml.indexOf(q === QUOTE ? '"' : "'", vStart);
  if (vEnd < 0) bad(`unterminated value of attribute ${xml.slice(aStart, aEnd)}`, j);
  // Searched, not walked character by character: values are mostly long namespace URIs.
  const lt = nextLt(s, vStart);
  if (lt >= 0 && lt < vEnd) bad(`"<" in the value of attribute ${xml.slice(aStart, aEnd)}`, lt);
  references(s, vStart, vEnd);
  // `xmlns:p="..."` declares p for this element and its content.
  if (aColon - aStart === 5 && xml.startsWith("xmlns", aStart)) {
    if (s.prefixes.length >= MAX_DECLARATIONS)
      bad(`more than ${MAX_DECLARATIONS} namespace declarations in scope`, aStart);
    s.prefixes.push(xml.slice(aColon + 1, aEnd));
  }
  return vEnd + 1;
}

/**
 * Reads the start tag whose name begins at `i` (after `<`); returns the offset after its `>`.
 * Pushes the element unless the tag is empty (`/>`).
 */
function startTag(s: Scan, i: number): number {
  const { xml, attrs } = s;
  const nEnd = qnameEnd(s, i, "start tag");
  const colon = s.colon;
  const frame = s.prefixes.length;
  s.nAttrs = 0;
  let j = nEnd;
  for (;;) {
    const before = j;
    while (j < xml.length && isSpace(xml.charCodeAt(j))) j++;
    if (j >= xml.length) bad("unclosed start tag", i - 1);
    const c = xml.charCodeAt(j);
    if (c === GT || (c === SLASH && xml.charCodeAt(j + 1) === GT)) break;
    if (j === before) bad("attributes must be separated by white space", j);
    j = attribute(s, j);
  }
  // Prefixes resolve once the tag is read: an element may use those it declares itself.
  if (colon >= 0) checkPrefix(s, i, colon);
  for (let k = 0; k < 3 * s.nAttrs; k += 3) {
    const aStart = attrs[k] as number;
    const aColon = attrs[k + 2] as number;
    if (aColon >= 0 && !(aColon - aStart === 5 && xml.startsWith("xmlns", aStart)))
      checkPrefix(s, aStart, aColon);
  }
  if (xml.charCodeAt(j) === SLASH) {
    if (s.prefixes.length !== frame) s.prefixes.length = frame;
    return j + 2;
  }
  s.open.push(i, nEnd);
  s.frames.push(frame);
  return j + 1;
}

/** The end tag at `i` does not close the innermost open element: says why. */
function badEndTag(s: Scan, i: number): never {
  const { xml, open } = s;
  const nEnd = nameEnd(xml, i, "end tag");
  let j = nEnd;
  while (j < xml.length && isSpace(xml.charCodeAt(j))) j++;
  if (xml.charCodeAt(j) !== GT) bad("malformed end tag", i - 2);
  const name = xml.slice(i, nEnd);
  if (open.length === 0) bad(`stray end tag </${name}>`, i - 2);
  const oStart = open[open.length - 2] as number;
  const oEnd = open[open.length - 1] as number;
  return bad(`end tag </${name}> does not match <${xml.slice(oStart, oEnd)}>`, i - 2);
}

/** Reads the end tag whose name begins at `i` (after `</`); returns the offset after its `>`. */
function endTag(s: Scan, i: number): number {
  const { xml, open } = s;
  const n = open.length;
  if (n === 0) return badEndTag(s, i);
  // One pass: the open element's name, then the end of the tag.
  const oStart = open[n - 2] as number;
  const len = (open[n - 1] as number) - oStart;
  if (!sameText(xml, oStart, i, len)) return badEndTag(s, i);
  let j = i + len;
  let c = xml.charCodeAt(j);
  if (c !== GT) {
    while (j < xml.length && isSpace(c)) c = xml.charCodeAt(++j);
    if (c !== GT) return badEndTag(s, i);
  }
  open.pop();
  open.pop();
  const frame = s.frames.pop() as number;
  if (s.prefixes.length !== frame) s.prefixes.length = frame;
  return j + 1;
}

/** Skips the comment, CDATA section or PI at `i` (at `<`); `null` when `<` starts none. */
function skipSpecial(xml: string, i: number, inRoot: boolean): number | null {
  const c = xml.charCodeAt(i + 1);
  if (c === QUESTION) {
    const end = xml.indexOf("?>", i + 2);
    if (end < 0) bad("unterminated processing instruction", i);
    const tEnd = nameEnd(xml, i + 2, "processing instruction");
    // The XML declaration is a PI named `xml`, allowed only at the very start.
    if (i > 0 && tEnd - i === 5 && xml.slice(i + 2, tEnd).toLowerCase() === "xml")
      bad("an XML declaration after the start of the document", i);
    return end + 2;
  }
  if (c !== BANG) return null;
  if (xml.startsWith("<!--", i)) {
    const end = xml.indexOf("--", i + 4);
    if (end < 0) bad("unterminated comment", i);
    if (xml.charCodeAt(end + 2) !== GT) bad('"--" inside a comment', end);
    return end + 3;
  }
  if (xml.startsWith("<![CDATA[", i)) {
    if (!inRoot) bad("a CDATA section outside the root element", i);
    const end = xml.indexOf("]]>", i + 9);
    return end < 0 ? bad("unterminated CDATA section", i) : end + 3;
  }
  throw new NotWellFormed("DOCTYPE and ENTITY declarations are refused", i, "Doctype");
}

/** Checks the character data in `[from, to)`: references, or only white space outside the root. */
function text(s: Scan, from: number, to: number, inRoot: boolean): void {
  const { xml } = s;
  if (!inRoot) {
    for (let k = from; k < to; k++)
      if (!isSpace(xml.charCodeAt(k))) bad("text outside the root element", k);
    return;
  }
  if (s.nextCdataEnd >= 0 && s.nextCdataEnd < to) {
    if (s.nextCdataEnd < from) s.nextCdataEnd = xml.indexOf("]]>", from);
    if (s.nextCdataEnd >= 0 && s.nextCdataEnd < to) bad('"]]>" in character data', s.nextCdataEnd);
  }
  references(s, from, to);
}

/** Checks the references in `[from, to)`, searching for `&` once over the whole scan. */
function references(s: Scan, from: number, to: number): void {
  if (s.nextAmp < 0 || s.nextAmp >= to) return;
  const { xml } = s;
  let k = s.nextAmp < from ? xml.indexOf("&", from) : s.nextAmp;
  while (k >= 0 && k < to) k = xml.indexOf("&", referenceEnd(xml, k));
  s.nextAmp = k;
}

/**
 * The first `<` at or after `from` (-1: none), remembered: an attribute value's search for `<`
 * finds the next tag, which the main loop then need not search for again.
 */
function nextLt(s: Scan, from: number): number {
  if (from < s.ltFrom || (s.nextLt >= 0 && s.nextLt < from)) {
    s.ltFrom = from;
    s.nextLt = s.xml.indexOf("<", from);
  }
  return s.nextLt;
}

function scan(xml: string): void {
  const s: Scan = {
    xml,
    open: [],
    prefixes: [],
    frames: [],
    attrs: [],
    nAttrs: 0,
    colon: -1,
    nextAmp: xml.indexOf("&"),
    nextCdataEnd: xml.indexOf("]]>"),
    nextLt: -1,
    ltFrom: xml.length + 1,
  };
  let seenRoot = false;
  let i = 0;
  for (;;) {
    const inRoot = s.open.length > 0;
    // Tags often follow each other directly (`</Name><Value>`): no search, no text then.
    let lt = i;
    if (xml.charCodeAt(i) !== LT) {
      lt = nextLt(s, i);
      text(s, i, lt < 0 ? xml.length : lt, inRoot);
      if (lt < 0) break;
    }
    const next = xml.charCodeAt(lt + 1);
    const special = next === BANG || next === QUESTION ? skipSpecial(xml, lt, inRoot) : null;
    if (special !== null) i = special;
    else if (next === SLASH) i = endTag(s, lt + 2);
    else {
      if (!inRoot && seenRoot) bad("markup after the root element", lt);
      seenRoot = true;
      i = startTag(s, lt + 1);
    }
  }
  if (s.open.length > 0) {
    const oStart = s.open[s.open.length - 2] as number;
    bad(`unclosed element <${xml.slice(oStart, s.open[s.open.length - 1])}>`, oStart - 1);
  }
  if (!seenRoot) bad("no root element", 0);
}

/**
 * `Malformed` when `xml` is not well-formed XML with namespaces (see the module note for what is
 * checked), naming the first fault and its line and column; `undefined` when it is.
 */
export const checkWellFormed = (xml: string): DecodeError | undefined => {
  try {
    scan(xml);
    return undefined;
  } catch (e) {
    if (!(e instanceof NotWellFormed)) throw e;
    const before = xml.slice(0, e.at);
    const line = before.split("\n").length;
    const column = e.at - before.lastIndexOf("\n");
    return new DecodeError({
      reason: e.reason,
      element: ROOT,
      detail: `not well-formed XML at line ${line}, column ${column}: ${e.detail}`,
    });
  }
};
