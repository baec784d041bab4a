/**
 * The bridge generator: turns a {@link BridgeMap} into ONE MicroPython source file that serves
 * framed requests on a QuecPython module (runtime in `bridge-runtime.ts`).
 * @module
 */
import { Either } from "effect";
import { BridgeGenerateError } from "./bridge-generate-error.js";
import { allowedBridgeModules, bridgeImports } from "./bridge-imports.js";
import { type BridgeMap, defaultBridgeMap } from "./bridge-map.js";
import { bridgeRuntimeSource } from "./bridge-runtime.js";

/** Default size budget of a generated bridge, in bytes. */
export const BRIDGE_MAX_BYTES = 12 * 1024;

/** Options of {@link generateBridge}. */
export interface GenerateBridgeOptions {
  /** The map to serve; the plugin's default map when omitted. */
  readonly map?: BridgeMap;
  /** Size budget in bytes (default {@link BRIDGE_MAX_BYTES}). */
  readonly maxBytes?: number;
}

/** A generated bridge. */
export interface GeneratedBridge {
  /** The MicroPython source. */
  readonly source: string;
  /** Its size in bytes (UTF-8). */
  readonly bytes: number;
  /** The modules it imports. */
  readonly imports: readonly string[];
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const indent = (body: string): string =>
  body
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.trimStart().startsWith("#"))
    .map((line) => ` ${line}`)
    .join("\n");

const fail = (reason: BridgeGenerateError["reason"], detail: string) =>
  Either.left(new BridgeGenerateError({ reason, detail }));

/** Names a MicroPython source binds at module level (`def x`, `class x`, `x=` at column 0). */
export const moduleLevelNames = (source: string): string[] => {
  const names = new Set<string>();
  for (const m of source.matchAll(
    /^(?:(?:def|class)[ \t]+([A-Za-z_]\w*)|([A-Za-z_]\w*)[ \t]*=(?!=))/gm,
  ))
    names.add((m[1] ?? m[2])!);
  return [...names].sort();
};

const runtimeNames = new Set(moduleLevelNames(bridgeRuntimeSource));

/**
 * Checks names: identifiers, no duplicates, setters that exist, a prelude that rebinds none of
 * the names of the runtime or the tables.
 */
const validate = (map: BridgeMap): Either.Either<void, BridgeGenerateError> => {
  const groups = new Set(map.setters.map((s) => s.group));
  for (const list of [
    map.sources.map((s) => s.name),
    map.parameters.map((p) => p.key),
    map.setters.map((s) => s.group),
    map.actions.map((a) => a.name),
  ]) {
    const seen = new Set<string>();
    for (const name of list) {
      if (!identifier.test(name)) return fail("InvalidKey", `"${name}" is not an identifier`);
      if (seen.has(name)) return fail("DuplicateKey", `"${name}" appears twice`);
      seen.add(name);
    }
  }
  const tableNames = new Set(moduleLevelNames(tables({ ...map, prelude: [] })));
  const clash = moduleLevelNames((map.prelude ?? []).join("\n")).filter(
    (n) => runtimeNames.has(n) || tableNames.has(n),
  );
  if (clash.length > 0)
    return fail("NameClash", `the prelude rebinds the bridge's own ${clash.join(", ")}`);
  for (const p of map.parameters) {
    if (p.setter !== undefined && !groups.has(p.setter))
      return fail(
        "UnknownSetter",
        `key "${p.key}" names setter "${p.setter}" which is not defined`,
      );
  }
  return Either.void;
};

/** The generated tables that stand where the runtime says `#TABLES#`. */
const tables = (map: BridgeMap): string => {
  const lines: string[] = [...(map.prelude ?? [])];
  lines.push(`_SRC={${map.sources.map((s) => `'${s.name}':lambda:${s.call}`).join(",")}}`);
  lines.push(`_G={${map.parameters.map((p) => `'${p.key}':lambda:${p.get}`).join(",")}}`);
  for (const [i, s] of map.setters.entries()) lines.push(`def _s${i}(v):\n${indent(s.body)}`);
  lines.push(`_S={${map.setters.map((s, i) => `'${s.group}':_s${i}`).join(",")}}`);
  const writable = map.parameters.filter((p) => p.setter !== undefined);
  lines.push(`_SK={${writable.map((p) => `'${p.key}':'${p.setter}'`).join(",")}}`);
  for (const [i, a] of map.actions.entries()) lines.push(`def _a${i}(p):\n${indent(a.body)}`);
  lines.push(
    `_A={${map.actions.map((a, i) => `'${a.name}':(_a${i},${a.restart ? 1 : 0})`).join(",")}}`,
  );
  return lines.join("\n");
};

/**
 * Generates the bridge source. Fails with a {@link BridgeGenerateError} when a name is not an
 * identifier or repeats, a key names an unknown setter, a snippet imports a module QuecPython
 * does not have, or the result exceeds the size budget.
 */
export const generateBridge = (
  options: GenerateBridgeOptions = {},
): Either.Either<GeneratedBridge, BridgeGenerateError> => {
  const map = options.map ?? defaultBridgeMap;
  const maxBytes = options.maxBytes ?? BRIDGE_MAX_BYTES;
  return Either.flatMap(validate(map), () => {
    const source = bridgeRuntimeSource.replace("#TABLES#", () => tables(map));
    const imports = bridgeImports(source);
    const forbidden = imports.filter((m) => !allowedBridgeModules.includes(m));
    if (forbidden.length > 0)
      return fail("ForbiddenImport", `imports ${forbidden.join(", ")}, not a QuecPython module`);
    const bytes = new TextEncoder().encode(source).length;
    if (bytes > maxBytes) return fail("TooLarge", `${bytes} bytes, budget ${maxBytes}`);
    return Either.right({ source, bytes, imports });
  });
};
