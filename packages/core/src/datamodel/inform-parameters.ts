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
import type { ParamNode, TreeNode, TreeView } from "./instance-tree.js";
import { expandSchemaPath, parametersOf, resolveName } from "./instance-tree.js";
import { readValues } from "./read-values.js";
import { flatMapNow, forEachNow, mapNow, orElseSucceedNow } from "./settled-now.js";
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
): Effect.Effect<readonly ParamNode[], CwmpFault> => {
  const table = view.ctx.compiled.informParameterTable;
  if (table === undefined) return Effect.succeed([]);
  const enable = param(view, `${table}Enable`);
  const name = param(view, `${table}ParameterName`);
  const events = param(view, `${table}EventList`);
  if (enable === undefined || name === undefined) return Effect.succeed([]);
  const tablePath = table.slice(0, -"{i}.".length);
  /** The parameters row `n` names, when it is enabled and applies. */
  const rowParameters = (n: number): Effect.Effect<readonly ParamNode[], CwmpFault> => {
    const at = (p: ParamNode): ParamNode => ({
      ...p,
      path: `${tablePath}${n}.${p.path.slice(table.length)}`,
    });
    const row = [at(enable), at(name), ...(events ? [at(events)] : [])];
    return flatMapNow(readValues(view, row), ([on, target, eventList]) => {
      if ((on !== "true" && on !== "1") || target === undefined || target === "")
        return Effect.succeed([]);
      if (eventCodes !== undefined && !rowApplies(eventListItems(eventList ?? ""), eventCodes))
        return Effect.succeed([]);
      // A row naming nothing that exists (any more) is skipped, not a failure of the Inform.
      return flatMapNow(resolvedOrNone(view, target, true), (nodes) =>
        mapNow(
          forEachNow(nodes, (node) => parametersOf(view, node)),
          (lists) => lists.flat(),
        ),
      );
    });
  };
  return flatMapNow(view.instancesOf(tablePath, table), (numbers) =>
    mapNow(forEachNow(numbers, rowParameters), (lists) => lists.flat()),
  );
};

/** The nodes `name` designates; none when it designates nothing. */
const resolvedOrNone = (
  view: TreeView,
  name: string,
  wildcards: boolean,
): Effect.Effect<readonly TreeNode[]> =>
  orElseSucceedNow(resolveName(view, name, wildcards), (): readonly TreeNode[] => []);

/**
 * Builds the Inform ParameterList; `eventCodes` are the Inform's events (all rows apply when
 * omitted). Every read that settles at once is taken in place (`settled-now.ts`): the list is
 * built for every Inform, mostly from the schema and stored values (issue 11).
 */
export const informParameters = (
  view: TreeView,
  eventCodes?: readonly string[],
): Effect.Effect<ParameterValueStruct[], CwmpFault> => {
  const ctx = view.ctx;
  const forced = forEachNow(ctx.compiled.forcedInform, (schemaPath) =>
    expandSchemaPath(view, schemaPath),
  );
  return flatMapNow(forced, (forcedLists) => {
    // Made here, not outside: an effect that did not settle builds its own list at each run.
    const byPath = new Map<string, ParamNode>();
    for (const list of forcedLists) for (const n of list) byPath.set(n.path, n);
    return flatMapNow(informParameterRows(view, eventCodes), (rows) => {
      for (const n of rows) if (!byPath.has(n.path)) byPath.set(n.path, n);
      const notified = [...ctx.notifications.pending].filter(
        ([path, notification]) => isInformReport(notification) && !byPath.has(path),
      );
      return flatMapNow(
        forEachNow(notified, ([path]) => resolvedOrNone(view, path, false)),
        (resolved) => {
          resolved.forEach((nodes, i) => {
            const node = nodes[0];
            const path = notified[i]?.[0] as string;
            if (node?.kind === "param") byPath.set(path, node);
          });
          return valueStructs(view, [...byPath.values()]);
        },
      );
    });
  });
};
