/**
 * Checks of a SetParameterValues value against its parameter: the XSD lexical form and value
 * space of the type, then the data-model facets (ranges, sizes, enumerations, patterns, list).
 * @module
 */
import { isStandardValueType, type StandardValueType } from "../cwmp/value.js";
import type { ParameterSchema, ValueRange } from "./schema.js";

const integerBounds: Partial<Record<StandardValueType, readonly [bigint, bigint]>> = {
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  unsignedLong: [0n, 2n ** 64n - 1n],
};

const integerLexical = /^[+-]?[0-9]+$/;
const decimalLexical = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
const dateTimeLexical =
  /^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))?$/;
const base64Lexical = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const hexLexical = /^(?:[0-9A-Fa-f]{2})*$/;

const daysIn = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

const validDateTime = (v: string): boolean => {
  const m = dateTimeLexical.exec(v);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (minute > 59 || second > 59) return false;
  // 24:00:00 is the end of the day in XSD 1.0; any other 24:xx is not a time.
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(m[7] ?? ""))))
    return false;
  const offsetHours = m[9] === undefined ? 0 : Number(m[9]);
  const offsetMinutes = m[10] === undefined ? 0 : Number(m[10]);
  return offsetHours * 60 + offsetMinutes <= 14 * 60 && offsetMinutes <= 59;
};

/** True when `value` is in the lexical space (and value space) of the XSD `type`. */
export const isValidLexical = (type: StandardValueType, value: string): boolean => {
  const bounds = integerBounds[type];
  if (bounds !== undefined) {
    if (!integerLexical.test(value)) return false;
    const n = BigInt(value);
    return n >= bounds[0] && n <= bounds[1];
  }
  switch (type) {
    case "boolean":
      return value === "true" || value === "false" || value === "1" || value === "0";
    case "dateTime":
      return validDateTime(value);
    case "base64":
      return base64Lexical.test(value.replace(/[ \t\r\n]/g, ""));
    case "hexBinary":
      return hexLexical.test(value);
    case "decimal":
      return decimalLexical.test(value);
    default:
      return true;
  }
};

/** Length of a value for the `size` facet: bytes for binary types, characters otherwise. */
const sizeOf = (type: StandardValueType, value: string): number => {
  if (type === "hexBinary") return value.length / 2;
  if (type === "base64") {
    const text = value.replace(/[ \t\r\n]/g, "");
    const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    return (text.length / 4) * 3 - pad;
  }
  return [...value].length;
};

const inRange = (type: StandardValueType, value: string, r: ValueRange): boolean => {
  if (type === "decimal") {
    const n = Number(value);
    if (r.min !== undefined && n < Number(r.min)) return false;
    if (r.max !== undefined && n > Number(r.max)) return false;
    return true;
  }
  const n = BigInt(value);
  if (r.min !== undefined && n < BigInt(r.min)) return false;
  if (r.max !== undefined && n > BigInt(r.max)) return false;
  if (r.step !== undefined && BigInt(r.step) > 0n) {
    const base = r.min !== undefined ? BigInt(r.min) : 0n;
    if ((n - base) % BigInt(r.step) !== 0n) return false;
  }
  return true;
};

const isNumeric = (type: StandardValueType): boolean =>
  integerBounds[type] !== undefined || type === "decimal";

/** Checks one item (the whole value, or one element of a list) against type and facets. */
const checkItem = (p: ParameterSchema, item: string, patterns: readonly RegExp[] | undefined) => {
  if (!isValidLexical(p.type, item)) return false;
  if (p.ranges !== undefined && p.ranges.length > 0 && isNumeric(p.type)) {
    if (!p.ranges.some((r) => inRange(p.type, item, r))) return false;
  }
  if (p.sizes !== undefined && p.sizes.length > 0) {
    const n = sizeOf(p.type, item);
    const fits = p.sizes.some(
      (s) =>
        (s.minLength === undefined || n >= s.minLength) &&
        (s.maxLength === undefined || n <= s.maxLength),
    );
    if (!fits) return false;
  }
  if (p.enumerations !== undefined && p.enumerations.length > 0) {
    if (!p.enumerations.includes(item)) return false;
  }
  if (patterns !== undefined && !patterns.some((r) => r.test(item))) return false;
  return true;
};

/**
 * True when `value` is a valid value of `p`. `patterns` are the parameter's compiled pattern
 * facets (see `compileSchema`). A list-valued parameter is a comma-separated list whose items
 * each satisfy the type and facets; the empty string is the empty list.
 */
export const isValidValue = (
  p: ParameterSchema,
  value: string,
  patterns: readonly RegExp[] | undefined,
): boolean => {
  if (p.list === undefined) return checkItem(p, value, patterns);
  const l = p.list;
  if (l.maxLength !== undefined && [...value].length > l.maxLength) return false;
  // TR-106 lists are comma-separated; whitespace after a comma is allowed and ignored.
  const items = value === "" ? [] : value.split(",").map((s) => s.trim());
  if (l.minItems !== undefined && items.length < l.minItems) return false;
  if (l.maxItems !== undefined && items.length > l.maxItems) return false;
  return items.every((item) => checkItem(p, item, patterns));
};

const integerTypes = new Set<string>(["int", "unsignedInt", "long", "unsignedLong"]);

/**
 * True when a value sent with `xsi:type` `given` may be set on `p` (else fault 9006).
 * Equal types match; the integer types match each other (the range check then decides);
 * `string` matches every type, because ACSes send it when they do not know the type, and the
 * lexical check still refuses a bad value with 9007; a named type (`cwmp:IPAddress`) matches a
 * parameter declared with that data type or a string parameter.
 */
export const isTypeCompatible = (given: string, p: ParameterSchema): boolean => {
  const local = given.includes(":") ? given.slice(given.indexOf(":") + 1) : given;
  if (local === "" || local === p.type || local === "string") return true;
  if (integerTypes.has(local) && integerTypes.has(p.type)) return true;
  if (isStandardValueType(local)) return false;
  return local === p.dataType || p.type === "string";
};

/** The value a parameter reads as when nothing was stored and the schema gives no default. */
export const zeroValue = (type: StandardValueType): string => {
  switch (type) {
    case "boolean":
      return "false";
    case "dateTime":
      return "0001-01-01T00:00:00Z";
    case "string":
    case "base64":
    case "hexBinary":
      return "";
    default:
      return "0";
  }
};
