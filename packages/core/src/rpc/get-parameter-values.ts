/**
 * GetParameterValues: values of full names and partial paths, from the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Answers the data model's values (faults such as 9005 come from the data model). */
export const getParameterValuesHandler = rpcHandler(
  "GetParameterValues",
  ({ request, dataModel }) =>
    Effect.map(dataModel.getParameterValues(request.parameterNames), (parameterList) => ({
      _tag: "GetParameterValuesResponse" as const,
      parameterList,
    })),
);
