/**
 * GetParameterNames (requirement section 1.12, TR-069 A.3.2.3):
 *
 * | ParameterPath | NextLevel=false | NextLevel=true |
 * |---|---|---|
 * | full parameter name | that parameter | fault 9003 |
 * | partial path | the object and everything below it | only its direct children |
 * | "" (empty) | everything, starting with the root object | only the root object |
 *
 * Tables are listed as `X.Table.` and their instances as `X.Table.1.`. An object's Writable
 * says whether AddObject (table) or DeleteObject (instance) is allowed.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { ParameterInfoStruct } from "../cwmp/structs.js";
import { inInstanceMode } from "./get-parameter-values.js";
import type { TreeNode, TreeView } from "./instance-tree.js";
import { childrenOf, resolveName, rootNode, subtreeOf } from "./instance-tree.js";

/** The Writable flag of a node. */
export const isWritable = (view: TreeView, node: TreeNode): boolean => {
  if (node.kind === "param") return node.schema.access !== "readOnly";
  // Only tables and their instances can be added or deleted; single objects never.
  if (node.kind === "object" && !node.schemaPath.endsWith(".{i}.")) return false;
  return view.ctx.compiled.schema.objects.get(node.schemaPath)?.access === "readWrite";
};

const info = (view: TreeView, node: TreeNode): ParameterInfoStruct => ({
  name: node.path,
  writable: isWritable(view, node),
});

/** GetParameterNames on one device's tree. */
export const getParameterNames = (
  view: TreeView,
  path: string,
  nextLevel: boolean,
): Effect.Effect<ParameterInfoStruct[], CwmpFault> =>
  Effect.gen(function* () {
    if (path === "" && nextLevel) return [info(view, rootNode(view))];
    const nodes = yield* resolveName(
      view,
      path,
      view.ctx.options.instanceWildcardsSupported === true,
    );
    const out: ParameterInfoStruct[] = [];
    for (const node of nodes) {
      if (node.kind === "param" && nextLevel)
        return yield* cwmpFault(9003, `NextLevel must be false for parameter ${path}`);
      const listed = nextLevel ? yield* childrenOf(view, node) : yield* subtreeOf(view, node);
      for (const n of listed) out.push(info(view, n));
    }
    return yield* inInstanceMode(view, out);
  });
