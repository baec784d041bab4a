/**
 * DeleteObject: removes an instance, in the data model.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Deletes the instance. */
export const deleteObjectHandler = rpcHandler("DeleteObject", ({ request, dataModel }) =>
  Effect.map(dataModel.deleteObject(request.objectName, request.parameterKey), (status) => ({
    _tag: "DeleteObjectResponse" as const,
    status,
  })),
);
