/**
 * Typed access to the tree fast-xml-parser returns, configured with attributes grouped under
 * {@link ATTRIBUTES}: elements are objects, elements with neither attributes nor child elements
 * are strings (their text), and an element that occurs once is not wrapped in an array.
 * @module
 */
import { XMLParser } from "fast-xml-parser";

/** The key under which an element's attributes are grouped. */
export const ATTRIBUTES = "@";

/** One parsed element. */
export type XmlNode = { readonly [key: string]: unknown };

/** Elements the generator never reads; dropping them keeps the tree small. */
const skippedElements = new Set(["description", "bibliography", "template", "profile", "units"]);

/** A parser for BBF data-model XML (entities of the DOCTYPE, as in tr-106-types.xml, expanded). */
export const makeDataModelXmlParser = (): XMLParser =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    attributesGroupName: ATTRIBUTES,
    parseTagValue: false,
    parseAttributeValue: false,
    // Trimming would also trim attribute values, and `value=" "` is a real default.
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    updateTag: (name) => (skippedElements.has(name) ? false : name),
  });

const asNode = (value: unknown): XmlNode | undefined => {
  // The generator never reads element text, so a text-only element is an empty one.
  if (typeof value === "string") return {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return value as XmlNode;
  }
  return undefined;
};

/** Every child element called `name`, in document order. */
export const childNodes = (node: XmlNode, name: string): readonly XmlNode[] => {
  const value = node[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map(asNode).filter((n): n is XmlNode => n !== undefined);
};

/** The first child element called `name`, if any. */
export const childNode = (node: XmlNode, name: string): XmlNode | undefined =>
  childNodes(node, name)[0];

/** An attribute's text exactly as written (entities expanded), if present. */
export const exactAttribute = (node: XmlNode, name: string): string | undefined => {
  const attrs = node[ATTRIBUTES];
  if (typeof attrs !== "object" || attrs === null) return undefined;
  const value = (attrs as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
};

/** A token attribute (name, access, status, ...): its text without surrounding white space. */
export const attribute = (node: XmlNode, name: string): string | undefined =>
  exactAttribute(node, name)?.trim();

/** An attribute as a non-negative integer, if present and numeric. */
export const integerAttribute = (node: XmlNode, name: string): number | undefined => {
  const text = attribute(node, name);
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
};
