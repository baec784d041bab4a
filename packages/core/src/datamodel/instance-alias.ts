/**
 * Instance aliases (alias-based addressing, CWMP 1.4, TR-069 A.2.2.1): the Alias parameter of
 * a table's instances as an index both ways, the `[alias]` names GPN/GPV answer with in
 * `InstanceAlias` mode, the `cpe-<n>` aliases given to instances added without one, and the
 * uniqueness rule of SetParameterValues.
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import { ownerOf } from "./device-context.js";
import { isInstanceNumber } from "./instance-path.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { readValues } from "./read-values.js";
import { mapNow } from "./settled-now.js";

/** The aliases of one table's instances, both ways (instances with an empty Alias left out). */
export interface AliasIndex {
  readonly byAlias: ReadonlyMap<string, number>;
  readonly byNumber: ReadonlyMap<number, string>;
}

const noAliases: AliasIndex = { byAlias: new Map(), byNumber: new Map() };

/** The schema path of the Alias parameter of an instance schema path (`X.{i}.`), if it has one. */
export const aliasSchemaPath = (view: TreeView, instanceSchemaPath: string): string | undefined => {
  const path = `${instanceSchemaPath}Alias`;
  return view.ctx.compiled.schema.parameters.has(path) ? path : undefined;
};

/**
 * The alias index of the table at `tablePath` whose instances have schema path
 * `instanceSchemaPath`, read once per view (a table without an Alias parameter has none).
 */
export const aliasIndexOf = (
  view: TreeView,
  tablePath: string,
  instanceSchemaPath: string,
): Effect.Effect<AliasIndex, CwmpFault> => {
  const known = view.aliases.get(tablePath);
  if (known !== undefined) return Effect.succeed(known);
  const aliasPath = aliasSchemaPath(view, instanceSchemaPath);
  if (aliasPath === undefined) {
    view.aliases.set(tablePath, noAliases);
    return Effect.succeed(noAliases);
  }
  const schema = view.ctx.compiled.schema.parameters.get(aliasPath);
  const stored = ownerOf(view.ctx.providers, aliasPath) === undefined;
  return Effect.gen(function* () {
    const numbers = yield* view.instancesOf(tablePath, instanceSchemaPath);
    // Stored aliases are read straight from the state (the common case, and a hot one: every
    // call naming an [alias] builds its table's index).
    const values = stored
      ? numbers.map((n) => view.ctx.state.values.get(`${tablePath}${n}.Alias`) ?? schema?.default)
      : yield* readValues(
          view,
          numbers.map(
            (n): ParamNode => ({ kind: "param", path: `${tablePath}${n}.Alias`, schema: schema! }),
          ),
        );
    const byAlias = new Map<string, number>();
    const byNumber = new Map<number, string>();
    numbers.forEach((n, i) => {
      const alias = values[i] ?? "";
      if (alias === "") return;
      byNumber.set(n, alias);
      if (!byAlias.has(alias)) byAlias.set(alias, n);
    });
    const index = { byAlias, byNumber };
    view.aliases.set(tablePath, index);
    return index;
  });
};

/** The alias the agent gives instance `n` added without one: `cpe-<n>`, or `cpe-<n>-<k>` when taken. */
export const assignedAlias = (n: number, taken: ReadonlyMap<string, number>): string => {
  const base = `cpe-${n}`;
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}-${k}`)) return `${base}-${k}`;
};

/** True when the device answers in `InstanceAlias` mode (alias-based addressing on and chosen). */
export const instanceAliasMode = (view: TreeView): Effect.Effect<boolean, CwmpFault> => {
  const { ctx } = view;
  if (ctx.options.aliasBasedAddressing !== true) return Effect.succeed(false);
  const path = `${ctx.compiled.schema.root}.ManagementServer.InstanceMode`;
  const schema = ctx.compiled.schema.parameters.get(path);
  if (schema === undefined) return Effect.succeed(false);
  return mapNow(
    readValues(view, [{ kind: "param", path, schema }]),
    (v) => v[0] === "InstanceAlias",
  );
};

/**
 * `path` renamed the InstanceAlias way from the alias indexes the view holds, or the table
 * (path, instance schema path) whose index it must read first.
 */
const renamed = (view: TreeView, path: string): string | readonly [string, string] => {
  const segments = path.split(".");
  let canonical = "";
  let schemaPrefix = "";
  let out = "";
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const sep = i === segments.length - 1 ? "" : ".";
    let shown = seg;
    if (i > 0 && isInstanceNumber(seg)) {
      const instanceSchema = `${schemaPrefix}{i}.`;
      if (aliasSchemaPath(view, instanceSchema) !== undefined) {
        const index = view.aliases.get(canonical);
        if (index === undefined) return [canonical, instanceSchema];
        const alias = index.byNumber.get(Number(seg));
        if (alias !== undefined) shown = `[${alias}]`;
      }
      schemaPrefix = instanceSchema;
    } else schemaPrefix += `${seg}${sep}`;
    canonical += `${seg}${sep}`;
    out += `${shown}${sep}`;
  }
  return out;
};

/**
 * `paths` with every instance number of a table that has an Alias parameter written as
 * `[alias]` (an instance whose Alias is empty, or whose provider cannot serve it, keeps its
 * number): the names of `InstanceAlias` mode. Synchronous but for reading each table's aliases
 * once.
 */
export const aliasedPaths = (
  view: TreeView,
  paths: readonly string[],
): Effect.Effect<string[], CwmpFault> =>
  Effect.gen(function* () {
    const out: string[] = new Array(paths.length);
    for (let i = 0; i < paths.length; i++) {
      for (;;) {
        const r = renamed(view, paths[i] as string);
        if (typeof r === "string") {
          out[i] = r;
          break;
        }
        // Aliases a provider cannot serve leave its instances named by number.
        yield* Effect.catchAll(aliasIndexOf(view, r[0], r[1]), () =>
          Effect.sync(() => view.aliases.set(r[0], noAliases)),
        );
      }
    }
    return out;
  });
