/**
 * AddObject (requirement sections 1.4, 1.12).
 *
 * - The name must be a table's path ending in `.` (`Device.X.Table.`); anything else, including
 *   a read-only table, is 9005. (TR-069 lists no "not writable" fault for AddObject; 9005 is
 *   what bbfdm-based agents such as icwmp answer, and GenieACS treats it as a final error.)
 * - A table at its `maxEntries` is 9004. A ParameterKey over 32 characters is 9003.
 * - Instance numbers grow and are never reused, also across restarts: the highest number
 *   given is persisted per table. A new store-owned instance reads its schema defaults.
 * - ParameterKey changes only on success.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import { MAX_PARAMETER_KEY, ownerOf, providerFault } from "./device-context.js";
import type { TableNode, TreeView } from "./instance-tree.js";
import { resolveName } from "./instance-tree.js";

/** Result of AddObject. */
export interface AddObjectResult {
  readonly instanceNumber: number;
  readonly status: 0 | 1;
}

/** The writable table `objectName` designates, or fault 9005. */
const writableTable = (view: TreeView, objectName: string): Effect.Effect<TableNode, CwmpFault> =>
  Effect.gen(function* () {
    const bad = cwmpFault(9005, `${objectName} is not a writable table`);
    if (!objectName.endsWith(".")) return yield* bad;
    const nodes = yield* resolveName(view, objectName, false);
    const node = nodes[0];
    if (nodes.length !== 1 || node === undefined || node.kind !== "table") return yield* bad;
    const schema = view.ctx.compiled.schema.objects.get(node.schemaPath);
    if (schema?.access !== "readWrite") return yield* bad;
    return node;
  });

/** AddObject on one device's tree. */
export const addObject = (
  view: TreeView,
  objectName: string,
  parameterKey: string,
): Effect.Effect<AddObjectResult, CwmpFault> =>
  Effect.gen(function* () {
    const { ctx } = view;
    if (parameterKey.length > MAX_PARAMETER_KEY)
      return yield* cwmpFault(9003, "ParameterKey longer than 32 characters");
    const table = yield* writableTable(view, objectName);
    const schema = ctx.compiled.schema.objects.get(table.schemaPath);
    const existing = yield* view.instancesOf(table.path, table.schemaPath);
    if (schema?.maxEntries !== undefined && existing.length >= schema.maxEntries)
      return yield* cwmpFault(9004, `${objectName} already has ${schema.maxEntries} entries`);
    const { state } = ctx;
    const keyBefore = state.parameterKey;
    const owner = ownerOf(ctx.providers, table.schemaPath);
    if (owner !== undefined) {
      if (owner.addInstance === undefined)
        return yield* cwmpFault(9005, `${objectName} is not a writable table`);
      const added = yield* Effect.mapError(owner.addInstance(table.path), providerFault);
      state.parameterKey = parameterKey;
      const saved = yield* Effect.either(ctx.persist);
      if (saved._tag === "Left") {
        state.parameterKey = keyBefore;
        if (owner.deleteInstance !== undefined)
          yield* Effect.ignore(owner.deleteInstance(`${table.path}${added.instanceNumber}.`));
        return yield* saved.left;
      }
      return { instanceNumber: added.instanceNumber, status: added.status };
    }
    const counterBefore = state.counters.get(table.path);
    const highest = Math.max(counterBefore ?? 0, ...existing);
    const instanceNumber = highest + 1;
    state.instances.set(table.path, [...existing, instanceNumber]);
    state.counters.set(table.path, instanceNumber);
    state.parameterKey = parameterKey;
    const saved = yield* Effect.either(ctx.persist);
    if (saved._tag === "Left") {
      if (existing.length > 0) state.instances.set(table.path, [...existing]);
      else state.instances.delete(table.path);
      if (counterBefore === undefined) state.counters.delete(table.path);
      else state.counters.set(table.path, counterBefore);
      state.parameterKey = keyBefore;
      return yield* saved.left;
    }
    return { instanceNumber, status: 0 };
  });
