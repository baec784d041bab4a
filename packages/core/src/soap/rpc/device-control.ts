/**
 * Codecs of GetRPCMethods, Reboot, FactoryReset, ScheduleInform and their responses.
 * @module
 */
import type {
  FactoryReset,
  FactoryResetResponse,
  GetRPCMethods,
  GetRPCMethodsResponse,
  Reboot,
  RebootResponse,
  ScheduleInform,
  ScheduleInformResponse,
} from "../acs-methods.js";
import {
  arrayItems,
  type DecodeContext,
  int,
  type Located,
  str,
  text,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, el, message, num, stringItem } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

/** Codec of GetRPCMethods (no fields). */
export const getRPCMethods: MessageCodec<GetRPCMethods> = emptyCodec("GetRPCMethods");

/** Decodes GetRPCMethodsResponse. */
export const decodeGetRPCMethodsResponse = (
  e: Located,
  cx: DecodeContext,
): GetRPCMethodsResponse => ({
  _tag: "GetRPCMethodsResponse",
  methodList: arrayItems(e, "MethodList", cx, false).map(text),
});

/** Encodes GetRPCMethodsResponse. */
export const encodeGetRPCMethodsResponse = (m: GetRPCMethodsResponse): string =>
  message("GetRPCMethodsResponse", arrayEl("MethodList", "xsd:string", m.methodList, stringItem));

/** Decodes Reboot; a missing `CommandKey` reads as "". */
export const decodeReboot = (e: Located, cx: DecodeContext): Reboot => ({
  _tag: "Reboot",
  commandKey: str(e, "CommandKey", cx),
});

/** Encodes Reboot. */
export const encodeReboot = (m: Reboot): string =>
  message("Reboot", el("CommandKey", m.commandKey));

/** Codec of RebootResponse (no fields). */
export const rebootResponse: MessageCodec<RebootResponse> = emptyCodec("RebootResponse");
/** Codec of FactoryReset (no fields). */
export const factoryReset: MessageCodec<FactoryReset> = emptyCodec("FactoryReset");
/** Codec of FactoryResetResponse (no fields). */
export const factoryResetResponse: MessageCodec<FactoryResetResponse> =
  emptyCodec("FactoryResetResponse");

/** Decodes ScheduleInform. */
export const decodeScheduleInform = (e: Located, cx: DecodeContext): ScheduleInform => ({
  _tag: "ScheduleInform",
  delaySeconds: int(e, "DelaySeconds", cx, 0, UINT_MAX),
  commandKey: str(e, "CommandKey", cx),
});

/** Encodes ScheduleInform. */
export const encodeScheduleInform = (m: ScheduleInform): string =>
  message("ScheduleInform", num("DelaySeconds", m.delaySeconds) + el("CommandKey", m.commandKey));

/** Codec of ScheduleInformResponse (no fields). */
export const scheduleInformResponse: MessageCodec<ScheduleInformResponse> =
  emptyCodec("ScheduleInformResponse");
