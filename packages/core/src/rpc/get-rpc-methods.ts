/**
 * GetRPCMethods (ACS -> CPE, required): the methods registered now, so the answer always
 * matches what the registry dispatches.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Answers the registry's method names. */
export const getRpcMethodsHandler = rpcHandler("GetRPCMethods", ({ methods }) =>
  Effect.succeed({ _tag: "GetRPCMethodsResponse", methodList: methods() }),
);
