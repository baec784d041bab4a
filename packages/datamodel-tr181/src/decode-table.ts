/**
 * Builds a `DataModelSchema` from a generated {@link DataModelTable}.
 * @module
 */
import {
  type DataModelSchema,
  makeSchema,
  type ObjectSchema,
  type ParameterSchema,
  parentSchemaPath,
  type ValueList,
  type ValueRange,
  type ValueSize,
} from "@cpekit/core";
import {
  accessCodes,
  activeNotifyCodes,
  type DataModelTable,
  type ListRow,
  ParameterFlag,
  type SyntaxRow,
} from "./table-format.js";

/** The parts of a `ParameterSchema` that come from its syntax row (shared between parameters). */
type SyntaxFacts = Pick<
  ParameterSchema,
  "type" | "dataType" | "ranges" | "sizes" | "enumerations" | "patterns" | "list"
>;

/** Copies only the defined members, so absent facets are absent keys (not `undefined`). */
const defined = <T extends object>(o: T): T => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v;
  return out as T;
};

const listFacet = (row: ListRow): ValueList =>
  defined({ minItems: row[0], maxItems: row[1], maxLength: row[2] } as ValueList);

const syntaxFacts = (row: SyntaxRow): SyntaxFacts => {
  const [type, dataType, ranges, sizes, enumerations, patterns, list] = row;
  return defined({
    type,
    dataType: dataType ?? undefined,
    ranges: ranges?.map((r) => defined({ min: r[0], max: r[1], step: r[2] } as ValueRange)),
    sizes: sizes?.map((s) => defined({ minLength: s[0], maxLength: s[1] } as ValueSize)),
    enumerations: enumerations ?? undefined,
    patterns: patterns ?? undefined,
    list: list == null ? undefined : listFacet(list),
  });
};

/** A schema value under construction (the public types are read-only). */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Decodes `table` into a schema. Equal syntaxes share their facet arrays. */
export const decodeTable = (table: DataModelTable): DataModelSchema => {
  const facts = table.syntaxes.map(syntaxFacts);
  // A count parameter knows its table; the link is written once, on the table's row.
  const countedTables = new Map<string, string>();
  for (const [path, , , , numEntries] of table.objects) {
    const parent = parentSchemaPath(path);
    if (numEntries !== null && parent !== undefined) {
      countedTables.set(`${parent}${numEntries}`, path);
    }
  }
  const objects: ObjectSchema[] = [];
  const parameters: ParameterSchema[] = [];
  // Plain assignments rather than a generic "drop undefined" helper: this loop runs for every
  // parameter at load time, and absent facts must be absent keys.
  for (const [
    path,
    access,
    minEntries,
    maxEntries,
    numEntries,
    uniqueKeys,
    rows,
  ] of table.objects) {
    const parent = parentSchemaPath(path);
    const o: Mutable<ObjectSchema> = {
      path,
      access: accessCodes[access] ?? "readOnly",
      multiInstance: path.endsWith(".{i}."),
      minEntries,
    };
    if (maxEntries !== null) o.maxEntries = maxEntries;
    if (numEntries !== null && parent !== undefined)
      o.numEntriesParameter = `${parent}${numEntries}`;
    if (uniqueKeys !== null) o.uniqueKeys = uniqueKeys;
    objects.push(o);
    for (const [name, syntax, flags, defaultValue] of rows) {
      const full = `${path}${name}`;
      const p: Mutable<ParameterSchema> = {
        path: full,
        ...(facts[syntax] ?? { type: "string" }),
        access: accessCodes[flags & ParameterFlag.accessMask] ?? "readOnly",
      };
      if (defaultValue !== undefined) p.default = defaultValue;
      if ((flags & ParameterFlag.forcedInform) !== 0) p.forcedInform = true;
      const notify =
        activeNotifyCodes[
          (flags & ParameterFlag.activeNotifyMask) >> ParameterFlag.activeNotifyShift
        ];
      if (notify !== undefined && notify !== "normal") p.activeNotify = notify;
      if ((flags & ParameterFlag.hidden) !== 0) p.hidden = true;
      if ((flags & ParameterFlag.command) !== 0) p.command = true;
      const counted = countedTables.get(full);
      if (counted !== undefined) p.countsEntriesOf = counted;
      parameters.push(p);
    }
  }
  return makeSchema({ root: table.root, version: table.version, objects, parameters });
};
