/**
 * The Alias rule of SetParameterValues (TR-181 `Alias`, a unique key of its table): after the
 * call, no two instances of a table may share an Alias, counting the other writes of the same
 * call (two instances may swap aliases in one call). With alias-based addressing on, an Alias
 * must also be one `[alias]` segments can name (see `isValidAlias`).
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import { aliasIndexOf } from "./instance-alias.js";
import { isValidAlias } from "./instance-path.js";
import type { ParamNode, TreeView } from "./instance-tree.js";

const ALIAS_LEAF = ".{i}.Alias";

/**
 * The positions in `nodes` (written with `values`, same order) whose Alias write breaks the
 * rule: fault 9007 for each. Empty when no Alias is written (the common case costs one string
 * comparison per parameter).
 */
export const aliasConflicts = (
  view: TreeView,
  nodes: readonly ParamNode[],
  values: readonly string[],
): Effect.Effect<readonly number[], CwmpFault> =>
  Effect.gen(function* () {
    const byTable = new Map<string, { schemaPath: string; writes: number[] }>();
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as ParamNode;
      if (!node.schema.path.endsWith(ALIAS_LEAF)) continue;
      const instance = node.path.slice(0, -"Alias".length);
      const table = instance.slice(0, instance.lastIndexOf(".", instance.length - 2) + 1);
      const group = byTable.get(table) ?? {
        schemaPath: node.schema.path.slice(0, -"Alias".length),
        writes: [],
      };
      group.writes.push(i);
      byTable.set(table, group);
    }
    const bad: number[] = [];
    const checkFormat = view.ctx.options.aliasBasedAddressing === true;
    for (const [table, { schemaPath, writes }] of byTable) {
      const index = yield* aliasIndexOf(view, table, schemaPath);
      // The aliases after the call, by instance number.
      const after = new Map(index.byNumber);
      for (const i of writes)
        after.set(
          Number((nodes[i] as ParamNode).path.slice(table.length, -".Alias".length)),
          values[i] as string,
        );
      const uses = new Map<string, number>();
      for (const alias of after.values()) uses.set(alias, (uses.get(alias) ?? 0) + 1);
      for (const i of writes) {
        const v = values[i] as string;
        if ((checkFormat && !isValidAlias(v)) || (v !== "" && (uses.get(v) ?? 0) > 1)) bad.push(i);
      }
    }
    return bad.sort((a, b) => a - b);
  });
