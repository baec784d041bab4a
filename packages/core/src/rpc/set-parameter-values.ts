/**
 * SetParameterValues: all or nothing, ParameterKey on success only (§1.11), in the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Applies the values; a refusal is the data model's fault 9003 with per-parameter faults. */
export const setParameterValuesHandler = rpcHandler(
  "SetParameterValues",
  ({ request, dataModel }) =>
    Effect.map(
      dataModel.setParameterValues(request.parameterList, request.parameterKey),
      (status) => ({ _tag: "SetParameterValuesResponse" as const, status }),
    ),
);
