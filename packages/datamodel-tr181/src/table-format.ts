/**
 * The compact table format of the generated modules (`src/generated/*.ts`).
 *
 * A generated module holds one {@link DataModelTable}: rows of tuples instead of objects, and
 * a table of distinct parameter syntaxes shared by index, so that the module stays small and
 * parses fast. `scripts/generate.ts` writes it, {@link decodeTable} (in `decode-table.ts`)
 * turns it into a `DataModelSchema`. Absent tuple members are `null`, and trailing absent
 * members are left out.
 * @module
 */
import type { Access, ActiveNotify, StandardValueType } from "@cpekit/core";

/** `[min, max, step]` of a range; bounds are decimal strings so 64-bit values stay exact. */
export type RangeRow = readonly [min?: string | null, max?: string | null, step?: string | null];

/** `[minLength, maxLength]` of a size facet. */
export type SizeRow = readonly [minLength?: number | null, maxLength?: number | null];

/** `[minItems, maxItems, maxLength]` of a list facet. */
export type ListRow = readonly [
  minItems?: number | null,
  maxItems?: number | null,
  maxLength?: number | null,
];

/**
 * One distinct parameter syntax: `[type, dataType, ranges, sizes, enumerations, patterns, list]`.
 * `type` is the base XSD type; `dataType` the TR-106 named type it came from.
 */
export type SyntaxRow = readonly [
  type: StandardValueType,
  dataType?: string | null,
  ranges?: readonly RangeRow[] | null,
  sizes?: readonly SizeRow[] | null,
  enumerations?: readonly string[] | null,
  patterns?: readonly string[] | null,
  list?: ListRow | null,
];

/**
 * One parameter: `[name, syntax, flags, default]`, `name` relative to its object, `syntax` an
 * index into {@link DataModelTable.syntaxes}, `flags` a sum of the `ParameterFlag` bits.
 * The default is present only when the XML gives one (an empty string is a real default).
 */
export type ParameterRow = readonly [
  name: string,
  syntax: number,
  flags: number,
  defaultValue?: string,
];

/**
 * One object: `[path, access, minEntries, maxEntries, numEntriesParameter, uniqueKeys, parameters]`.
 * `access` is an {@link accessCodes} index, `maxEntries` `null` when unbounded,
 * `numEntriesParameter` the name of the count parameter in the parent object.
 */
export type ObjectRow = readonly [
  path: string,
  access: number,
  minEntries: number,
  maxEntries: number | null,
  numEntriesParameter: string | null,
  uniqueKeys: readonly (readonly string[])[] | null,
  parameters: readonly ParameterRow[],
];

/** A whole root data model in table form. */
export interface DataModelTable {
  /** Root object name without the dot: `Device` or `InternetGatewayDevice`. */
  readonly root: string;
  /** Data-model version from the model name, e.g. `2.17`. */
  readonly version: string;
  readonly syntaxes: readonly SyntaxRow[];
  /** Objects in schema (XML) order. */
  readonly objects: readonly ObjectRow[];
}

/** Access values by code (the code is the index). */
export const accessCodes: readonly Access[] = ["readOnly", "readWrite", "writeOnceReadOnly"];

/** activeNotify values by code (the code is the index); `normal` is code 0. */
export const activeNotifyCodes: readonly ActiveNotify[] = [
  "normal",
  "forceEnabled",
  "forceDefaultEnabled",
  "canDeny",
];

/** Bits of a parameter row's `flags`. */
export const ParameterFlag = {
  /** Bits 0-1: the access code ({@link accessCodes}). */
  accessMask: 0b11,
  forcedInform: 0b100,
  /** Bits 3-4: the activeNotify code ({@link activeNotifyCodes}). */
  activeNotifyShift: 3,
  activeNotifyMask: 0b11000,
  hidden: 0b100000,
  command: 0b1000000,
} as const;
