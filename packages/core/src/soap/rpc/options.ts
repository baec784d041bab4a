/**
 * Codecs of SetVouchers, GetOptions and their responses.
 * @module
 */
import type {
  GetOptions,
  GetOptionsResponse,
  SetVouchers,
  SetVouchersResponse,
} from "../acs-methods.js";
import type { OptionStruct } from "../rpc-structs.js";
import {
  arrayItems,
  type DecodeContext,
  dateTime,
  INT_MAX,
  INT_MIN,
  int,
  type Located,
  optStr,
  str,
  text,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, el, message, num } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

/** Decodes SetVouchers. */
export const decodeSetVouchers = (e: Located, cx: DecodeContext): SetVouchers => ({
  _tag: "SetVouchers",
  voucherList: arrayItems(e, "VoucherList", cx, true).map(text),
});

/** Encodes SetVouchers (items are `base64` elements, `soap-enc:base64[N]`). */
export const encodeSetVouchers = (m: SetVouchers): string =>
  message(
    "SetVouchers",
    arrayEl("VoucherList", "soap-enc:base64", m.voucherList, (v) => el("base64", v)),
  );

/** Codec of SetVouchersResponse (no fields). */
export const setVouchersResponse: MessageCodec<SetVouchersResponse> =
  emptyCodec("SetVouchersResponse");

/** Decodes GetOptions. */
export const decodeGetOptions = (e: Located, cx: DecodeContext): GetOptions => ({
  _tag: "GetOptions",
  optionName: str(e, "OptionName", cx),
});

/** Encodes GetOptions. */
export const encodeGetOptions = (m: GetOptions): string =>
  message("GetOptions", el("OptionName", m.optionName));

const decodeOption = (i: Located, cx: DecodeContext): OptionStruct => {
  const expirationDate = optStr(i, "ExpirationDate");
  return {
    optionName: str(i, "OptionName", cx),
    voucherSn: int(i, "VoucherSN", cx, 0, UINT_MAX),
    state: int(i, "State", cx, 0, UINT_MAX),
    mode: int(i, "Mode", cx, INT_MIN, INT_MAX),
    startDate: dateTime(i, "StartDate", cx),
    ...(expirationDate === undefined ? {} : { expirationDate: expirationDate.trim() }),
    isTransferable: int(i, "IsTransferable", cx, INT_MIN, INT_MAX),
  };
};

/** Decodes GetOptionsResponse. */
export const decodeGetOptionsResponse = (e: Located, cx: DecodeContext): GetOptionsResponse => ({
  _tag: "GetOptionsResponse",
  optionList: arrayItems(e, "OptionList", cx, false).map((i) => decodeOption(i, cx)),
});

const encodeOption = (o: OptionStruct): string =>
  `<OptionStruct>${el("OptionName", o.optionName)}${num("VoucherSN", o.voucherSn)}${num("State", o.state)}${num("Mode", o.mode)}${el("StartDate", o.startDate)}${o.expirationDate === undefined ? "" : el("ExpirationDate", o.expirationDate)}${num("IsTransferable", o.isTransferable)}</OptionStruct>`;

/** Encodes GetOptionsResponse. */
export const encodeGetOptionsResponse = (m: GetOptionsResponse): string =>
  message(
    "GetOptionsResponse",
    arrayEl("OptionList", "cwmp:OptionStruct", m.optionList, encodeOption),
  );
