/**
 * Turns a parsed data-model document into the compact {@link DataModelTable}: drops deleted and
 * obsoleted items (keeps deprecated ones), resolves syntaxes and shares equal ones by index.
 * @module
 */
import { type Access, parentSchemaPath } from "@cpekit/core";
import {
  accessCodes,
  activeNotifyCodes,
  type DataModelTable,
  type ListRow,
  type ObjectRow,
  ParameterFlag,
  type ParameterRow,
  type RangeRow,
  type SizeRow,
  type SyntaxRow,
} from "../src/table-format.js";
import { GenerateError } from "./generate-error.js";
import { type DataModelDocument, isDropped, type ParameterDef } from "./read-data-model.js";
import type { ResolvedSyntax, SyntaxResolver } from "./resolve-syntax.js";

/** What the build kept, dropped and had to guess. */
export interface BuildReport {
  readonly objects: number;
  readonly parameters: number;
  /** Deleted or obsoleted objects, and objects under one. */
  readonly droppedObjects: number;
  /** Deleted or obsoleted parameters, and parameters of dropped objects. */
  readonly droppedParameters: number;
  /** Gaps in the XML that were filled with a default, one line each. */
  readonly warnings: readonly string[];
}

/** Replaces trailing `null`s by nothing, so rows stay short. */
const trimTrailingNulls = <T extends readonly unknown[]>(row: T): T => {
  let end = row.length;
  while (end > 0 && row[end - 1] === null) end--;
  return row.slice(0, end) as unknown as T;
};

const syntaxRow = (s: ResolvedSyntax): SyntaxRow =>
  trimTrailingNulls<SyntaxRow>([
    s.type,
    s.dataType ?? null,
    s.ranges?.map((r) =>
      trimTrailingNulls<RangeRow>([r.min ?? null, r.max ?? null, r.step ?? null]),
    ) ?? null,
    s.sizes?.map((z) => trimTrailingNulls<SizeRow>([z.minLength ?? null, z.maxLength ?? null])) ??
      null,
    s.enumerations ?? null,
    s.patterns ?? null,
    s.list === undefined
      ? null
      : trimTrailingNulls<ListRow>([
          s.list.minItems ?? null,
          s.list.maxItems ?? null,
          s.list.maxLength ?? null,
        ]),
  ]);

const accessCode = (access: Access): number => accessCodes.indexOf(access);

const parameterFlags = (p: ParameterDef, access: Access): number =>
  accessCode(access) |
  (p.forcedInform ? ParameterFlag.forcedInform : 0) |
  (activeNotifyCodes.indexOf(p.activeNotify) << ParameterFlag.activeNotifyShift) |
  (p.hidden ? ParameterFlag.hidden : 0) |
  (p.command ? ParameterFlag.command : 0);

/** Splits `Device:2.17` into root `Device` and version `2.17`. */
const splitModelName = (name: string | undefined) => {
  const match = name === undefined ? null : /^([A-Za-z]+):(\d+\.\d+)$/.exec(name);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new GenerateError({ reason: "NoModel", detail: `model name ${String(name)}` });
  }
  return { root: match[1], version: match[2] };
};

/** Builds the table of `doc`'s model; syntaxes are resolved with `resolver`. */
export const buildTable = (
  doc: DataModelDocument,
  resolver: SyntaxResolver,
): { readonly table: DataModelTable; readonly report: BuildReport } => {
  const { root, version } = splitModelName(doc.modelName);
  const warnings: string[] = [];
  const syntaxes: SyntaxRow[] = [];
  const syntaxIndex = new Map<string, number>();
  const keptParameters = new Map<string, Set<string>>();
  const objects: ObjectRow[] = [];
  let parameterCount = 0;
  let droppedObjects = 0;
  let droppedParameters = 0;

  const internSyntax = (row: SyntaxRow): number => {
    const key = JSON.stringify(row);
    let index = syntaxIndex.get(key);
    if (index === undefined) {
      index = syntaxes.length;
      syntaxes.push(row);
      syntaxIndex.set(key, index);
    }
    return index;
  };

  for (const o of doc.objects) {
    const parent = parentSchemaPath(o.path);
    if (isDropped(o.status) || (parent !== undefined && !keptParameters.has(parent))) {
      droppedObjects++;
      droppedParameters += o.parameters.length;
      continue;
    }
    const names = new Set<string>();
    const parameters: ParameterRow[] = [];
    for (const p of o.parameters) {
      if (isDropped(p.status)) {
        droppedParameters++;
        continue;
      }
      if (p.access === undefined) warnings.push(`${o.path}${p.name}: no access, readOnly assumed`);
      const syntax = internSyntax(syntaxRow(resolver.resolve(p.syntax, `${o.path}${p.name}`)));
      const flags = parameterFlags(p, p.access ?? "readOnly");
      parameters.push(
        p.default === undefined ? [p.name, syntax, flags] : [p.name, syntax, flags, p.default],
      );
      names.add(p.name);
    }
    keptParameters.set(o.path, names);
    parameterCount += parameters.length;
    if (o.access === undefined) warnings.push(`${o.path}: no access, readOnly assumed`);
    const uniqueKeys = o.uniqueKeys.filter((key) => {
      const complete = key.every((n) => names.has(n));
      if (!complete)
        warnings.push(`${o.path}: unique key ${key.join(",")} names a dropped parameter`);
      return complete;
    });
    objects.push([
      o.path,
      accessCode(o.access ?? "readOnly"),
      o.minEntries,
      o.maxEntries ?? null,
      o.numEntriesParameter ?? null,
      uniqueKeys.length > 0 ? uniqueKeys : null,
      parameters,
    ]);
  }

  // A table's count parameter lives in the parent object, which may come later in odd files.
  const checked = objects.map((row): ObjectRow => {
    const [path, , , , numEntries] = row;
    const parent = parentSchemaPath(path);
    if (
      numEntries === null ||
      parent === undefined ||
      keptParameters.get(parent)?.has(numEntries)
    ) {
      return row;
    }
    warnings.push(`${path}: numEntriesParameter ${numEntries} is not a parameter of ${parent}`);
    return [row[0], row[1], row[2], row[3], null, row[5], row[6]];
  });

  return {
    table: { root, version, syntaxes, objects: checked },
    report: {
      objects: checked.length,
      parameters: parameterCount,
      droppedObjects,
      droppedParameters,
      warnings,
    },
  };
};
