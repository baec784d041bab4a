/**
 * Reads a flattened BBF data-model XML file (`*-full.xml`, or `tr-106-types.xml` for its data
 * types) into plain definitions: data types, and the model's objects with their parameters.
 * Nothing is resolved or filtered here; descriptions are dropped while parsing.
 * @module
 */
import {
  type Access,
  type ActiveNotify,
  type StandardValueType,
  standardValueTypes,
  type ValueList,
  type ValueRange,
  type ValueSize,
} from "@cpekit/core";
import { GenerateError } from "./generate-error.js";
import {
  attribute,
  childNode,
  childNodes,
  exactAttribute,
  integerAttribute,
  makeDataModelXmlParser,
  type XmlNode,
} from "./xml-node.js";

/** The BBF `status` of an item; absent means `current`. */
export type ItemStatus = "current" | "deprecated" | "obsoleted" | "deleted";

/** The facets of a type, as written at one place (no inheritance applied). */
export interface Facets {
  readonly ranges?: readonly ValueRange[];
  readonly sizes?: readonly ValueSize[];
  readonly enumerations?: readonly string[];
  readonly patterns?: readonly string[];
  readonly list?: ValueList;
}

/** A type as written: a base XSD type or a reference to a named data type, plus facets. */
export interface TypeSpec {
  readonly type?: StandardValueType;
  /** `ref` (or `base`) of a `<dataType>` element, or the `base` of a named data type. */
  readonly dataTypeRef?: string;
  readonly facets: Facets;
}

/** A named data type (`<dataType name="...">`). */
export interface DataTypeDef {
  readonly name: string;
  readonly spec: TypeSpec;
}

/** A parameter as written in its object. */
export interface ParameterDef {
  readonly name: string;
  readonly access?: Access;
  readonly status: ItemStatus;
  readonly forcedInform: boolean;
  readonly activeNotify: ActiveNotify;
  readonly syntax: TypeSpec;
  /** A default of type `object` or `factory`, if any. */
  readonly default?: string;
  /** `hidden="true"` or `secured="true"` on the syntax. */
  readonly hidden: boolean;
  readonly command: boolean;
}

/** An object as written in the model. */
export interface ObjectDef {
  readonly path: string;
  readonly access?: Access;
  readonly status: ItemStatus;
  readonly minEntries: number;
  /** `undefined` for `unbounded`. */
  readonly maxEntries?: number;
  readonly numEntriesParameter?: string;
  readonly uniqueKeys: readonly (readonly string[])[];
  readonly parameters: readonly ParameterDef[];
}

/** One parsed data-model file. */
export interface DataModelDocument {
  /** The XML's header comment (title and BSD-3-Clause licence), dedented. */
  readonly header: string;
  readonly dataTypes: readonly DataTypeDef[];
  /** The model's name, e.g. `Device:2.17`; absent for a types-only file. */
  readonly modelName?: string;
  readonly objects: readonly ObjectDef[];
}

const statuses: readonly ItemStatus[] = ["current", "deprecated", "obsoleted", "deleted"];
const accesses: readonly Access[] = ["readOnly", "readWrite", "writeOnceReadOnly"];
const activeNotifies: readonly ActiveNotify[] = [
  "normal",
  "forceEnabled",
  "forceDefaultEnabled",
  "canDeny",
];

const oneOf = <T extends string>(values: readonly T[], text: string | undefined): T | undefined =>
  values.find((v) => v === text);

const statusOf = (node: XmlNode): ItemStatus =>
  oneOf(statuses, attribute(node, "status")) ?? "current";

/** Deleted and obsoleted facets and items are gone from the model we generate. */
export const isDropped = (status: ItemStatus): boolean =>
  status === "deleted" || status === "obsoleted";

const live = (nodes: readonly XmlNode[]) => nodes.filter((n) => !isDropped(statusOf(n)));

const withoutUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const readFacets = (node: XmlNode): Facets => {
  const ranges = live(childNodes(node, "range")).map((r) =>
    withoutUndefined<ValueRange>({
      min: attribute(r, "minInclusive"),
      max: attribute(r, "maxInclusive"),
      step: attribute(r, "step"),
    }),
  );
  const sizes = live(childNodes(node, "size")).map((s) =>
    withoutUndefined<ValueSize>({
      minLength: integerAttribute(s, "minLength"),
      maxLength: integerAttribute(s, "maxLength"),
    }),
  );
  const enumerations = live(childNodes(node, "enumeration")).map(
    (e) => exactAttribute(e, "value") ?? "",
  );
  const patterns = live(childNodes(node, "pattern")).map((p) => exactAttribute(p, "value") ?? "");
  const listNode = childNode(node, "list");
  const list =
    listNode === undefined
      ? undefined
      : withoutUndefined<ValueList>({
          minItems: integerAttribute(listNode, "minItems"),
          maxItems: integerAttribute(listNode, "maxItems"),
          maxLength: live(childNodes(listNode, "size"))
            .map((s) => integerAttribute(s, "maxLength"))
            .find((n) => n !== undefined),
        });
  return withoutUndefined<Facets>({
    ranges: ranges.length > 0 ? ranges : undefined,
    sizes: sizes.length > 0 ? sizes : undefined,
    enumerations: enumerations.length > 0 ? enumerations : undefined,
    patterns: patterns.length > 0 ? patterns : undefined,
    list,
  });
};

