/**
 * Reading the tree fast-xml-parser builds with `preserveOrder: true` (`{ [qname]: children,
 * ":@"?: attributes }` for an element, `{ "#text": string }` for character data), with the
 * field readers every message decoder uses.
 *
 * Decoders fail by throwing a {@link DecodeError}; `decodeEnvelope` is the only caller and turns
 * it into a result, so nothing escapes to users. Throwing keeps the hot path free of per-field
 * result allocations. Warnings go into the per-call {@link DecodeContext}, never module state.
 * @module
 */
import { DecodeError } from "./decode-error.js";

/** One node of the parser's ordered tree. */
export type XNode = Record<string, unknown>;

/** Per-decode mutable state: the warnings of this call only. */
export interface DecodeContext {
  readonly warnings: string[];
}

const TEXT = "#text";
const ATTRS = ":@";
const EMPTY: readonly XNode[] = [];

/** The qualified name of an element node (its first key), or `"#text"` for character data. */
export const nodeName = (n: XNode): string => {
  for (const k in n) return k;
  return "";
};

/** The part of a qualified name after its prefix. */
export const localName = (qname: string): string => {
  const i = qname.indexOf(":");
  return i < 0 ? qname : qname.slice(i + 1);
};

/** The prefix of a qualified name, or `""`. */
export const prefixOf = (qname: string): string => {
  const i = qname.indexOf(":");
  return i < 0 ? "" : qname.slice(0, i);
};

/** True when `qname`'s local part is `name`, without allocating. */
export const hasLocalName = (qname: string, name: string): boolean => {
  const d = qname.length - name.length;
  return d === 0 ? qname === name : d > 0 && qname.charCodeAt(d - 1) === 58 && qname.endsWith(name);
};

/** The children (elements and text) of an element node. */
export const childrenOf = (n: XNode, qname: string): readonly XNode[] => {
  const c = n[qname];
  return Array.isArray(c) ? (c as XNode[]) : EMPTY;
};

/** The attributes of an element node. */
export const attributesOf = (n: XNode): Readonly<Record<string, string>> | undefined =>
  n[ATTRS] as Record<string, string> | undefined;

/** Concatenated character data (text and CDATA) of an element. */
export const textOf = (n: XNode, qname: string): string => {
  const kids = childrenOf(n, qname);
  if (kids.length === 1) {
    const t = (kids[0] as XNode)[TEXT];
    return typeof t === "string" ? t : "";
  }
  let s = "";
  for (const k of kids) {
    const t = k[TEXT];
    if (typeof t === "string") s += t;
  }
  return s;
};

/** A located element: the node, its qualified name, and its path for messages. */
export interface Located {
  readonly node: XNode;
  readonly qname: string;
  /** The enclosing element (`undefined` for the root); paths are built from it only on demand. */
  readonly parent: Located | undefined;
}

/** The element's path for messages, e.g. `Envelope/Body/Inform/DeviceId` (built on demand). */
export const pathOf = (e: Located): string => {
  let path = localName(e.qname);
  for (let p = e.parent; p !== undefined; p = p.parent) path = `${localName(p.qname)}/${path}`;
  return path;
};

/** The first child element of `parent` whose local name is `name`. */
export const findChild = (parent: Located, name: string): Located | undefined => {
  for (const c of childrenOf(parent.node, parent.qname)) {
    const q = nodeName(c);
    if (q !== TEXT && hasLocalName(q, name)) return { node: c, qname: q, parent };
  }
  return undefined;
};

/** Every child element of `parent`, in document order (an array's items, whatever their names). */
export const childElements = (parent: Located): Located[] => {
  const out: Located[] = [];
  for (const c of childrenOf(parent.node, parent.qname)) {
    const q = nodeName(c);
    if (q !== TEXT) out.push({ node: c, qname: q, parent });
  }
  return out;
};

/** Every child element of `parent` named `name` (repeated elements such as `Operations`). */
export const childrenNamed = (parent: Located, name: string): Located[] => {
  const out: Located[] = [];
  for (const c of childrenOf(parent.node, parent.qname)) {
    const q = nodeName(c);
    if (q !== TEXT && hasLocalName(q, name)) out.push({ node: c, qname: q, parent });
  }
  return out;
};

/** The `xsi:type` attribute of an element, whatever prefix binds the XSI namespace. */
export const xsiTypeAttribute = (node: XNode): string | undefined => {
  const attrs = attributesOf(node);
  if (attrs === undefined) return undefined;
  const direct = attrs["xsi:type"];
  if (direct !== undefined) return direct;
  for (const k in attrs) if (k.indexOf(":") > 0 && hasLocalName(k, "type")) return attrs[k];
  return undefined;
};

