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

/** Decodes Download; `FileType` and `URL` are required, other fields default with a warning. */
export const decodeDownload = (e: Located, cx: DecodeContext): Download => ({
  _tag: "Download",
  commandKey: str(e, "CommandKey", cx),
  fileType: reqStr(e, "FileType"),
  url: reqStr(e, "URL"),
  username: str(e, "Username", cx),
  password: str(e, "Password", cx),
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
    el("CommandKey", m.commandKey) +
      el("FileType", m.fileType) +
      el("URL", m.url) +
      el("Username", m.username) +
      el("Password", m.password) +
      num("FileSize", m.fileSize) +
      el("TargetFileName", m.targetFileName) +
      num("DelaySeconds", m.delaySeconds) +
      el("SuccessURL", m.successUrl) +
      el("FailureURL", m.failureUrl),
  );

/** Decodes DownloadResponse. */
export const decodeDownloadResponse = (e: Located, cx: DecodeContext): DownloadResponse => ({
  _tag: "DownloadResponse",
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
  startTime: dateTime(e, "StartTime", cx),
  completeTime: dateTime(e, "CompleteTime", cx),
});

/** Encodes DownloadResponse. */
export const encodeDownloadResponse = (m: DownloadResponse): string =>
  message(
    "DownloadResponse",
    num("Status", m.status) + el("StartTime", m.startTime) + el("CompleteTime", m.completeTime),
  );

/** Decodes Upload; `FileType` and `URL` are required. */
export const decodeUpload = (e: Located, cx: DecodeContext): Upload => ({
  _tag: "Upload",
  commandKey: str(e, "CommandKey", cx),
  fileType: reqStr(e, "FileType"),
  url: reqStr(e, "URL"),
  username: str(e, "Username", cx),
  password: str(e, "Password", cx),
  delaySeconds: int(e, "DelaySeconds", cx, 0, UINT_MAX),
});

/** Encodes Upload. */
export const encodeUpload = (m: Upload): string =>
  message(
    "Upload",
    el("CommandKey", m.commandKey) +
      el("FileType", m.fileType) +
      el("URL", m.url) +
      el("Username", m.username) +
      el("Password", m.password) +
      num("DelaySeconds", m.delaySeconds),
  );

/** Decodes UploadResponse. */
export const decodeUploadResponse = (e: Located, cx: DecodeContext): UploadResponse => ({
  _tag: "UploadResponse",
  status: reqInt(e, "Status", 0, 1) as ApplyStatus,
  startTime: dateTime(e, "StartTime", cx),
  completeTime: dateTime(e, "CompleteTime", cx),
});

/** Encodes UploadResponse. */
export const encodeUploadResponse = (m: UploadResponse): string =>
  message(
    "UploadResponse",
    num("Status", m.status) + el("StartTime", m.startTime) + el("CompleteTime", m.completeTime),
  );

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
  commandKey: str(e, "CommandKey", cx),
  fileType: reqStr(e, "FileType"),
  url: reqStr(e, "URL"),
  username: str(e, "Username", cx),
  password: str(e, "Password", cx),
  fileSize: int(e, "FileSize", cx, 0, UINT_MAX),
  targetFileName: str(e, "TargetFileName", cx),
  timeWindowList: arrayItems(e, "TimeWindowList", cx, true).map((i) => decodeTimeWindow(i, cx)),
});

/** Encodes ScheduleDownload. */
export const encodeScheduleDownload = (m: ScheduleDownload): string =>
  message(
    "ScheduleDownload",
    el("CommandKey", m.commandKey) +
      el("FileType", m.fileType) +
      el("URL", m.url) +
      el("Username", m.username) +
      el("Password", m.password) +
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
