/**
 * Codecs of AddObject, DeleteObject and their responses.
 * @module
 */
import type {
  AddObject,
  AddObjectResponse,
  DeleteObject,
  DeleteObjectResponse,
} from "../acs-methods.js";
import type { ApplyStatus } from "../rpc-structs.js";
import { type DecodeContext, type Located, reqInt, reqStr, str, UINT_MAX } from "../xml-reader.js";
import { el, message, num } from "../xml-writer.js";

/** Decodes AddObject; `ObjectName` is required, a missing `ParameterKey` reads as "". */
export const decodeAddObject = (e: Located, cx: DecodeContext): AddObject => ({
  _tag: "AddObject",
  objectName: reqStr(e, "ObjectName"),
  parameterKey: str(e, "ParameterKey", cx),
});

/** Encodes AddObject. */
export const encodeAddObject = (m: AddObject): string =>
  message("AddObject", el("ObjectName", m.objectName) + el("ParameterKey", m.parameterKey));

/** Decodes AddObjectResponse. */
export const decodeAddObjectResponse = (e: Located): AddObjectResponse => ({
  _tag: "AddObjectResponse",
  instanceNumber: reqInt(e, "InstanceNumber", 1, UINT_MAX),
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
});

/** Encodes AddObjectResponse. */
export const encodeAddObjectResponse = (m: AddObjectResponse): string =>
  message("AddObjectResponse", num("InstanceNumber", m.instanceNumber) + num("Status", m.status));

/** Decodes DeleteObject. */
export const decodeDeleteObject = (e: Located, cx: DecodeContext): DeleteObject => ({
  _tag: "DeleteObject",
  objectName: reqStr(e, "ObjectName"),
  parameterKey: str(e, "ParameterKey", cx),
});

/** Encodes DeleteObject. */
export const encodeDeleteObject = (m: DeleteObject): string =>
  message("DeleteObject", el("ObjectName", m.objectName) + el("ParameterKey", m.parameterKey));

/** Decodes DeleteObjectResponse. */
export const decodeDeleteObjectResponse = (e: Located): DeleteObjectResponse => ({
  _tag: "DeleteObjectResponse",
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
});

/** Encodes DeleteObjectResponse. */
export const encodeDeleteObjectResponse = (m: DeleteObjectResponse): string =>
  message("DeleteObjectResponse", num("Status", m.status));
