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
 * - Alias-based addressing on: `Device.X.Table.[a].` adds an instance whose Alias is `a` (fault
 *   9003 when another instance has it, 9007 when `a` is no valid Alias); an instance added as
 *   `Device.X.Table.` gets the Alias `cpe-<n>` (TR-181 `Alias`: the agent names what the ACS
 *   did not; a provider that refuses that alias keeps its instance without one). Tables without
 *   an Alias parameter take no `[alias]` (9005).
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { MAX_PARAMETER_KEY, ownerOf, providerFault } from "./device-context.js";
import { aliasIndexOf, aliasSchemaPath, assignedAlias } from "./instance-alias.js";
import { isAliasSegment, isValidAlias } from "./instance-path.js";
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
    const aliasing = ctx.options.aliasBasedAddressing === true;
    const requested = aliasing ? requestedAlias(objectName) : undefined;
    const tableName =
      requested === undefined ? objectName : objectName.slice(0, -(requested.length + 3));
    const table = yield* writableTable(view, tableName);
    const schema = ctx.compiled.schema.objects.get(table.schemaPath);
    const aliasPath = aliasing ? aliasSchemaPath(view, table.schemaPath) : undefined;
    if (requested !== undefined) {
      if (aliasPath === undefined)
        return yield* cwmpFault(9005, `${tableName} has no Alias to address instances by`);
      if (!isValidAlias(requested))
        return yield* cwmpFault(9007, `[${requested}] is not a valid Alias`);
    }
    const existing = yield* view.instancesOf(table.path, table.schemaPath);
    if (schema?.maxEntries !== undefined && existing.length >= schema.maxEntries)
      return yield* cwmpFault(9004, `${tableName} already has ${schema.maxEntries} entries`);
    // The aliases in use; for a cpe-<n> alias only when they can be read (a provider that
    // cannot serve its Alias values gets instances without one, as before aliases).
    const index =
      aliasPath === undefined
        ? undefined
        : requested !== undefined
          ? yield* aliasIndexOf(view, table.path, table.schemaPath)
          : yield* Effect.orElseSucceed(
              aliasIndexOf(view, table.path, table.schemaPath),
              () => undefined,
            );
    const taken = index?.byAlias;
    if (requested !== undefined && taken?.has(requested))
      return yield* cwmpFault(9003, `an instance of ${tableName} already has Alias ${requested}`);
    const aliasFor = (n: number): string | undefined =>
      taken === undefined ? undefined : (requested ?? assignedAlias(n, taken));
    const { state } = ctx;
    const keyBefore = state.parameterKey;
    const owner = ownerOf(ctx.providers, table.schemaPath);
    if (owner !== undefined) {
      if (owner.addInstance === undefined)
        return yield* cwmpFault(9005, `${tableName} is not a writable table`);
      const added = yield* Effect.mapError(owner.addInstance(table.path), providerFault);
      const instance = `${table.path}${added.instanceNumber}.`;
      const alias = aliasFor(added.instanceNumber);
      const aliasOwner = aliasPath === undefined ? undefined : ownerOf(ctx.providers, aliasPath);
      const written =
        alias === undefined
          ? Effect.succeed(() => {})
          : writeAlias(view, aliasOwner, `${instance}Alias`, alias);
      // An alias the ACS asked for must be there, else no instance; a provider that takes no
      // cpe-<n> alias of its own choosing keeps its instance without one.
      const undoAlias =
        requested === undefined
          ? yield* Effect.orElseSucceed(written, () => () => {})
          : yield* Effect.tapError(written, () =>
              owner.deleteInstance === undefined
                ? Effect.void
                : Effect.ignore(owner.deleteInstance(instance)),
            );
      state.parameterKey = parameterKey;
      const saved = yield* Effect.either(ctx.persist);
      if (saved._tag === "Left") {
        state.parameterKey = keyBefore;
        undoAlias();
        if (owner.deleteInstance !== undefined)
          yield* Effect.ignore(owner.deleteInstance(instance));
        return yield* saved.left;
      }
      return { instanceNumber: added.instanceNumber, status: added.status };
    }
    const counterBefore = state.counters.get(table.path);
    const highest = Math.max(counterBefore ?? 0, ...existing);
    const instanceNumber = highest + 1;
    const alias = aliasFor(instanceNumber);
    const aliasKey = `${table.path}${instanceNumber}.Alias`;
    state.instances.set(table.path, [...existing, instanceNumber]);
    state.counters.set(table.path, instanceNumber);
    if (alias !== undefined) state.values.set(aliasKey, alias);
    state.parameterKey = parameterKey;
    const saved = yield* Effect.either(ctx.persist);
    if (saved._tag === "Left") {
      if (existing.length > 0) state.instances.set(table.path, [...existing]);
      else state.instances.delete(table.path);
      if (counterBefore === undefined) state.counters.delete(table.path);
      else state.counters.set(table.path, counterBefore);
      state.values.delete(aliasKey);
      state.parameterKey = keyBefore;
      return yield* saved.left;
    }
    return { instanceNumber, status: 0 };
  });

/** The alias of an AddObject name ending in `[alias].`, if it ends so. */
const requestedAlias = (objectName: string): string | undefined => {
  if (!objectName.endsWith("].")) return undefined;
  const start = objectName.lastIndexOf(".[", objectName.length - 3);
  if (start < 0) return undefined;
  const segment = objectName.slice(start + 1, -1);
  return isAliasSegment(segment) ? segment.slice(1, -1) : undefined;
};

/**
 * Writes a new instance's Alias: through its provider when one serves it, else into the stored
 * values. Gives back how to take the stored write back (a provider's instance goes as a whole).
 */
const writeAlias = (
  view: TreeView,
  owner: ParameterProvider | undefined,
  path: string,
  alias: string,
): Effect.Effect<() => void, CwmpFault> => {
  if (owner !== undefined)
    return Effect.as(Effect.mapError(owner.set([{ path, value: alias }]), providerFault), () => {});
  const { values } = view.ctx.state;
  values.set(path, alias);
  return Effect.succeed(() => {
    values.delete(path);
  });
};
