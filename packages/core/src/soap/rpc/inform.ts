/**
 * Codecs of Inform and InformResponse. `MaxEnvelopes` is carried as received and defaults to 1
 * when absent (H4: sent as 1, ignored on receipt).
 * @module
 */
import type { DeviceIdStruct, EventStruct } from "../../cwmp/structs.js";
import type { Inform, InformResponse } from "../cpe-methods.js";
import {
  arrayItems,
  type DecodeContext,
  dateTime,
  int,
  type Located,
  requireChild,
  str,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, el, message, num, parameterValueList } from "../xml-writer.js";
import { decodeParameterValueList } from "./parameter-value-list.js";

const decodeDeviceId = (e: Located, cx: DecodeContext): DeviceIdStruct => ({
  manufacturer: str(e, "Manufacturer", cx),
  oui: str(e, "OUI", cx),
  productClass: str(e, "ProductClass", cx),
  serialNumber: str(e, "SerialNumber", cx),
});

/** Decodes Inform; `DeviceId` is required, the rest defaults with a warning. */
export const decodeInform = (e: Located, cx: DecodeContext): Inform => ({
  _tag: "Inform",
  deviceId: decodeDeviceId(requireChild(e, "DeviceId"), cx),
  event: arrayItems(e, "Event", cx, false).map(
    (i): EventStruct => ({
      eventCode: str(i, "EventCode", cx),
      commandKey: str(i, "CommandKey", cx),
    }),
  ),
  maxEnvelopes: int(e, "MaxEnvelopes", cx, 0, UINT_MAX, 1),
  currentTime: dateTime(e, "CurrentTime", cx),
  retryCount: int(e, "RetryCount", cx, 0, UINT_MAX),
  parameterList: decodeParameterValueList(e, "ParameterList", cx, false),
});

/** Encodes Inform. */
export const encodeInform = (m: Inform): string =>
  message(
    "Inform",
    `<DeviceId>${el("Manufacturer", m.deviceId.manufacturer)}${el("OUI", m.deviceId.oui)}${el("ProductClass", m.deviceId.productClass)}${el("SerialNumber", m.deviceId.serialNumber)}</DeviceId>` +
      arrayEl(
        "Event",
        "cwmp:EventStruct",
        m.event,
        (ev) =>
          `<EventStruct>${el("EventCode", ev.eventCode)}${el("CommandKey", ev.commandKey)}</EventStruct>`,
      ) +
      num("MaxEnvelopes", m.maxEnvelopes) +
      el("CurrentTime", m.currentTime) +
      num("RetryCount", m.retryCount) +
      parameterValueList(m.parameterList),
  );

/** Decodes InformResponse; a missing `MaxEnvelopes` reads as 1. */
export const decodeInformResponse = (e: Located, cx: DecodeContext): InformResponse => ({
  _tag: "InformResponse",
  maxEnvelopes: int(e, "MaxEnvelopes", cx, 0, UINT_MAX, 1),
});

/** Encodes InformResponse. */
export const encodeInformResponse = (m: InformResponse): string =>
  message("InformResponse", num("MaxEnvelopes", m.maxEnvelopes));
