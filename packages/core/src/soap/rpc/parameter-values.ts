/**
 * Codecs of GetParameterValues, SetParameterValues and their responses.
 * @module
 */
import type {
  GetParameterValues,
  GetParameterValuesResponse,
  SetParameterValues,
  SetParameterValuesResponse,
} from "../acs-methods.js";
import type { ApplyStatus } from "../rpc-structs.js";
import { arrayItems, type DecodeContext, type Located, reqInt, str, text } from "../xml-reader.js";
import { arrayEl, el, message, num, parameterValueList, stringItem } from "../xml-writer.js";
import { decodeParameterValueList } from "./parameter-value-list.js";

/** Decodes GetParameterValues; `ParameterNames` is required. */
export const decodeGetParameterValues = (e: Located, cx: DecodeContext): GetParameterValues => ({
  _tag: "GetParameterValues",
  parameterNames: arrayItems(e, "ParameterNames", cx, true).map(text),
});

/** Encodes GetParameterValues. */
export const encodeGetParameterValues = (m: GetParameterValues): string =>
  message(
    "GetParameterValues",
    arrayEl("ParameterNames", "xsd:string", m.parameterNames, stringItem),
  );

/** Decodes GetParameterValuesResponse; `ParameterList` is required. */
export const decodeGetParameterValuesResponse = (
  e: Located,
  cx: DecodeContext,
): GetParameterValuesResponse => ({
  _tag: "GetParameterValuesResponse",
  parameterList: decodeParameterValueList(e, "ParameterList", cx, true),
});

/** Encodes GetParameterValuesResponse. */
export const encodeGetParameterValuesResponse = (m: GetParameterValuesResponse): string =>
  message("GetParameterValuesResponse", parameterValueList(m.parameterList));

/**
 * Decodes SetParameterValues; `ParameterList` and each struct's `Value` are required (a missing
 * Value is never written as ""), a missing `ParameterKey` reads as "".
 */
export const decodeSetParameterValues = (e: Located, cx: DecodeContext): SetParameterValues => ({
  _tag: "SetParameterValues",
  parameterList: decodeParameterValueList(e, "ParameterList", cx, true, true),
  parameterKey: str(e, "ParameterKey", cx),
});

/** Encodes SetParameterValues. */
export const encodeSetParameterValues = (m: SetParameterValues): string =>
  message(
    "SetParameterValues",
    parameterValueList(m.parameterList) + el("ParameterKey", m.parameterKey),
  );

/** Decodes SetParameterValuesResponse; `Status` must be 0 or 1. */
export const decodeSetParameterValuesResponse = (e: Located): SetParameterValuesResponse => ({
  _tag: "SetParameterValuesResponse",
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
});

/** Encodes SetParameterValuesResponse. */
export const encodeSetParameterValuesResponse = (m: SetParameterValuesResponse): string =>
  message("SetParameterValuesResponse", num("Status", m.status));
