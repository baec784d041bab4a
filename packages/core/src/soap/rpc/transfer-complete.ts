/**
 * Codecs of the CPE-initiated transfer messages: TransferComplete, AutonomousTransferComplete,
 * RequestDownload and their responses.
 * @module
 */
import type {
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
  RequestDownload,
  RequestDownloadResponse,
  TransferComplete,
  TransferCompleteResponse,
} from "../cpe-methods.js";
import type { ArgStruct, TransferCompleteFaultStruct } from "../rpc-structs.js";
import {
  arrayItems,
  bool,
  type DecodeContext,
  dateTime,
  findChild,
  int,
  type Located,
  pathOf,
  reqStr,
  str,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, bool as boolEl, el, message, num } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

const decodeFaultStruct = (e: Located, cx: DecodeContext): TransferCompleteFaultStruct => {
  const f = findChild(e, "FaultStruct");
  if (f === undefined) {
    cx.warnings.push(`${pathOf(e)}/FaultStruct: missing, read as success (FaultCode 0)`);
    return { faultCode: 0, faultString: "" };
  }
  return {
    faultCode: int(f, "FaultCode", cx, 0, UINT_MAX),
    faultString: str(f, "FaultString", cx),
  };
};

const encodeFaultStruct = (f: TransferCompleteFaultStruct): string =>
  `<FaultStruct>${num("FaultCode", f.faultCode)}${el("FaultString", f.faultString)}</FaultStruct>`;

/** Decodes TransferComplete. */
export const decodeTransferComplete = (e: Located, cx: DecodeContext): TransferComplete => ({
  _tag: "TransferComplete",
  commandKey: str(e, "CommandKey", cx),
  faultStruct: decodeFaultStruct(e, cx),
  startTime: dateTime(e, "StartTime", cx),
  completeTime: dateTime(e, "CompleteTime", cx),
});

/** Encodes TransferComplete. */
export const encodeTransferComplete = (m: TransferComplete): string =>
  message(
    "TransferComplete",
    el("CommandKey", m.commandKey) +
      encodeFaultStruct(m.faultStruct) +
      el("StartTime", m.startTime) +
      el("CompleteTime", m.completeTime),
  );

/** Codec of TransferCompleteResponse (no fields). */
export const transferCompleteResponse: MessageCodec<TransferCompleteResponse> = emptyCodec(
  "TransferCompleteResponse",
);

/** Decodes AutonomousTransferComplete. */
export const decodeAutonomousTransferComplete = (
  e: Located,
  cx: DecodeContext,
): AutonomousTransferComplete => ({
  _tag: "AutonomousTransferComplete",
  announceUrl: str(e, "AnnounceURL", cx),
  transferUrl: str(e, "TransferURL", cx),
  isDownload: bool(e, "IsDownload", cx),
  fileType: str(e, "FileType", cx),
  fileSize: int(e, "FileSize", cx, 0, UINT_MAX),
  targetFileName: str(e, "TargetFileName", cx),
  faultStruct: decodeFaultStruct(e, cx),
  startTime: dateTime(e, "StartTime", cx),
  completeTime: dateTime(e, "CompleteTime", cx),
});

/** Encodes AutonomousTransferComplete. */
export const encodeAutonomousTransferComplete = (m: AutonomousTransferComplete): string =>
  message(
    "AutonomousTransferComplete",
    el("AnnounceURL", m.announceUrl) +
      el("TransferURL", m.transferUrl) +
      boolEl("IsDownload", m.isDownload) +
      el("FileType", m.fileType) +
      num("FileSize", m.fileSize) +
      el("TargetFileName", m.targetFileName) +
      encodeFaultStruct(m.faultStruct) +
      el("StartTime", m.startTime) +
      el("CompleteTime", m.completeTime),
  );

/** Codec of AutonomousTransferCompleteResponse (no fields). */
export const autonomousTransferCompleteResponse: MessageCodec<AutonomousTransferCompleteResponse> =
  emptyCodec("AutonomousTransferCompleteResponse");

/** Decodes RequestDownload; `FileType` is required. */
export const decodeRequestDownload = (e: Located, cx: DecodeContext): RequestDownload => ({
  _tag: "RequestDownload",
  fileType: reqStr(e, "FileType"),
  fileTypeArg: arrayItems(e, "FileTypeArg", cx, false).map(
    (i): ArgStruct => ({ name: str(i, "Name", cx), value: str(i, "Value", cx) }),
  ),
});

/** Encodes RequestDownload. */
export const encodeRequestDownload = (m: RequestDownload): string =>
  message(
    "RequestDownload",
    el("FileType", m.fileType) +
      arrayEl(
        "FileTypeArg",
        "cwmp:ArgStruct",
        m.fileTypeArg,
        (a) => `<ArgStruct>${el("Name", a.name)}${el("Value", a.value)}</ArgStruct>`,
      ),
  );

/** Codec of RequestDownloadResponse (no fields). */
export const requestDownloadResponse: MessageCodec<RequestDownloadResponse> =
  emptyCodec("RequestDownloadResponse");
