/**
 * SetParameterValues (requirement sections 1.4, 1.11, 1.12): every value is checked before
 * anything is applied, and the call is all or nothing.
 *
 * Faults: 9003 for a name given twice or a ParameterKey over 32 characters; otherwise 9003
 * with one SetParameterValuesFault per bad parameter: 9005 unknown name (or a partial path),
 * 9008 not writable, 9006 an `xsi:type` incompatible with the parameter's type, 9007 a value
 * outside the type or facets (or an InformParameter naming a forced-inform parameter or listing
 * the `4 VALUE CHANGE` event, or an instance's Alias that another instance of its table has or
 * gets in the same call, or, with alias-based addressing, an Alias that is not a valid one).
 *
 * Providers are written one after the other, one batched `set` each; when one fails, the ones
 * already written get their old values back, and the provider's failure is the fault. Stored
 * values and the ParameterKey change last, together, and only when everything succeeded.
 * Values set by the ACS become the notification baseline: they never notify.
 * @module
 */
import { Effect } from "effect";
import {
  type CwmpFault,
  cwmpFault,
  faultString,
  type SetParameterValuesFault,
} from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type { ParameterChange, ParameterProvider } from "../ports/parameter-provider.js";
import { aliasConflicts } from "./alias-uniqueness.js";
import { MAX_PARAMETER_KEY, ownerOf, providerFault } from "./device-context.js";
import { eventListItems, VALUE_CHANGE_EVENT } from "./inform-parameters.js";
import { toSchemaPath } from "./instance-path.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { resolveName } from "./instance-tree.js";
import { effectiveNotification } from "./parameter-attributes.js";
import { readValues } from "./read-values.js";
import { isTypeCompatible, isValidValue } from "./value-check.js";

const entry = (parameterName: string, faultCode: number): SetParameterValuesFault => ({
  parameterName,
  faultCode,
  faultString: faultString(faultCode),
});

/** Checks one struct; the fault code of its first problem, or the node to write. */
const check = (
  view: TreeView,
  s: ParameterValueStruct,
): Effect.Effect<ParamNode | number, CwmpFault> =>
  Effect.gen(function* () {
    const { compiled, state, providers } = view.ctx;
    if (s.name.endsWith(".") || s.name.includes("*")) return 9005;
    const nodes = yield* Effect.either(resolveName(view, s.name, false));
    if (nodes._tag === "Left") return 9005;
    const node = nodes.right[0];
    if (node === undefined || node.kind !== "param") return 9005;
    const p = node.schema;
    if (p.access === "readOnly") return 9008;
    // Write-once parameters accept a first write only (a provider decides for its own).
    if (
      p.access === "writeOnceReadOnly" &&
      ownerOf(providers, p.path) === undefined &&
      state.values.has(node.path)
    )
      return 9008;
    if (!isTypeCompatible(s.type, p)) return 9006;
    if (!isValidValue(p, s.value, compiled.patterns.get(p.path))) return 9007;
    // An InformParameter row may not name a forced-inform parameter (they are always sent), nor
    // list `4 VALUE CHANGE` among its events (TR-181 InformParameter).
    const informTable = compiled.informParameterTable;
    if (
      informTable !== undefined &&
      p.path === `${informTable}ParameterName` &&
      compiled.forcedInform.includes(toSchemaPath(s.value.trim()))
    )
      return 9007;
    if (
      informTable !== undefined &&
      p.path === `${informTable}EventList` &&
      eventListItems(s.value).includes(VALUE_CHANGE_EVENT)
    )
      return 9007;
    return node;
  });

/** Sets values through providers in order; on a failure restores the ones already set. */
const applyToProviders = (
  batches: ReadonlyMap<ParameterProvider, { changes: ParameterChange[]; old: ParameterChange[] }>,
): Effect.Effect<0 | 1, CwmpFault> =>
  Effect.gen(function* () {
    const done: ParameterChange[][] = [];
    let status: 0 | 1 = 0;
    for (const [provider, { changes, old }] of batches) {
      const r = yield* Effect.either(provider.set(changes));
      if (r._tag === "Left") {
        const providersDone = [...batches.keys()].slice(0, done.length);
        // Best effort: a provider that cannot take its old value back leaves nothing else to do.
        yield* Effect.forEach(
          providersDone,
          (p, i) => Effect.ignore(p.set(done[i] as ParameterChange[])),
          { discard: true },
        );
        return yield* providerFault(r.left);
      }
      done.push(old);
      if (r.right.status === 1) status = 1;
    }
    return status;
  });

/** SetParameterValues on one device's tree. */
export const setParameterValues = (
  view: TreeView,
  list: readonly ParameterValueStruct[],
  parameterKey: string,
): Effect.Effect<0 | 1, CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    if (parameterKey.length > MAX_PARAMETER_KEY)
      return yield* cwmpFault(9003, "ParameterKey longer than 32 characters");
    const seen = new Set<string>();
    for (const s of list) {
      if (seen.has(s.name)) return yield* cwmpFault(9003, `Parameter ${s.name} given twice`);
      seen.add(s.name);
    }
    const faults: SetParameterValuesFault[] = [];
    const nodes: ParamNode[] = [];
    const values: string[] = [];
    const names: string[] = [];
    for (const s of list) {
      const r = yield* check(view, s);
      if (typeof r === "number") faults.push(entry(s.name, r));
      else {
        nodes.push(r);
        values.push(s.value);
        names.push(s.name);
      }
    }
    for (const i of yield* aliasConflicts(view, nodes, values))
      faults.push(entry(names[i] as string, 9007));
    if (faults.length > 0) return yield* cwmpFault(9003, undefined, faults);

    // Old values first (one batched read per provider), for rollback.
    const batches = new Map<
      ParameterProvider,
      { changes: ParameterChange[]; old: ParameterChange[] }
    >();
    const providerNodes: ParamNode[] = [];
    const stored: ParameterChange[] = [];
    nodes.forEach((n, i) => {
      const owner = ownerOf(ctx.providers, n.schema.path);
      const change = { path: n.path, value: values[i] as string };
      if (owner === undefined) {
        stored.push(change);
        return;
      }
      providerNodes.push(n);
      const b = batches.get(owner) ?? { changes: [], old: [] };
      b.changes.push(change);
      batches.set(owner, b);
    });
    const oldValues = yield* readValues(view, providerNodes);
    providerNodes.forEach((n, i) => {
      const owner = ownerOf(ctx.providers, n.schema.path) as ParameterProvider;
      batches.get(owner)?.old.push({ path: n.path, value: oldValues[i] as string });
    });

    const status = yield* applyToProviders(batches);

    const { state } = ctx;
    const undo: (() => void)[] = [];
    for (const { path, value } of stored) {
      const before = state.values.get(path);
      undo.push(() =>
        before === undefined ? state.values.delete(path) : state.values.set(path, before),
      );
      state.values.set(path, value);
    }
    const keyBefore = state.parameterKey;
    state.parameterKey = parameterKey;
    const saved = yield* Effect.either(ctx.persist);
    if (saved._tag === "Left") {
      for (const u of undo.reverse()) u();
      state.parameterKey = keyBefore;
      yield* Effect.forEach(batches, ([p, b]) => Effect.ignore(p.set(b.old)), { discard: true });
      return yield* saved.left;
    }
    const { lastKnown } = ctx.notifications;
    nodes.forEach((n, i) => {
      if (effectiveNotification(ctx, n) !== 0) lastKnown.set(n.path, values[i] as string);
    });
    return status;
  });
