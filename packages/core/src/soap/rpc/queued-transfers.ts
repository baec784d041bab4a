/**
 * Codecs of GetQueuedTransfers, GetAllQueuedTransfers and their responses.
 * @module
 */
import type {
  GetAllQueuedTransfers,
  GetAllQueuedTransfersResponse,
  GetQueuedTransfers,
  GetQueuedTransfersResponse,
} from "../acs-methods.js";
import type {
  AllQueuedTransferStruct,
  QueuedTransferStruct,
  TransferState,
} from "../rpc-structs.js";
import {
  arrayItems,
  bool,
  type DecodeContext,
  int,
  type Located,
  reqInt,
  str,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, bool as boolEl, el, message, num } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

const stateOf = (i: Located): TransferState => reqInt(i, "State", 1, 3) as TransferState;

/** Codec of GetQueuedTransfers (no fields). */
export const getQueuedTransfers: MessageCodec<GetQueuedTransfers> =
  emptyCodec("GetQueuedTransfers");

/** Decodes GetQueuedTransfersResponse. */
export const decodeGetQueuedTransfersResponse = (
  e: Located,
  cx: DecodeContext,
): GetQueuedTransfersResponse => ({
  _tag: "GetQueuedTransfersResponse",
  transferList: arrayItems(e, "TransferList", cx, false).map(
    (i): QueuedTransferStruct => ({ commandKey: str(i, "CommandKey", cx), state: stateOf(i) }),
  ),
});

/** Encodes GetQueuedTransfersResponse. */
export const encodeGetQueuedTransfersResponse = (m: GetQueuedTransfersResponse): string =>
  message(
    "GetQueuedTransfersResponse",
    arrayEl(
      "TransferList",
      "cwmp:QueuedTransferStruct",
      m.transferList,
      (t) =>
        `<QueuedTransferStruct>${el("CommandKey", t.commandKey)}${num("State", t.state)}</QueuedTransferStruct>`,
    ),
  );

/** Codec of GetAllQueuedTransfers (no fields). */
export const getAllQueuedTransfers: MessageCodec<GetAllQueuedTransfers> =
  emptyCodec("GetAllQueuedTransfers");

/** Decodes GetAllQueuedTransfersResponse. */
export const decodeGetAllQueuedTransfersResponse = (
  e: Located,
  cx: DecodeContext,
): GetAllQueuedTransfersResponse => ({
  _tag: "GetAllQueuedTransfersResponse",
  transferList: arrayItems(e, "TransferList", cx, false).map(
    (i): AllQueuedTransferStruct => ({
      commandKey: str(i, "CommandKey", cx),
      state: stateOf(i),
      isDownload: bool(i, "IsDownload", cx),
      fileType: str(i, "FileType", cx),
      fileSize: int(i, "FileSize", cx, 0, UINT_MAX),
      targetFileName: str(i, "TargetFileName", cx),
    }),
  ),
});

/** Encodes GetAllQueuedTransfersResponse. */
export const encodeGetAllQueuedTransfersResponse = (m: GetAllQueuedTransfersResponse): string =>
  message(
    "GetAllQueuedTransfersResponse",
    arrayEl(
      "TransferList",
      "cwmp:AllQueuedTransferStruct",
      m.transferList,
      (t) =>
        `<AllQueuedTransferStruct>${el("CommandKey", t.commandKey)}${num("State", t.state)}${boolEl("IsDownload", t.isDownload)}${el("FileType", t.fileType)}${num("FileSize", t.fileSize)}${el("TargetFileName", t.targetFileName)}</AllQueuedTransferStruct>`,
    ),
  );
