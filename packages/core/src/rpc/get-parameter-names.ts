/**
 * GetParameterNames: names under a path with the NextLevel rules of §1.12, from the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Answers the data model's names and writability. */
export const getParameterNamesHandler = rpcHandler("GetParameterNames", ({ request, dataModel }) =>
  Effect.map(
    dataModel.getParameterNames(request.parameterPath, request.nextLevel),
    (parameterList) => ({ _tag: "GetParameterNamesResponse" as const, parameterList }),
  ),
);
