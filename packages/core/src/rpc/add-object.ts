/**
 * AddObject: a new instance of a table, with a number never reused (§1.12), in the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Creates the instance and answers its number. */
export const addObjectHandler = rpcHandler("AddObject", ({ request, dataModel }) =>
  Effect.map(
    dataModel.addObject(request.objectName, request.parameterKey),
    ({ instanceNumber, status }) => ({
      _tag: "AddObjectResponse" as const,
      instanceNumber,
      status,
    }),
  ),
);
