/**
 * Codecs of SetParameterAttributes, GetParameterAttributes and their responses.
 * @module
 */
import type { Notification } from "../../cwmp/structs.js";
import type {
  GetParameterAttributes,
  GetParameterAttributesResponse,
  SetParameterAttributes,
  SetParameterAttributesResponse,
} from "../acs-methods.js";
import {
  arrayItems,
  bool,
  type DecodeContext,
  type Located,
  reqInt,
  reqStr,
  text,
} from "../xml-reader.js";
import { arrayEl, bool as boolEl, el, message, num, stringItem } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

// Notification 3..6 exist from CWMP 1.4 (V8); older values are a subset, so one range serves all.
const notificationOf = (e: Located): Notification =>
  reqInt(e, "Notification", 0, 6) as Notification;

const accessListOf = (e: Located, cx: DecodeContext): string[] =>
  arrayItems(e, "AccessList", cx, false).map(text);

const accessListEl = (list: readonly string[]): string =>
  arrayEl("AccessList", "xsd:string", list, stringItem);

/** Decodes SetParameterAttributes. */
export const decodeSetParameterAttributes = (
  e: Located,
  cx: DecodeContext,
): SetParameterAttributes => ({
  _tag: "SetParameterAttributes",
  parameterList: arrayItems(e, "ParameterList", cx, true).map((i) => ({
    name: reqStr(i, "Name"),
    notificationChange: bool(i, "NotificationChange", cx),
    notification: notificationOf(i),
    accessListChange: bool(i, "AccessListChange", cx),
    accessList: accessListOf(i, cx),
  })),
});

/** Encodes SetParameterAttributes. */
export const encodeSetParameterAttributes = (m: SetParameterAttributes): string =>
  message(
    "SetParameterAttributes",
    arrayEl(
      "ParameterList",
      "cwmp:SetParameterAttributesStruct",
      m.parameterList,
      (p) =>
        `<SetParameterAttributesStruct>${el("Name", p.name)}${boolEl("NotificationChange", p.notificationChange)}${num("Notification", p.notification)}${boolEl("AccessListChange", p.accessListChange)}${accessListEl(p.accessList)}</SetParameterAttributesStruct>`,
    ),
  );

/** Codec of SetParameterAttributesResponse (no fields). */
export const setParameterAttributesResponse: MessageCodec<SetParameterAttributesResponse> =
  emptyCodec("SetParameterAttributesResponse");

/** Decodes GetParameterAttributes. */
export const decodeGetParameterAttributes = (
  e: Located,
  cx: DecodeContext,
): GetParameterAttributes => ({
  _tag: "GetParameterAttributes",
  parameterNames: arrayItems(e, "ParameterNames", cx, true).map(text),
});

/** Encodes GetParameterAttributes. */
export const encodeGetParameterAttributes = (m: GetParameterAttributes): string =>
  message(
    "GetParameterAttributes",
    arrayEl("ParameterNames", "xsd:string", m.parameterNames, stringItem),
  );

/** Decodes GetParameterAttributesResponse. */
export const decodeGetParameterAttributesResponse = (
  e: Located,
  cx: DecodeContext,
): GetParameterAttributesResponse => ({
  _tag: "GetParameterAttributesResponse",
  parameterList: arrayItems(e, "ParameterList", cx, true).map((i) => ({
    name: reqStr(i, "Name"),
    notification: notificationOf(i),
    accessList: accessListOf(i, cx),
  })),
});

/** Encodes GetParameterAttributesResponse. */
export const encodeGetParameterAttributesResponse = (m: GetParameterAttributesResponse): string =>
  message(
    "GetParameterAttributesResponse",
    arrayEl(
      "ParameterList",
      "cwmp:ParameterAttributeStruct",
      m.parameterList,
      (p) =>
        `<ParameterAttributeStruct>${el("Name", p.name)}${num("Notification", p.notification)}${accessListEl(p.accessList)}</ParameterAttributeStruct>`,
    ),
  );
