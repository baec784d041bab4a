/**
 * Carrying out one transfer through the ports: FileTransfer moves the file, DeviceActions
 * applies a download (`applyFirmware` for `1 Firmware Upgrade Image`, `applyConfig` for the
 * other file types), and the outcome becomes a TransferComplete (requirements section 1.13).
 * @module
 */
import { type Duration, Effect } from "effect";
import { cwmpDateTime } from "../agent/cwmp-date-time.js";
import { EventCode } from "../agent/event-codes.js";
import { faultString } from "../cwmp/fault.js";
import type { EventStruct } from "../cwmp/structs.js";
import type { DeviceActionError, DeviceActionsService } from "../ports/device-actions.js";
import type { FileTransferService } from "../ports/file-transfer.js";
import type { TransferComplete } from "../soap/cpe-methods.js";
import type { TransferRecord } from "./transfer-record.js";

/** A file the device hands over for an Upload. */
export interface UploadContent {
  readonly bytes: Uint8Array;
  readonly contentType?: string;
}

/** What running a transfer needs. */
export interface TransferRunnerDeps {
  readonly fileTransfer: FileTransferService;
  readonly deviceActions: DeviceActionsService;
  /** Reads the file an Upload sends (by its FileType); Upload is refused (9000) without it. */
  readonly uploadFile?: (fileType: string) => Effect.Effect<UploadContent, DeviceActionError>;
  /** Largest download the device accepts (fault 9010 above). */
  readonly maxBytes: number;
  /** Time limit of one transfer. */
  readonly timeout: Duration.DurationInput;
}

/** How one attempt ended: fault code 0 is success. Times are epoch ms when known. */
export interface TransferOutcome {
  readonly faultCode: number;
  readonly faultString: string;
  readonly startTime?: number;
  readonly completeTime?: number;
}

/** Fault codes a TransferComplete may carry (XSD `TransferCompleteFaultStruct`). */
const TRANSFER_COMPLETE_CODES = new Set([
  0, 9001, 9002, 9010, 9011, 9012, 9014, 9015, 9016, 9017, 9018, 9019, 9020,
]);

/** Maps a failure's code into the TransferComplete subset (9010/9011 for anything else). */
export const transferCompleteCode = (code: number, kind: TransferRecord["kind"]): number =>
  TRANSFER_COMPLETE_CODES.has(code) ? code : kind === "upload" ? 9011 : 9010;

/** `1 Firmware Upgrade Image` goes to `applyFirmware`, any other file type to `applyConfig`. */
export const isFirmware = (fileType: string): boolean => fileType.startsWith("1 ");

const failed = (
  record: TransferRecord,
  code: number,
  detail: string,
  startTime?: number,
): TransferOutcome => {
  const faultCode = transferCompleteCode(code, record.kind);
  return {
    faultCode,
    faultString: detail === "" ? faultString(faultCode) : detail,
    ...(startTime === undefined ? {} : { startTime }),
  };
};

/**
 * Runs `record` once. `markApplying` is called (and must have saved) between the download and
 * handing the file to the device. Never fails: every failure is an outcome with its fault code.
 */
export const performTransfer = <E>(
  record: TransferRecord,
  deps: TransferRunnerDeps,
  markApplying: Effect.Effect<void, E>,
): Effect.Effect<TransferOutcome, E> =>
  Effect.gen(function* () {
    if (record.kind === "upload") {
      if (deps.uploadFile === undefined) return failed(record, 9011, "uploads are not supported");
      const content = yield* Effect.either(deps.uploadFile(record.fileType));
      if (content._tag === "Left")
        return failed(record, content.left.faultCode, content.left.detail);
      const sent = yield* Effect.either(
        deps.fileTransfer.upload({
          url: record.url,
          ...(record.username === ""
            ? {}
            : { username: record.username, password: record.password }),
          body: content.right.bytes,
          timeout: deps.timeout,
          ...(content.right.contentType === undefined
            ? {}
            : { contentType: content.right.contentType }),
        }),
      );
      if (sent._tag === "Left") return failed(record, sent.left.faultCode, sent.left.detail);
      return {
        faultCode: 0,
        faultString: "",
        startTime: sent.right.startTime,
        completeTime: sent.right.completeTime,
      };
    }
    const fetched = yield* Effect.either(
      deps.fileTransfer.download({
        url: record.url,
        ...(record.username === "" ? {} : { username: record.username, password: record.password }),
        maxBytes: deps.maxBytes,
        timeout: deps.timeout,
        ...(record.fileSize > 0 ? { fileSize: record.fileSize } : {}),
      }),
    );
    if (fetched._tag === "Left") return failed(record, fetched.left.faultCode, fetched.left.detail);
    // A file whose length is not the FileSize the ACS gave is not the file it meant (9018).
    const got = fetched.right.bytes.byteLength;
    if (record.fileSize > 0 && got !== record.fileSize)
      return failed(
        record,
        9018,
        `file corrupted: ${got} bytes received, FileSize is ${record.fileSize}`,
        fetched.right.startTime,
      );
    yield* markApplying;
    const file = {
      bytes: fetched.right.bytes,
      fileType: record.fileType,
      targetFileName: record.targetFileName,
    };
    const applied = yield* Effect.either(
      isFirmware(record.fileType)
        ? deps.deviceActions.applyFirmware(file)
        : deps.deviceActions.applyConfig(file),
    );
    if (applied._tag === "Left")
      return failed(record, applied.left.faultCode, applied.left.detail, fetched.right.startTime);
    const completeTime = yield* Effect.clockWith((c) => c.currentTimeMillis);
    return { faultCode: 0, faultString: "", startTime: fetched.right.startTime, completeTime };
  });

/** The TransferComplete reporting `outcome` (Unknown Time where a time is not known). */
export const transferCompleteFor = (
  record: TransferRecord,
  outcome: TransferOutcome,
): TransferComplete => ({
  _tag: "TransferComplete",
  commandKey: record.commandKey,
  faultStruct: { faultCode: outcome.faultCode, faultString: outcome.faultString },
  startTime: cwmpDateTime(outcome.startTime),
  completeTime: cwmpDateTime(outcome.completeTime),
});

/** `7 TRANSFER COMPLETE` plus the method event of the request (`M Download`, `M Upload`, `M ScheduleDownload`). */
export const transferEvents = (record: TransferRecord): readonly EventStruct[] => [
  { eventCode: EventCode.TransferComplete, commandKey: "" },
  {
    eventCode: record.scheduled
      ? EventCode.MScheduleDownload
      : record.kind === "upload"
        ? EventCode.MUpload
        : EventCode.MDownload,
    commandKey: record.commandKey,
  },
];
