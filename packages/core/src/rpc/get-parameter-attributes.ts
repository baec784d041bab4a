/**
 * GetParameterAttributes: notification and access-list attributes, from the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Answers the data model's attributes. */
export const getParameterAttributesHandler = rpcHandler(
  "GetParameterAttributes",
  ({ request, dataModel }) =>
    Effect.map(dataModel.getParameterAttributes(request.parameterNames), (parameterList) => ({
      _tag: "GetParameterAttributesResponse" as const,
      parameterList,
    })),
);
