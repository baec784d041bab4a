/**
 * Test support: the read side of a data model over a fixed map of values, for components that
 * only read a few `ManagementServer` settings.
 * @module
 */
import { Effect } from "effect";
import { cwmpFault } from "../../cwmp/fault.js";
import type { DataModel } from "../data-model.js";

/** Reads the first name asked for from `values`; a name not there is fault 9005. */
export const valuesReader = (
  values: Readonly<Record<string, string>>,
): Pick<DataModel, "getParameterValues"> => ({
  getParameterValues: (names) => {
    const name = names[0] ?? "";
    const value = values[name];
    return value === undefined
      ? Effect.fail(cwmpFault(9005, name))
      : Effect.succeed([{ name, value, type: "string" as const }]);
  },
});
