/**
 * The instance tree of one device as one RPC sees it: resolves names (full names, partial
 * paths, `*` wildcards) to nodes and lists children in schema order.
 *
 * A view lives for one RPC and caches the instance lists it reads, so a provider is asked for
 * a table's instances at most once per RPC.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { DeviceContext } from "./device-context.js";
import { ownerOf, providerFault } from "./device-context.js";
import { type AliasIndex, aliasIndexOf } from "./instance-alias.js";
import { isAliasSegment, isInstanceNumber } from "./instance-path.js";
import type { ParameterSchema } from "./schema.js";
import { mapNow, orElseSucceedNow } from "./settled-now.js";

/** A parameter of the tree. */
export interface ParamNode {
  readonly kind: "param";
  /** Instance path. */
  readonly path: string;
  readonly schema: ParameterSchema;
}

/** A single object or an instance of a table. */
export interface ObjectNode {
  readonly kind: "object";
  /** Instance path, ending in `.`. */
  readonly path: string;
  /** Schema path, ending in `.` (`{i}.` for an instance). */
  readonly schemaPath: string;
}

/** A table (`Device.X.Table.`): its children are its instances. */
export interface TableNode {
  readonly kind: "table";
  /** Instance path of the table, ending in `.`. */
  readonly path: string;
  /** Schema path of its instances (`Device.X.Table.{i}.`). */
  readonly schemaPath: string;
}

/** A node of the instance tree. */
export type TreeNode = ParamNode | ObjectNode | TableNode;

/** One RPC's view of the tree. */
export interface TreeView {
  readonly ctx: DeviceContext;
  /** Instance numbers of the table at `tablePath`, ascending. */
  readonly instancesOf: (
    tablePath: string,
    schemaPath: string,
  ) => Effect.Effect<readonly number[], CwmpFault>;
  /** The instance numbers of `tablePath` when this view has already read them. */
  readonly knownInstancesOf: (tablePath: string) => readonly number[] | undefined;
  /** Alias indexes this view has read, by table path (see `instance-alias.ts`). */
  readonly aliases: Map<string, AliasIndex>;
}

/** Creates a view for one RPC. */
export const makeTreeView = (ctx: DeviceContext): TreeView => {
  const cache = new Map<string, readonly number[]>();
  return {
    ctx,
    instancesOf: (tablePath, schemaPath) => {
      const hit = cache.get(tablePath);
      if (hit !== undefined) return Effect.succeed(hit);
      const owner = ownerOf(ctx.providers, schemaPath);
      if (owner?.instances === undefined) {
        // Stored instances are read in place: the result settles at once (`settled-now.ts`).
        const stored = ctx.state.instances.get(tablePath) ?? [];
        cache.set(tablePath, stored);
        return Effect.succeed(stored);
      }
      const read = Effect.map(Effect.mapError(owner.instances(tablePath), providerFault), (l) =>
        [...l].sort((a, b) => a - b),
      );
      return Effect.tap(read, (l) => Effect.sync(() => cache.set(tablePath, l)));
    },
    knownInstancesOf: (tablePath) => cache.get(tablePath),
    aliases: new Map(),
  };
};

const invalidName = (name: string) => cwmpFault(9005, `Invalid parameter name ${name}`);

/** The node for a child schema path `child` of the object node at instance path `base`. */
const childNode = (view: TreeView, base: string, parentSchema: string, child: string): TreeNode => {
  const rest = child.slice(parentSchema.length);
  if (rest.endsWith(".{i}."))
    return { kind: "table", path: `${base}${rest.slice(0, -4)}`, schemaPath: child };
  if (rest.endsWith(".")) return { kind: "object", path: `${base}${rest}`, schemaPath: child };
  const schema = view.ctx.compiled.schema.parameters.get(child) as ParameterSchema;
  return { kind: "param", path: `${base}${rest}`, schema };
};

/** The root object node (`Device.`). */
export const rootNode = (view: TreeView): ObjectNode => {
  const root = `${view.ctx.compiled.schema.root}.`;
  return { kind: "object", path: root, schemaPath: root };
};

/** Direct children of a node, in schema order (instances ascending). */
export const childrenOf = (
  view: TreeView,
  node: TreeNode,
): Effect.Effect<readonly TreeNode[], CwmpFault> => {
  if (node.kind === "param") return Effect.succeed([]);
  if (node.kind === "table")
    return Effect.map(view.instancesOf(node.path, node.schemaPath), (numbers) =>
      numbers.map(
        (n): TreeNode => ({
          kind: "object",
          path: `${node.path}${n}.`,
          schemaPath: node.schemaPath,
        }),
      ),
    );
  const schema = view.ctx.compiled.schema;
  return Effect.succeed(
    schema.children(node.schemaPath).map((c) => childNode(view, node.path, node.schemaPath, c)),
  );
};

/** A node and everything below it, in pre-order. */
export const subtreeOf = (
  view: TreeView,
  node: TreeNode,
): Effect.Effect<readonly TreeNode[], CwmpFault> =>
  Effect.gen(function* () {
    const out: TreeNode[] = [];
    const stack: TreeNode[] = [node];
    while (stack.length > 0) {
      const n = stack.pop() as TreeNode;
      out.push(n);
      if (n.kind === "param") continue;
      const kids = yield* childrenOf(view, n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as TreeNode);
    }
    return out;
  });

