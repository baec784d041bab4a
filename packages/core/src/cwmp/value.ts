/**
 * Parameter values as CWMP carries them: the lexical text of the value plus its `xsi:type`.
 *
 * Values stay in their wire form (strings) everywhere in cpekit; typed interpretation happens
 * only where a rule needs it (validation in SetParameterValues, comparisons in notifications).
 * @module
 */

/** The XML Schema types TR-069 uses for parameter values (CWMP 1.x, TR-106 base types). */
export type StandardValueType =
  | "string"
  | "int"
  | "unsignedInt"
  | "long"
  | "unsignedLong"
  | "boolean"
  | "dateTime"
  | "base64"
  | "hexBinary"
  | "decimal";

/** Every standard value type, in a fixed order (useful for generators and property tests). */
export const standardValueTypes: readonly StandardValueType[] = [
  "string",
  "int",
  "unsignedInt",
  "long",
  "unsignedLong",
  "boolean",
  "dateTime",
  "base64",
  "hexBinary",
  "decimal",
];

/**
 * A value's type as written in `xsi:type`. Standard XSD types are given by their local name
 * (`"unsignedInt"` for `xsd:unsignedInt`); any other type keeps its prefixed form as received
 * (`"cwmp:IPAddress"`), so a named type survives a decode/encode round trip.
 */
export type ValueType = StandardValueType | (string & {});

/** One `ParameterValueStruct`: a full parameter name, its value text and its type. */
export interface ParameterValueStruct {
  readonly name: string;
  readonly value: string;
  readonly type: ValueType;
}

/** The Unknown Time of TR-069 (TR-106 §3.2.1): a dateTime meaning "not known". */
export const UNKNOWN_TIME = "0001-01-01T00:00:00Z";

/** True when `type` is one of the standard XSD value types. */
export const isStandardValueType = (type: string): type is StandardValueType =>
  (standardValueTypes as readonly string[]).includes(type);
