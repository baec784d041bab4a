/**
 * GetParameterValues (requirement section 1.12): full names, partial paths (everything
 * below), the empty path (the whole tree), `*` instance wildcards when supported. An unknown
 * name fails the whole call with 9005; hidden parameters read as "". Names may use `[alias]`
 * segments (alias-based addressing); in `InstanceAlias` mode the answer names instances so.
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { aliasedPaths, instanceAliasMode } from "./instance-alias.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { parametersOf, resolveName } from "./instance-tree.js";
import { readValues } from "./read-values.js";

/** The parameters designated by `names`, in request order (a parameter named twice appears twice). */
export const parametersForNames = (
  view: TreeView,
  names: readonly string[],
): Effect.Effect<readonly ParamNode[], CwmpFault> =>
  Effect.gen(function* () {
    const wildcards = view.ctx.options.instanceWildcardsSupported === true;
    const out: ParamNode[] = [];
    for (const name of names) {
      for (const node of yield* resolveName(view, name, wildcards))
        for (const p of yield* parametersOf(view, node)) out.push(p);
    }
    return out;
  });

/**
 * Builds the ParameterList for `nodes` (one batched read per provider). Hidden values read as
 * "" unless `revealHidden` (the device's own reads, never sent to the ACS).
 */
export const valueStructs = (
  view: TreeView,
  nodes: readonly ParamNode[],
  revealHidden = false,
): Effect.Effect<ParameterValueStruct[], CwmpFault> =>
  Effect.map(readValues(view, nodes), (values) =>
    nodes.map((n, i) => ({
      name: n.path,
      value: n.schema.hidden && !revealHidden ? "" : (values[i] as string),
      type: n.schema.type,
    })),
  );

/**
 * Renames the answer's entries the `InstanceAlias` way when the device is in that mode
 * (`name` of each item through {@link aliasedPaths}); otherwise gives `list` back as it is.
 */
export const inInstanceMode = <A extends { readonly name: string }>(
  view: TreeView,
  list: A[],
): Effect.Effect<A[], CwmpFault> =>
  Effect.flatMap(instanceAliasMode(view), (aliasMode) =>
    aliasMode
      ? Effect.map(
          aliasedPaths(
            view,
            list.map((item) => item.name),
          ),
          (names) => list.map((item, i) => ({ ...item, name: names[i] as string })),
        )
      : Effect.succeed(list),
  );

/** GetParameterValues on one device's tree. */
export const getParameterValues = (
  view: TreeView,
  names: readonly string[],
): Effect.Effect<ParameterValueStruct[], CwmpFault> =>
  Effect.flatMap(parametersForNames(view, names), (nodes) =>
    Effect.flatMap(valueStructs(view, nodes), (list) => inInstanceMode(view, list)),
  );