/** The parameters of a node's subtree (the node itself when it is a parameter). */
export const parametersOf = (
  view: TreeView,
  node: TreeNode,
): Effect.Effect<readonly ParamNode[], CwmpFault> =>
  node.kind === "param"
    ? Effect.succeed([node])
    : Effect.map(subtreeOf(view, node), (all) => all.filter((n) => n.kind === "param"));

/**
 * Resolves a name to the nodes it designates: one node, or several through `*` wildcards
 * (when `wildcards` is true; otherwise `*` is an invalid name). With alias-based addressing
 * on, an `[alias]` segment names the instance whose Alias it is. Nodes are named by instance
 * number whichever way the name gave them. The empty name is the root.
 * Fails with 9005 when the name designates nothing (a wildcard matching no instance is not a
 * failure: it designates no node).
 */
export const resolveName = (
  view: TreeView,
  name: string,
  wildcards: boolean,
): Effect.Effect<readonly TreeNode[], CwmpFault> => {
  if (name === "") return Effect.succeed([rootNode(view)]);
  // A parameter outside any table is named by its schema path: no walk needed (most names the
  // agent and the ACS read are such). A name with `{i}` is a schema path, not an instance name.
  const fixed = view.ctx.compiled.schema.parameters.get(name);
  if (fixed !== undefined && !name.includes("{"))
    return Effect.succeed([{ kind: "param", path: name, schema: fixed }]);
  const partial = name.endsWith(".");
  const segments = (partial ? name.slice(0, -1) : name).split(".");
  if (segments[0] !== view.ctx.compiled.schema.root || segments.some((s) => s === ""))
    return invalidName(name);
  if (segments.length === 1 && !partial) return invalidName(name);
  return walk(view, name, segments, partial, wildcards, 1, [rootNode(view)]);
};

// Resolves `segments` from index `from`, `current` being the nodes of the segments before.
// Synchronous (a name is resolved on every RPC, often 50 at a time): it leaves the loop only
// to read a table's instances the view has not read yet, then resumes at the same segment.
const walk = (
  view: TreeView,
  name: string,
  segments: readonly string[],
  partial: boolean,
  wildcards: boolean,
  from: number,
  before: readonly TreeNode[],
): Effect.Effect<readonly TreeNode[], CwmpFault> => {
  const schema = view.ctx.compiled.schema;
  let current = before;
  for (let i = from; i < segments.length; i++) {
    const seg = segments[i] as string;
    const last = i === segments.length - 1;
    const next: TreeNode[] = [];
    for (const node of current) {
      if (node.kind === "table") {
        // An instance is an object: its name must end with a dot.
        if (last && !partial) return invalidName(name);
        const numbers = view.knownInstancesOf(node.path);
        if (numbers === undefined) {
          const at = current;
          return Effect.flatMap(view.instancesOf(node.path, node.schemaPath), () =>
            walk(view, name, segments, partial, wildcards, i, at),
          );
        }
        if (seg === "*" && wildcards) {
          for (const n of numbers)
            next.push({ kind: "object", path: `${node.path}${n}.`, schemaPath: node.schemaPath });
        } else if (isInstanceNumber(seg) && numbers.includes(Number(seg))) {
          next.push({ kind: "object", path: `${node.path}${seg}.`, schemaPath: node.schemaPath });
        } else if (isAliasSegment(seg) && view.ctx.options.aliasBasedAddressing === true) {
          const index = view.aliases.get(node.path);
          if (index === undefined) {
            const at = current;
            return Effect.flatMap(aliasIndexOf(view, node.path, node.schemaPath), () =>
              walk(view, name, segments, partial, wildcards, i, at),
            );
          }
          const n = index.byAlias.get(seg.slice(1, -1));
          if (n === undefined) return invalidName(name);
          next.push({ kind: "object", path: `${node.path}${n}.`, schemaPath: node.schemaPath });
        } else return invalidName(name);
      } else if (node.kind === "object") {
        const base = `${node.schemaPath}${seg}`;
        if (last && !partial) {
          const p = schema.parameters.get(base);
          if (p === undefined) return invalidName(name);
          next.push({ kind: "param", path: `${node.path}${seg}`, schema: p });
        } else if (schema.objects.has(`${base}.`)) {
          next.push({ kind: "object", path: `${node.path}${seg}.`, schemaPath: `${base}.` });
        } else if (schema.objects.has(`${base}.{i}.`)) {
          next.push({ kind: "table", path: `${node.path}${seg}.`, schemaPath: `${base}.{i}.` });
        } else return invalidName(name);
      } else return invalidName(name);
    }
    current = next;
  }
  return Effect.succeed(current);
};

/**
 * Instance paths of every parameter matching a schema path (`{i}` matches every instance);
 * a schema path that matches nothing gives an empty list.
 */
export const expandSchemaPath = (
  view: TreeView,
  schemaPath: string,
): Effect.Effect<readonly ParamNode[]> =>
  // A name the schema resolves settles at once: read in place (`settled-now.ts`).
  orElseSucceedNow(
    mapNow(resolveName(view, schemaPath.replaceAll("{i}", "*"), true), (nodes) =>
      nodes.filter((n): n is ParamNode => n.kind === "param"),
    ),
    (): readonly ParamNode[] => [],
  );
