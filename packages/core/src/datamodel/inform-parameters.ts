/**
 * The ParameterList of an Inform (requirement sections 1.5, 1.11): forced-inform parameters,
 * then the parameters named by enabled `ManagementServer.InformParameter.{i}` rows whose
 * EventList shares an event with the Inform (an empty EventList: any event but
 * `4 VALUE CHANGE`), then pending notified parameters;
 * each with its current value, each once.
 * @module
 */
import { Effect } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { valueStructs } from "./get-parameter-values.js";
import type { ParamNode, TreeView } from "./instance-tree.js";
import { expandSchemaPath, parametersOf, resolveName } from "./instance-tree.js";
import { readValues } from "./read-values.js";
import { isInformReport } from "./value-change-tracking.js";

/**
 * The one event an InformParameter EventList may not name (TR-181 EventList, after TR-069
 * A.3.3.1: what a value change reports is set by notification attributes alone); an empty
 * EventList means every event but this one.
 */
export const VALUE_CHANGE_EVENT = "4 VALUE CHANGE";

/** The event codes of an EventList value (a comma list; blanks around items ignored). */
export const eventListItems = (value: string): string[] =>
  value
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");

/** True when a row whose EventList holds `wanted` applies to an Inform carrying `eventCodes`. */
const rowApplies = (wanted: readonly string[], eventCodes: readonly string[]): boolean =>
  wanted.length > 0
    ? wanted.some((e) => eventCodes.includes(e))
    : eventCodes.some((e) => e !== VALUE_CHANGE_EVENT);

const param = (view: TreeView, path: string): ParamNode | undefined => {
  const p = view.ctx.compiled.schema.parameters.get(path);
  return p === undefined ? undefined : { kind: "param", path, schema: p };
};

/** Parameters named by the enabled InformParameter rows that apply to `eventCodes`. */
const informParameterRows = (
  view: TreeView,
  eventCodes: readonly string[] | undefined,
): Effect.Effect<readonly ParamNode[], CwmpFault> =>
  Effect.gen(function* () {
    const table = view.ctx.compiled.informParameterTable;
    if (table === undefined) return [];
    const enable = param(view, `${table}Enable`);
    const name = param(view, `${table}ParameterName`);
    const events = param(view, `${table}EventList`);
    if (enable === undefined || name === undefined) return [];
    const tablePath = table.slice(0, -"{i}.".length);
    const numbers = yield* view.instancesOf(tablePath, table);
    const out: ParamNode[] = [];
    for (const n of numbers) {
      const at = (p: ParamNode): ParamNode => ({
        ...p,
        path: `${tablePath}${n}.${p.path.slice(table.length)}`,
      });
      const row = [at(enable), at(name), ...(events ? [at(events)] : [])];
      const [on, target, eventList] = yield* readValues(view, row);
      if ((on !== "true" && on !== "1") || target === undefined || target === "") continue;
      if (eventCodes !== undefined && !rowApplies(eventListItems(eventList ?? ""), eventCodes))
        continue;
      // A row naming nothing that exists (any more) is skipped, not a failure of the Inform.
      const nodes = yield* Effect.orElseSucceed(resolveName(view, target, true), () => []);
      for (const node of nodes) out.push(...(yield* parametersOf(view, node)));
    }
    return out;
  });

/** Builds the Inform ParameterList; `eventCodes` are the Inform's events (all rows apply when omitted). */
export const informParameters = (
  view: TreeView,
  eventCodes?: readonly string[],
): Effect.Effect<ParameterValueStruct[], CwmpFault> =>
  Effect.gen(function* () {
    const ctx = view.ctx;
    const byPath = new Map<string, ParamNode>();
    for (const schemaPath of ctx.compiled.forcedInform)
      for (const n of yield* expandSchemaPath(view, schemaPath)) byPath.set(n.path, n);
    for (const n of yield* informParameterRows(view, eventCodes))
      if (!byPath.has(n.path)) byPath.set(n.path, n);
    for (const [path, notification] of ctx.notifications.pending) {
      if (!isInformReport(notification) || byPath.has(path)) continue;
      const nodes = yield* Effect.orElseSucceed(resolveName(view, path, false), () => []);
      const node = nodes[0];
      if (node?.kind === "param") byPath.set(path, node);
    }
    return yield* valueStructs(view, [...byPath.values()]);
  });