/** Fails the decode. */
export const fail = (reason: DecodeError["reason"], element: string, detail: string): never => {
  throw new DecodeError({ reason, element, detail });
};

/** A required child element; `MissingElement` when absent. */
export const requireChild = (parent: Located, name: string): Located =>
  findChild(parent, name) ??
  fail("MissingElement", `${pathOf(parent)}/${name}`, `missing element ${name}`);

/** The text of a located element. */
export const text = (e: Located): string => textOf(e.node, e.qname);

/** A required string field; absent: `""` plus a warning (tolerant decoding). */
export const str = (parent: Located, name: string, cx: DecodeContext): string => {
  const e = findChild(parent, name);
  if (e === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as ""`);
    return "";
  }
  return text(e);
};

/** An optional string field: `undefined` when absent. */
export const optStr = (parent: Located, name: string): string | undefined => {
  const e = findChild(parent, name);
  return e === undefined ? undefined : text(e);
};

/** A string field whose absence is an error. */
export const reqStr = (parent: Located, name: string): string => text(requireChild(parent, name));

const isDigits = (s: string, from: number): boolean => {
  if (from >= s.length || s.length - from > 11) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};

/** Parses an `xs:int` / `xs:unsignedInt` lexical value, or `undefined`. */
export const parseInteger = (raw: string, min: number, max: number): number | undefined => {
  const s = raw.trim();
  const sign = s.charCodeAt(0);
  const from = sign === 43 || sign === 45 ? 1 : 0;
  if (!isDigits(s, from)) return undefined;
  const v = Number(s);
  return v >= min && v <= max ? v : undefined;
};

/** Largest `xs:unsignedInt`. */
export const UINT_MAX = 4294967295;
/** Range of `xs:int`. */
export const INT_MIN = -2147483648;
/** Largest `xs:int`. */
export const INT_MAX = 2147483647;

/** Decodes an integer element's text, failing with `BadValue` when out of range. */
export const intOf = (e: Located, min: number, max: number): number => {
  const t = text(e);
  const v = parseInteger(t, min, max);
  return (
    v ??
    fail(
      "BadValue",
      pathOf(e),
      `not an integer in [${min}, ${max}]: ${JSON.stringify(t.slice(0, 40))}`,
    )
  );
};

/** A required integer field; absent: `fallback` plus a warning. */
export const int = (
  parent: Located,
  name: string,
  cx: DecodeContext,
  min: number,
  max: number,
  fallback = 0,
): number => {
  const e = findChild(parent, name);
  if (e === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as ${fallback}`);
    return fallback;
  }
  return intOf(e, min, max);
};

/** An integer field whose absence is an error. */
export const reqInt = (parent: Located, name: string, min: number, max: number): number =>
  intOf(requireChild(parent, name), min, max);

/** Parses an `xs:boolean` lexical value (`true`/`false`/`1`/`0`, case-insensitive), or `undefined`. */
export const parseBoolean = (raw: string): boolean | undefined => {
  const s = raw.trim();
  if (s === "1" || s === "true") return true;
  if (s === "0" || s === "false") return false;
  const l = s.toLowerCase();
  return l === "true" ? true : l === "false" ? false : undefined;
};

/** Decodes a boolean element's text, failing with `BadValue`. */
export const boolOf = (e: Located): boolean => {
  const t = text(e);
  const v = parseBoolean(t);
  return v ?? fail("BadValue", pathOf(e), `not a boolean: ${JSON.stringify(t.slice(0, 40))}`);
};

/** A required boolean field; absent: `false` plus a warning. */
export const bool = (parent: Located, name: string, cx: DecodeContext): boolean => {
  const e = findChild(parent, name);
  if (e === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as false`);
    return false;
  }
  return boolOf(e);
};

/** A `dateTime` field kept in its lexical form (trimmed); absent: the Unknown Time plus a warning. */
export const dateTime = (parent: Located, name: string, cx: DecodeContext): string => {
  const e = findChild(parent, name);
  if (e === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as the Unknown Time`);
    return "0001-01-01T00:00:00Z";
  }
  return text(e).trim();
};

/**
 * The items of a SOAP-encoded array child (any child element counts as an item, whatever its
 * name or `arrayType`, as GenieACS and many CPEs write them). Absent: a warning and no items,
 * unless `required`, then `MissingElement`.
 */
export const arrayItems = (
  parent: Located,
  name: string,
  cx: DecodeContext,
  required: boolean,
): Located[] => {
  const e = required ? requireChild(parent, name) : findChild(parent, name);
  if (e === undefined) {
    cx.warnings.push(`${pathOf(parent)}/${name}: missing, read as an empty array`);
    return [];
  }
  return childElements(e);
};
