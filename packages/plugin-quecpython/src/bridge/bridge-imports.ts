/**
 * Which modules a bridge source imports, and which ones QuecPython has.
 * @module
 */

/** Modules a generated bridge may import: ones QuecPython firmware ships. */
export const allowedBridgeModules: readonly string[] = [
  "modem",
  "sim",
  "net",
  "dataCall",
  "checkNet",
  "misc",
  "fota",
  "app_fota",
  "utime",
  "uos",
  "ujson",
  "ubinascii",
  "uhashlib",
  "uping",
  "machine",
  "_thread",
  "gc",
  "log",
  "sys_bus",
  "usocket",
  "sys",
];

const importStatement =
  /(?:^|[;:])[ \t]*import[ \t]+([A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*(?:[ \t]+as[ \t]+\w+)?)*)/gm;
const fromStatement = /(?:^|[;:])[ \t]*from[ \t]+([\w.]+)[ \t]+import\b/gm;

/**
 * The top-level module names a MicroPython source imports (`import a, b.c as d`,
 * `from x import y`, also after `try:` or `;`), plus `__import__` when it appears, since a
 * dynamic import cannot be checked.
 */
export const bridgeImports = (source: string): string[] => {
  const found = new Set<string>();
  for (const m of source.matchAll(importStatement)) {
    for (const part of m[1]!.split(",")) found.add(part.trim().split(/[ \t.]/)[0]!);
  }
  for (const m of source.matchAll(fromStatement)) found.add(m[1]!.split(".")[0]!);
  if (source.includes("__import__")) found.add("__import__");
  return [...found].sort();
};
