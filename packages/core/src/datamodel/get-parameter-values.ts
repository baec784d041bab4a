/**
 * GetParameterValues (requirement section 1.12): full names, partial paths (everything
 * below), the empty path (the whole tree), `*` instance wildcards when supported. An unknown
 * name fails the whole call with 9005; hidden parameters read as "". Names may use `[alias]`
 * segments (alias-based addressing); in `InstanceAlias` mode the answer names instances so.
 * @module
 */
import { Effect, Exit } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { aliasedPaths, instanceAliasMode } from "./instance-alias.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { parametersOf, resolveName } from "./instance-tree.js";
import { readValues } from "./read-values.js";
import { flatMapNow, mapNow, settledNow } from "./settled-now.js";

/** `before`, then the parameters designated by `names[from..]`, in a fiber's steps. */
const parametersFrom = (
  view: TreeView,
  names: readonly string[],
  from: number,
  before: readonly ParamNode[],
  wildcards: boolean,
): Effect.Effect<readonly ParamNode[], CwmpFault> =>
  Effect.gen(function* () {
    // A copy per run: the effect may be run again (a retry) and must not append twice.
    const out = [...before];
    for (let k = from; k < names.length; k++) {
      for (const node of yield* resolveName(view, names[k] as string, wildcards))
        for (const p of yield* parametersOf(view, node)) out.push(p);
    }
    return out;
  });

/**
 * The parameters designated by `names`, in request order (a parameter named twice appears
 * twice). Names that `resolveName` answers at once (an `Exit`: a parameter outside any table,
 * or instances already listed) are collected in place; the agent's settings and most RPCs name
 * only such ones, and need no step of a fiber per name (issue 11). The first name that needs
 * more, a partial path or an unread table, goes on in a fiber from there. Written out rather
 * than with `forEachNow`: its arrays per name cost 2-5 % of a session's CPU (measured).
 */
export const parametersForNames = (
  view: TreeView,
  names: readonly string[],
): Effect.Effect<readonly ParamNode[], CwmpFault> => {
  const wildcards = view.ctx.options.instanceWildcardsSupported === true;
  const out: ParamNode[] = [];
  for (let k = 0; k < names.length; k++) {
    const resolved = settledNow(resolveName(view, names[k] as string, wildcards));
    if (resolved === undefined) return parametersFrom(view, names, k, out, wildcards);
    if (Exit.isFailure(resolved)) return Effect.failCause(resolved.cause);
    if (resolved.value.some((node) => node.kind !== "param"))
      return parametersFrom(view, names, k, out, wildcards);
    for (const node of resolved.value) out.push(node as ParamNode);
  }
  return Effect.succeed(out);
};

/**
 * Builds the ParameterList for `nodes` (one batched read per provider). Hidden values read as
 * "" unless `revealHidden` (the device's own reads, never sent to the ACS).
 */
export const valueStructs = (
  view: TreeView,
  nodes: readonly ParamNode[],
  revealHidden = false,
): Effect.Effect<ParameterValueStruct[], CwmpFault> =>
  mapNow(readValues(view, nodes), (values) =>
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
  flatMapNow(instanceAliasMode(view), (aliasMode) =>
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
  flatMapNow(parametersForNames(view, names), (nodes) =>
    flatMapNow(valueStructs(view, nodes), (list) => inInstanceMode(view, list)),
  );
