/**
 * Codecs of the ACS-initiated transfers: Download, Upload, ScheduleDownload, CancelTransfer and
 * their responses.
 * @module
 */
import type {
  CancelTransfer,
  CancelTransferResponse,
  Download,
  DownloadResponse,
  ScheduleDownload,
  ScheduleDownloadResponse,
  Upload,
  UploadResponse,
} from "../acs-methods.js";
import type { ApplyStatus, TimeWindowStruct } from "../rpc-structs.js";
import {
  arrayItems,
  type DecodeContext,
  dateTime,
  INT_MAX,
  INT_MIN,
  int,
  type Located,
  reqInt,
  reqStr,
  str,
  UINT_MAX,
} from "../xml-reader.js";
import { arrayEl, el, message, num } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

// The fields that open every ACS-initiated transfer (Download, Upload, ScheduleDownload), in
// their XSD order.
type TransferTarget = Pick<Download, "commandKey" | "fileType" | "url" | "username" | "password">;

const decodeTransferTarget = (e: Located, cx: DecodeContext): TransferTarget => ({
  commandKey: str(e, "CommandKey", cx),
  fileType: reqStr(e, "FileType"),
  url: reqStr(e, "URL"),
  username: str(e, "Username", cx),
  password: str(e, "Password", cx),
});

const encodeTransferTarget = (m: TransferTarget): string =>
  el("CommandKey", m.commandKey) +
  el("FileType", m.fileType) +
  el("URL", m.url) +
  el("Username", m.username) +
  el("Password", m.password);

// The answer shared by DownloadResponse and UploadResponse.
type TransferResult = Pick<DownloadResponse, "status" | "startTime" | "completeTime">;

const decodeTransferResult = (e: Located, cx: DecodeContext): TransferResult => ({
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
  startTime: dateTime(e, "StartTime", cx),
  completeTime: dateTime(e, "CompleteTime", cx),
});

const encodeTransferResult = (m: TransferResult): string =>
  num("Status", m.status) + el("StartTime", m.startTime) + el("CompleteTime", m.completeTime);

/** Decodes Download; `FileType` and `URL` are required, other fields default with a warning. */
export const decodeDownload = (e: Located, cx: DecodeContext): Download => ({
  _tag: "Download",
  ...decodeTransferTarget(e, cx),
  fileSize: int(e, "FileSize", cx, 0, UINT_MAX),
  targetFileName: str(e, "TargetFileName", cx),
  delaySeconds: int(e, "DelaySeconds", cx, 0, UINT_MAX),
  successUrl: str(e, "SuccessURL", cx),
  failureUrl: str(e, "FailureURL", cx),
});

/** Encodes Download. */
export const encodeDownload = (m: Download): string =>
  message(
    "Download",
    encodeTransferTarget(m) +
      num("FileSize", m.fileSize) +
      el("TargetFileName", m.targetFileName) +
      num("DelaySeconds", m.delaySeconds) +
      el("SuccessURL", m.successUrl) +
      el("FailureURL", m.failureUrl),
  );

/** Decodes DownloadResponse. */
export const decodeDownloadResponse = (e: Located, cx: DecodeContext): DownloadResponse => ({
  _tag: "DownloadResponse",
  ...decodeTransferResult(e, cx),
});

/** Encodes DownloadResponse. */
export const encodeDownloadResponse = (m: DownloadResponse): string =>
  message("DownloadResponse", encodeTransferResult(m));

/** Decodes Upload; `FileType` and `URL` are required. */
export const decodeUpload = (e: Located, cx: DecodeContext): Upload => ({
  _tag: "Upload",
  ...decodeTransferTarget(e, cx),
  delaySeconds: int(e, "DelaySeconds", cx, 0, UINT_MAX),
});

/** Encodes Upload. */
export const encodeUpload = (m: Upload): string =>
  message("Upload", encodeTransferTarget(m) + num("DelaySeconds", m.delaySeconds));

/** Decodes UploadResponse. */
export const decodeUploadResponse = (e: Located, cx: DecodeContext): UploadResponse => ({
  _tag: "UploadResponse",
  ...decodeTransferResult(e, cx),
});

/** Encodes UploadResponse. */
export const encodeUploadResponse = (m: UploadResponse): string =>
  message("UploadResponse", encodeTransferResult(m));

const decodeTimeWindow = (i: Located, cx: DecodeContext): TimeWindowStruct => ({
  windowStart: int(i, "WindowStart", cx, 0, UINT_MAX),
  windowEnd: int(i, "WindowEnd", cx, 0, UINT_MAX),
  windowMode: str(i, "WindowMode", cx),
  userMessage: str(i, "UserMessage", cx),
  maxRetries: int(i, "MaxRetries", cx, INT_MIN, INT_MAX),
});

const encodeTimeWindow = (w: TimeWindowStruct): string =>
  `<TimeWindowStruct>${num("WindowStart", w.windowStart)}${num("WindowEnd", w.windowEnd)}${el("WindowMode", w.windowMode)}${el("UserMessage", w.userMessage)}${num("MaxRetries", w.maxRetries)}</TimeWindowStruct>`;

/** Decodes ScheduleDownload; `FileType`, `URL` and `TimeWindowList` are required. */
export const decodeScheduleDownload = (e: Located, cx: DecodeContext): ScheduleDownload => ({
  _tag: "ScheduleDownload",
  ...decodeTransferTarget(e, cx),
  fileSize: int(e, "FileSize", cx, 0, UINT_MAX),
  targetFileName: str(e, "TargetFileName", cx),
  timeWindowList: arrayItems(e, "TimeWindowList", cx, true).map((i) => decodeTimeWindow(i, cx)),
});

/** Encodes ScheduleDownload. */
export const encodeScheduleDownload = (m: ScheduleDownload): string =>
  message(
    "ScheduleDownload",
    encodeTransferTarget(m) +
      num("FileSize", m.fileSize) +
      el("TargetFileName", m.targetFileName) +
      arrayEl("TimeWindowList", "cwmp:TimeWindowStruct", m.timeWindowList, encodeTimeWindow),
  );

/** Codec of ScheduleDownloadResponse (no fields). */
export const scheduleDownloadResponse: MessageCodec<ScheduleDownloadResponse> = emptyCodec(
  "ScheduleDownloadResponse",
);

/** Decodes CancelTransfer. */
export const decodeCancelTransfer = (e: Located, cx: DecodeContext): CancelTransfer => ({
  _tag: "CancelTransfer",
  commandKey: str(e, "CommandKey", cx),
});

/** Encodes CancelTransfer. */
export const encodeCancelTransfer = (m: CancelTransfer): string =>
  message("CancelTransfer", el("CommandKey", m.commandKey));

/** Codec of CancelTransferResponse (no fields). */
export const cancelTransferResponse: MessageCodec<CancelTransferResponse> =
  emptyCodec("CancelTransferResponse");
