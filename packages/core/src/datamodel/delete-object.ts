/**
 * DeleteObject (requirement sections 1.4, 1.12): the name must be an existing instance of a
 * writable table (`Device.X.Table.3.`), else 9005. The instance goes with its whole subtree:
 * values, attributes, nested tables and notification bookkeeping. Its number is never given
 * again. ParameterKey changes only on success.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import { MAX_PARAMETER_KEY, ownerOf, providerFault } from "./device-context.js";
import type { DeviceState } from "./device-state.js";
import { tableOfInstance } from "./instance-path.js";
import type { TreeView } from "./instance-tree.js";
import { resolveName } from "./instance-tree.js";

/** Removes every key of `map` under `prefix`; returns what was removed (for undo). */
const removeUnder = <V>(map: Map<string, V>, prefix: string): [string, V][] => {
  const removed: [string, V][] = [];
  for (const [k, v] of map) if (k.startsWith(prefix)) removed.push([k, v]);
  for (const [k] of removed) map.delete(k);
  return removed;
};

/**
 * Removes an instance's subtree from the state. Counters of nested tables go too: their
 * parent instance number is never reused, so those tables can never come back.
 */
const removeSubtree = (state: DeviceState, prefix: string): (() => void) => {
  const maps = [state.values, state.attributes, state.instances, state.counters] as Map<
    string,
    unknown
  >[];
  const removed = maps.map((m) => removeUnder(m, prefix));
  return () => {
    maps.forEach((m, i) => {
      for (const [k, v] of removed[i] ?? []) m.set(k, v);
    });
  };
};

/** DeleteObject on one device's tree. */
export const deleteObject = (
  view: TreeView,
  objectName: string,
  parameterKey: string,
): Effect.Effect<0 | 1, CwmpFault> =>
  Effect.gen(function* () {
    const { ctx } = view;
    if (parameterKey.length > MAX_PARAMETER_KEY)
      return yield* cwmpFault(9003, "ParameterKey longer than 32 characters");
    const bad = cwmpFault(9005, `${objectName} is not an instance of a writable table`);
    if (tableOfInstance(objectName) === undefined) return yield* bad;
    const nodes = yield* resolveName(view, objectName, false);
    const node = nodes[0];
    if (node === undefined || node.kind !== "object" || !node.schemaPath.endsWith(".{i}."))
      return yield* bad;
    // By number from here, also when the name gave the instance's [alias].
    const instance = node.path;
    const table = tableOfInstance(instance) as string;
    if (ctx.compiled.schema.objects.get(node.schemaPath)?.access !== "readWrite") return yield* bad;
    const { state } = ctx;
    const keyBefore = state.parameterKey;
    const owner = ownerOf(ctx.providers, node.schemaPath);
    let status: 0 | 1 = 0;
    let restoreInstances = () => {};
    if (owner !== undefined) {
      if (owner.deleteInstance === undefined) return yield* bad;
      status = (yield* Effect.mapError(owner.deleteInstance(instance), providerFault)).status;
    } else {
      const before = state.instances.get(table) ?? [];
      const number = Number(instance.slice(table.length, -1));
      state.instances.set(
        table,
        before.filter((n) => n !== number),
      );
      restoreInstances = () => state.instances.set(table, before);
    }
    // Also for a provider's instance: the state holds the attributes set on its parameters.
    const restoreSubtree = removeSubtree(state, instance);
    const undo = () => {
      restoreInstances();
      restoreSubtree();
    };
    state.parameterKey = parameterKey;
    const saved = yield* Effect.either(ctx.persist);
    if (saved._tag === "Left") {
      // A provider's deletion cannot be taken back; the stored state at least stays consistent.
      undo();
      state.parameterKey = keyBefore;
      return yield* saved.left;
    }
    removeUnder(ctx.notifications.lastKnown, instance);
    removeUnder(ctx.notifications.pending, instance);
    return status;
  });
