/**
 * Instance paths and schema paths. An instance path names one concrete object or parameter
 * (`Device.IP.Interface.2.Enable`); its schema path replaces every instance number with `{i}`
 * (`Device.IP.Interface.{i}.Enable`). TR-069 names never start with a digit, so a numeric
 * segment is always an instance number, `*` is the instance wildcard, and `[alias]` names an
 * instance by its Alias (alias-based addressing, CWMP 1.4, TR-069 A.2.2.1).
 * @module
 */

const instanceSegment = /^[1-9][0-9]*$/;

/** True when `segment` is an instance number (1 or more, no leading zero). */
export const isInstanceNumber = (segment: string): boolean =>
  instanceSegment.test(segment) && segment.length <= 10;

const aliasValue = /^[A-Za-z][^.[\]*]{0,63}$/;

/** True when `segment` is an instance alias reference, `[alias]` (one character at least). */
export const isAliasSegment = (segment: string): boolean =>
  segment.length > 2 &&
  segment.charCodeAt(0) === 91 && // [
  segment.charCodeAt(segment.length - 1) === 93; // ]

/**
 * True for a value an instance's Alias may take (TR-181 `Alias`): 1-64 characters starting
 * with a letter, and none of `.`, `[`, `]`, `*`, which would make `[alias]` path segments
 * ambiguous.
 */
export const isValidAlias = (alias: string): boolean => aliasValue.test(alias);

/** The schema path of an instance path: instance numbers, `[alias]` and `*` become `{i}`. */
export const toSchemaPath = (path: string): string =>
  path
    .split(".")
    .map((s) => (s === "*" || isInstanceNumber(s) || isAliasSegment(s) ? "{i}" : s))
    .join(".");

/** True for a partial path (an object path, ending in `.`); the empty path counts as one. */
export const isPartialPath = (path: string): boolean => path === "" || path.endsWith(".");

/**
 * The table path of an instance object path: `Device.A.Table.3.` (or `Device.A.Table.[a].`)
 * gives `Device.A.Table.`, or `undefined` when `path` does not end in an instance number or
 * an `[alias]`.
 */
export const tableOfInstance = (path: string): string | undefined => {
  const m = /^(.*\.)([^.]+)\.$/.exec(path);
  return m?.[1] !== undefined &&
    m[2] !== undefined &&
    (isInstanceNumber(m[2]) || isAliasSegment(m[2]))
    ? m[1]
    : undefined;
};
