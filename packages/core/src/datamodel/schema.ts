/**
 * The data-model schema: what objects and parameters a root data model (Device:2,
 * InternetGatewayDevice:1) defines, with the facts the RPC rules need and no prose.
 *
 * Schemas are produced by `@cpekit/datamodel-tr181` from the Broadband Forum XML and are
 * immutable, so one schema is shared by every device in a process. Schema paths use `{i}`
 * for instance numbers: `Device.IP.Interface.{i}.Enable`.
 * @module
 */
import type { StandardValueType } from "../cwmp/value.js";

/** How a parameter or object may be changed by the ACS. */
export type Access = "readOnly" | "readWrite" | "writeOnceReadOnly";

/** The data model's `activeNotify` rule for a parameter (requirement section 1.11). */
export type ActiveNotify = "normal" | "forceEnabled" | "forceDefaultEnabled" | "canDeny";

/** An inclusive numeric range; bounds are decimal strings so 64-bit values stay exact. */
export interface ValueRange {
  readonly min?: string;
  readonly max?: string;
  readonly step?: string;
}

/** Allowed lengths of a string, base64 or hexBinary value (bytes for binary types). */
export interface ValueSize {
  readonly minLength?: number;
  readonly maxLength?: number;
}

/** The list facet: the value is a comma-separated list of items of the parameter's type. */
export interface ValueList {
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Maximum length of the whole list text. */
  readonly maxLength?: number;
}

/** One parameter of the schema. */
export interface ParameterSchema {
  /** Full schema path, e.g. `Device.IP.Interface.{i}.Enable`. */
  readonly path: string;
  /** Base XSD type after resolving named types. */
  readonly type: StandardValueType;
  /** The TR-106 named type it was declared with (`IPAddress`, `MACAddress`, ...), if any. */
  readonly dataType?: string;
  readonly access: Access;
  readonly ranges?: readonly ValueRange[];
  readonly sizes?: readonly ValueSize[];
  readonly enumerations?: readonly string[];
  /** Regular expressions (XSD syntax, whole-value match); any one matching is enough. */
  readonly patterns?: readonly string[];
  readonly list?: ValueList;
  /** Default value (`default type="object"` or `"factory"` in the XML). */
  readonly default?: string;
  readonly forcedInform?: boolean;
  readonly activeNotify?: ActiveNotify;
  /** A parameter whose value is never returned (passwords): reads give an empty string. */
  readonly hidden?: boolean;
  /** A command parameter (`command="true"`, e.g. `Reset`): setting it triggers an action. */
  readonly command?: boolean;
  /** Path of the multi-instance object this parameter counts, for `...NumberOfEntries`. */
  readonly countsEntriesOf?: string;
}

/** One object of the schema. */
export interface ObjectSchema {
  /** Full schema path ending in `.`, e.g. `Device.IP.Interface.{i}.`. */
  readonly path: string;
  /** For a table: `readWrite` means AddObject and DeleteObject are allowed. */
  readonly access: Access;
  /** True for a table (path ends in `{i}.`). */
  readonly multiInstance: boolean;
  readonly minEntries: number;
  /** `undefined` means unbounded. */
  readonly maxEntries?: number;
  /** Full schema path of the `...NumberOfEntries` parameter of this table. */
  readonly numEntriesParameter?: string;
  /** Unique keys: each a list of parameter names (relative to the object). */
  readonly uniqueKeys?: readonly (readonly string[])[];
}

/** A whole root data model: objects and parameters indexed by schema path. */
export interface DataModelSchema {
  /** Root object name without the dot: `Device` or `InternetGatewayDevice`. */
  readonly root: string;
  /** Data-model version, e.g. `2.17`. */
  readonly version: string;
  readonly objects: ReadonlyMap<string, ObjectSchema>;
  readonly parameters: ReadonlyMap<string, ParameterSchema>;
  /** Schema paths of the direct children of an object (objects end in `.`), in schema order. */
  children(objectPath: string): readonly string[];
}

/**
 * Builds a {@link DataModelSchema} from lists of objects and parameters, indexing children.
 * Every parameter and object must sit under an object that is itself in `objects`
 * (except the root object).
 */
export const makeSchema = (input: {
  readonly root: string;
  readonly version: string;
  readonly objects: readonly ObjectSchema[];
  readonly parameters: readonly ParameterSchema[];
}): DataModelSchema => {
  const objects = new Map(input.objects.map((o) => [o.path, o] as const));
  const parameters = new Map(input.parameters.map((p) => [p.path, p] as const));
  const childIndex = new Map<string, string[]>();
  const addChild = (child: string) => {
    const parent = parentSchemaPath(child);
    if (parent === undefined) return;
    let list = childIndex.get(parent);
    if (list === undefined) {
      list = [];
      childIndex.set(parent, list);
    }
    list.push(child);
  };
  for (const o of input.objects) addChild(o.path);
  for (const p of input.parameters) addChild(p.path);
  return {
    root: input.root,
    version: input.version,
    objects,
    parameters,
    children: (objectPath) => childIndex.get(objectPath) ?? [],
  };
};

/**
 * The schema path of the object that contains `path`, or `undefined` for a root object.
 * A table's instance object `A.B.{i}.` sits directly under `A.` (the table `A.B.` is not an
 * object of its own in TR-069 paths).
 */
export const parentSchemaPath = (path: string): string | undefined => {
  const trimmed = path.endsWith(".") ? path.slice(0, -1) : path;
  let cut = trimmed.lastIndexOf(".");
  if (cut < 0) return undefined;
  if (trimmed.endsWith(".{i}")) {
    cut = trimmed.lastIndexOf(".", cut - 1);
    if (cut < 0) return undefined;
  }
  return trimmed.slice(0, cut + 1);
};