/**
 * Reads the type of a `<syntax>` or `<dataType name>` element: a base-type child with its
 * facets, or a `<dataType ref|base>` child with its facets, or (for a derived named type) the
 * facets written directly on the element. A `<list>` on the element applies to the whole value.
 */
const readTypeSpec = (node: XmlNode, ownBase: string | undefined): TypeSpec => {
  const outer = readFacets(node);
  const listFacet = outer.list === undefined ? {} : { list: outer.list };
  for (const type of standardValueTypes) {
    const typeNode = childNode(node, type);
    if (typeNode !== undefined) {
      return { type, facets: { ...outer, ...readFacets(typeNode), ...listFacet } };
    }
  }
  const ref = childNode(node, "dataType");
  if (ref !== undefined) {
    const name = attribute(ref, "ref") ?? attribute(ref, "base");
    if (name === undefined) {
      throw new GenerateError({ reason: "NoBaseType", detail: "<dataType> without ref or base" });
    }
    return { dataTypeRef: name, facets: { ...readFacets(ref), ...listFacet } };
  }
  return withoutUndefined<TypeSpec>({ dataTypeRef: ownBase, facets: outer });
};

const readDefault = (syntax: XmlNode): string | undefined =>
  live(childNodes(syntax, "default"))
    .filter((d) => ["object", "factory"].includes(attribute(d, "type") ?? ""))
    .map((d) => exactAttribute(d, "value"))
    .find((v) => v !== undefined);

const notFlattened = (detail: string) => new GenerateError({ reason: "NotFlattened", detail });

const readParameter = (objectPath: string, node: XmlNode): ParameterDef => {
  const name = attribute(node, "name");
  if (name === undefined) throw notFlattened(`parameter without name in ${objectPath}`);
  const syntax = childNode(node, "syntax");
  if (syntax === undefined) throw notFlattened(`${objectPath}${name} has no <syntax>`);
  return withoutUndefined<ParameterDef>({
    name,
    access: oneOf(accesses, attribute(node, "access")),
    status: statusOf(node),
    forcedInform: attribute(node, "forcedInform") === "true",
    activeNotify: oneOf(activeNotifies, attribute(node, "activeNotify")) ?? "normal",
    syntax: readTypeSpec(syntax, undefined),
    default: readDefault(syntax),
    hidden: attribute(syntax, "hidden") === "true" || attribute(syntax, "secured") === "true",
    command: attribute(syntax, "command") === "true",
  });
};

const readObject = (node: XmlNode): ObjectDef => {
  const path = attribute(node, "name");
  if (path === undefined) throw notFlattened("object without name (a base= modification?)");
  const maxText = attribute(node, "maxEntries");
  return withoutUndefined<ObjectDef>({
    path,
    access: oneOf(accesses, attribute(node, "access")),
    status: statusOf(node),
    // The DM schema's defaults for both bounds are 1.
    minEntries: integerAttribute(node, "minEntries") ?? 1,
    maxEntries: maxText === "unbounded" ? undefined : (integerAttribute(node, "maxEntries") ?? 1),
    numEntriesParameter: attribute(node, "numEntriesParameter"),
    uniqueKeys: childNodes(node, "uniqueKey").map((k) =>
      childNodes(k, "parameter").map((p) => attribute(p, "ref") ?? ""),
    ),
    parameters: childNodes(node, "parameter").map((p) => readParameter(path, p)),
  });
};

const headerComment = (xml: string): string => {
  const match = /<!--([\s\S]*?)-->/.exec(xml.slice(0, xml.indexOf("<dm:document")));
  if (match?.[1] === undefined) return "";
  const lines = match[1].split("\n").map((l) => l.trimEnd());
  while (lines[0] === "") lines.shift();
  while (lines.at(-1) === "") lines.pop();
  const indent = Math.min(
    ...lines.filter((l) => l !== "").map((l) => l.length - l.trimStart().length),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
};

/**
 * Parses one BBF data-model XML text. Fails with `NotFlattened` when the file still needs
 * `<import>`/`<component>` expansion or holds `base=` modifications: only the flattened
 * `*-full.xml` files (and the data types of `tr-106-types.xml`) are supported.
 */
export const readDataModel = (
  xml: string,
  options: { readonly typesOnly: boolean },
): DataModelDocument => {
  let tree: XmlNode;
  try {
    tree = makeDataModelXmlParser().parse(xml) as XmlNode;
  } catch (cause) {
    throw new GenerateError({ reason: "BadXml", detail: "the XML does not parse", cause });
  }
  const doc = childNode(tree, "dm:document");
  if (doc === undefined) throw new GenerateError({ reason: "NoModel", detail: "no <dm:document>" });
  const model = childNode(doc, "model");
  if (!options.typesOnly && (childNode(doc, "import") || childNode(doc, "component"))) {
    throw notFlattened("document has <import> or <component>: use the *-full.xml file");
  }
  if (model !== undefined && childNode(model, "component") !== undefined) {
    throw notFlattened("model has <component> references: use the *-full.xml file");
  }
  const dataTypes = childNodes(doc, "dataType").map((d) => ({
    name: attribute(d, "name") ?? "",
    spec: readTypeSpec(d, attribute(d, "base")),
  }));
  return withoutUndefined<DataModelDocument>({
    header: headerComment(xml),
    dataTypes,
    modelName: model === undefined ? undefined : attribute(model, "name"),
    objects: model === undefined ? [] : childNodes(model, "object").map(readObject),
  });
};
