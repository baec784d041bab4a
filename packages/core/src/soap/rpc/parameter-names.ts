/**
 * Codecs of GetParameterNames and its response.
 * @module
 */
import type { GetParameterNames, GetParameterNamesResponse } from "../acs-methods.js";
import {
  arrayItems,
  bool,
  boolOf,
  type DecodeContext,
  type Located,
  reqStr,
  requireChild,
  text,
} from "../xml-reader.js";
import { arrayEl, bool as boolEl, el, message } from "../xml-writer.js";

/** Decodes GetParameterNames; `ParameterPath` is required, a missing `NextLevel` reads as false. */
export const decodeGetParameterNames = (e: Located, cx: DecodeContext): GetParameterNames => ({
  _tag: "GetParameterNames",
  parameterPath: reqStr(e, "ParameterPath"),
  nextLevel: bool(e, "NextLevel", cx),
});

/** Encodes GetParameterNames. */
export const encodeGetParameterNames = (m: GetParameterNames): string =>
  message(
    "GetParameterNames",
    el("ParameterPath", m.parameterPath) + boolEl("NextLevel", m.nextLevel),
  );

/** Decodes GetParameterNamesResponse. */
export const decodeGetParameterNamesResponse = (
  e: Located,
  cx: DecodeContext,
): GetParameterNamesResponse => ({
  _tag: "GetParameterNamesResponse",
  parameterList: arrayItems(e, "ParameterList", cx, true).map((i) => ({
    name: text(requireChild(i, "Name")),
    writable: boolOf(requireChild(i, "Writable")),
  })),
});

/** Encodes GetParameterNamesResponse. */
export const encodeGetParameterNamesResponse = (m: GetParameterNamesResponse): string =>
  message(
    "GetParameterNamesResponse",
    arrayEl(
      "ParameterList",
      "cwmp:ParameterInfoStruct",
      m.parameterList,
      (p) =>
        `<ParameterInfoStruct>${el("Name", p.name)}${boolEl("Writable", p.writable)}</ParameterInfoStruct>`,
    ),
  );
