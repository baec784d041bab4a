/**
 * Codec of {@link VendorMessage}: any body element the model does not know, kept as a generic
 * {@link XmlElement}.
 * @module
 */
import type { VendorMessage } from "../messages.js";
import type { XmlElement } from "../xml-element.js";
import { escapeXmlAttribute, escapeXmlText } from "../xml-escape.js";
import {
  attributesOf,
  childrenOf,
  localName,
  nodeName,
  prefixOf,
  type XNode,
} from "../xml-reader.js";

/** Prefix -> namespace URI bindings in scope (`""` for the default namespace). */
export type NamespaceScope = Readonly<Record<string, string>>;

/** The empty scope, without a prototype (see {@link extendScope}). */
export const emptyScope = (): NamespaceScope => Object.create(null) as NamespaceScope;

/** The scope inside an element: `scope` extended by the element's `xmlns` declarations. */
export const extendScope = (
  scope: NamespaceScope,
  attrs: Readonly<Record<string, string>> | undefined,
): NamespaceScope => {
  if (attrs === undefined) return scope;
  let out: Record<string, string> | undefined;
  for (const k in attrs) {
    if (k === "xmlns" || k.startsWith("xmlns:")) {
      // A prototype-less copy, so that a prefix such as `constructor` never finds inherited members.
      out ??= Object.assign(Object.create(null) as Record<string, string>, scope);
      out[k === "xmlns" ? "" : k.slice(6)] = attrs[k] as string;
    }
  }
  return out ?? scope;
};

const isBlank = (s: string): boolean => s.trim() === "";

/**
 * Converts a parsed element to an {@link XmlElement}. Character data is concatenated; when the
 * element also has child elements, whitespace-only pieces (indentation) are dropped.
 */
export const toXmlElement = (node: XNode, qname: string, scope: NamespaceScope): XmlElement => {
  const attrs = attributesOf(node);
  const inner = extendScope(scope, attrs);
  const prefix = prefixOf(qname);
  const uri = inner[prefix];
  const children: XmlElement[] = [];
  const pieces: string[] = [];
  for (const c of childrenOf(node, qname)) {
    const q = nodeName(c);
    if (q === "#text") pieces.push(c[q] as string);
    else children.push(toXmlElement(c, q, inner));
  }
  const text = children.length > 0 ? pieces.filter((p) => !isBlank(p)).join("") : pieces.join("");
  return {
    name: qname,
    ...(prefix === "" ? {} : { namespace: prefix }),
    ...(uri === undefined ? {} : { namespaceUri: uri }),
    localName: localName(qname),
    attributes: { ...attrs },
    text,
    children,
  };
};

/** Prefixes the envelope declares on its root; others need a declaration on the element. */
const envelopePrefixes = new Set(["soap-env", "soap-enc", "xsd", "xsi", "cwmp"]);

/**
 * Writes an {@link XmlElement}: text first, then children. A declaration for its own prefix is
 * added when `namespaceUri` is known, the prefix is not one the envelope declares, and the
 * element does not declare it itself.
 */
export const encodeXmlElement = (e: XmlElement): string => {
  let attrs = "";
  for (const k in e.attributes) attrs += ` ${k}="${escapeXmlAttribute(e.attributes[k] as string)}"`;
  const prefix = e.namespace ?? "";
  const declKey = prefix === "" ? "xmlns" : `xmlns:${prefix}`;
  if (
    e.namespaceUri !== undefined &&
    !envelopePrefixes.has(prefix) &&
    e.attributes[declKey] === undefined
  ) {
    attrs += ` ${declKey}="${escapeXmlAttribute(e.namespaceUri)}"`;
  }
  let inner = escapeXmlText(e.text);
  for (const c of e.children) inner += encodeXmlElement(c);
  return inner === "" ? `<${e.name}${attrs}/>` : `<${e.name}${attrs}>${inner}</${e.name}>`;
};

/** Decodes a vendor body element. */
export const decodeVendorMessage = (
  node: XNode,
  qname: string,
  scope: NamespaceScope,
): VendorMessage => ({
  _tag: "VendorMessage",
  name: localName(qname),
  element: toXmlElement(node, qname, scope),
});

/** Encodes a vendor message: its element as given. */
export const encodeVendorMessage = (m: VendorMessage): string => encodeXmlElement(m.element);
