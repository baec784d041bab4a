/**
 * SetParameterAttributes: notification and access-list changes (9009 for a refused active
 * notification), in the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Applies the attribute changes. */
export const setParameterAttributesHandler = rpcHandler(
  "SetParameterAttributes",
  ({ request, dataModel }) =>
    Effect.as(dataModel.setParameterAttributes(request.parameterList), {
      _tag: "SetParameterAttributesResponse" as const,
    }),
);
