/**
 * Reads the current values of parameters: one batched `get` per provider involved, the rest
 * from the device's state (written value, else schema default). `NumberOfEntries` parameters
 * count the instances of their table.
 * @module
 */
import { Effect, Exit } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { ownerOf, providerFault } from "./device-context.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { parentSchemaPath } from "./schema.js";
import { mapNow, settledNow } from "./settled-now.js";
import { zeroValue } from "./value-check.js";

/** The value a store-owned parameter reads as when nothing is written. */
export const defaultValueOf = (node: ParamNode): string =>
  node.schema.default ?? zeroValue(node.schema.type);

/** The NumberOfEntries value of a counter parameter. */
const entriesCount = (view: TreeView, node: ParamNode, counted: string) => {
  // The table sits in the same object as its counter: `X.TableNumberOfEntries` counts `X.Table.`.
  const tableName = counted.slice((parentSchemaPath(counted) ?? "").length, -".{i}.".length);
  const table = `${node.path.slice(0, node.path.lastIndexOf(".") + 1)}${tableName}.`;
  return mapNow(view.instancesOf(table, counted), (l) => String(l.length));
};

/**
 * Current values of `nodes`, in the same order. Values of hidden parameters are read as they
 * are; hiding them is the caller's business (GetParameterValues reads them as "").
 */
export const readValues = (
  view: TreeView,
  nodes: readonly ParamNode[],
): Effect.Effect<readonly string[], CwmpFault> => {
  const values: string[] = new Array(nodes.length);
  const batches = new Map<ParameterProvider, number[]>();
  /** Indexes of NumberOfEntries parameters whose table a provider lists: read below. */
  const counters: number[] = [];
  const fixed = view.ctx.fixedValues;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as ParamNode;
    const fixedValue = fixed === undefined ? undefined : fixed.get(node.path);
    if (fixedValue !== undefined) {
      values[i] = fixedValue;
      continue;
    }
    // ParameterKey and NumberOfEntries always come from the runtime's own bookkeeping (the
    // latter from the table's instance list, which a provider answers for its tables).
    const owner =
      node.path === view.ctx.compiled.parameterKeyPath || node.schema.countsEntriesOf
        ? undefined
        : ownerOf(view.ctx.providers, node.schema.path);
    if (owner === undefined) {
      // Plain stored values are read synchronously: GPV of a whole tree is mostly these.
      if (node.path === view.ctx.compiled.parameterKeyPath) values[i] = view.ctx.state.parameterKey;
      else if (node.schema.countsEntriesOf !== undefined) {
        // A stored table's instances settle at once; a provider's are read below.
        const count = settledNow(entriesCount(view, node, node.schema.countsEntriesOf));
        if (count !== undefined && Exit.isSuccess(count)) values[i] = count.value;
        else counters.push(i);
      } else values[i] = view.ctx.state.values.get(node.path) ?? defaultValueOf(node);
      continue;
    }
    let batch = batches.get(owner);
    if (batch === undefined) {
      batch = [];
      batches.set(owner, batch);
    }
    batch.push(i);
  }
  // Only stored values (the agent's own settings, most RPCs): no step of a fiber (issue 11).
  if (counters.length === 0 && batches.size === 0) return Effect.succeed(values);
  return Effect.gen(function* () {
    for (const i of counters) {
      const node = nodes[i] as ParamNode;
      values[i] = yield* entriesCount(view, node, node.schema.countsEntriesOf as string);
    }
    yield* Effect.forEach(
      batches,
      ([provider, indexes]) =>
        Effect.gen(function* () {
          const paths = indexes.map((i) => (nodes[i] as ParamNode).path);
          const got = yield* Effect.mapError(provider.get(paths), providerFault);
          for (const i of indexes) {
            const path = (nodes[i] as ParamNode).path;
            const v = got.get(path);
            if (v === undefined)
              return yield* cwmpFault(9002, `provider ${provider.name} gave no value for ${path}`);
            values[i] = v;
          }
        }),
      // One provider (the usual case) needs no concurrent machinery.
      batches.size > 1 ? { concurrency: "unbounded", discard: true } : { discard: true },
    );
    return values;
  });
};
