/**
 * Instance paths and schema paths. An instance path names one concrete object or parameter
 * (`Device.IP.Interface.2.Enable`); its schema path replaces every instance number with `{i}`
 * (`Device.IP.Interface.{i}.Enable`). TR-069 names never start with a digit, so a numeric
 * segment is always an instance number, and `*` is the instance wildcard.
 * @module
 */

const instanceSegment = /^[1-9][0-9]*$/;

/** True when `segment` is an instance number (1 or more, no leading zero). */
export const isInstanceNumber = (segment: string): boolean =>
  instanceSegment.test(segment) && segment.length <= 10;

/** The schema path of an instance path: instance numbers and `*` become `{i}`. */
export const toSchemaPath = (path: string): string =>
  path
    .split(".")
    .map((s) => (s === "*" || isInstanceNumber(s) ? "{i}" : s))
    .join(".");

/** True for a partial path (an object path, ending in `.`); the empty path counts as one. */
export const isPartialPath = (path: string): boolean => path === "" || path.endsWith(".");

/**
 * The table path of an instance object path: `Device.A.Table.3.` gives `Device.A.Table.`,
 * or `undefined` when `path` does not end in an instance number.
 */
export const tableOfInstance = (path: string): string | undefined => {
  const m = /^(.*\.)([^.]+)\.$/.exec(path);
  return m?.[1] !== undefined && m[2] !== undefined && isInstanceNumber(m[2]) ? m[1] : undefined;
};
