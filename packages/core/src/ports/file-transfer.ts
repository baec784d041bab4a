/**
 * The `FileTransfer` port: downloads and uploads of the Download / Upload / ScheduleDownload
 * RPCs (section 1.13), failing with the fault code the TransferComplete must report.
 * @module
 */
import { Context, Data, type Duration, type Effect } from "effect";

/** What to fetch for a Download. */
export interface DownloadRequest {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** The most bytes the device accepts; a larger file fails with fault 9010 and is not kept. */
  readonly maxBytes: number;
  /** The whole transfer must finish within this time. */
  readonly timeout: Duration.DurationInput;
  /**
   * The `FileSize` argument of the RPC (0 or absent: unknown). Used as announced: a file
   * announced larger than `maxBytes` fails with 9010 before the server is contacted.
   */
  readonly fileSize?: number;
}

/** A completed download. */
export interface DownloadResult {
  readonly bytes: Uint8Array;
  /** The Content-Type of the answer, when the server sent one. */
  readonly contentType?: string;
  /** Epoch milliseconds (from `Clock`) of the transfer's start and end, for TransferComplete. */
  readonly startTime: number;
  readonly completeTime: number;
}

/** What to send for an Upload. */
export interface UploadRequest {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly body: Uint8Array;
  readonly timeout: Duration.DurationInput;
  /** HTTP method; TR-069 uploads use PUT unless the ACS expects POST. Default `PUT`. */
  readonly method?: "PUT" | "POST";
  readonly contentType?: string;
}

/** A completed upload. */
export interface UploadResult {
  readonly status: number;
  readonly startTime: number;
  readonly completeTime: number;
}

/** Why a transfer failed; each reason maps to one fault code (see {@link FileTransferError}). */
export type FileTransferErrorReason =
  | "Unauthorized"
  | "UnsupportedProtocol"
  | "Unreachable"
  | "NotAccessible"
  | "TooLarge"
  | "Timeout"
  | "Interrupted"
  | "UploadFailed"
  | "InvalidConfig"
  /** The URL names a multicast group the device cannot join (9014). */
  | "MulticastUnavailable";

/**
 * A failed transfer. `faultCode` is the TR-069 fault to put in TransferComplete (or the
 * Download/Upload response): 9012 server authentication failure, 9013 unsupported protocol,
 * 9015 cannot contact the server, 9016 cannot access the file, 9017 cannot complete the
 * download (broken off, timed out), 9014 cannot join the multicast group the URL names, 9010
 * file transfer failure (file larger than the device accepts, unusable TLS configuration), 9011
 * upload failure (any upload failure other than 9012/9013).
 */
export class FileTransferError extends Data.TaggedError("FileTransferError")<{
  readonly reason: FileTransferErrorReason;
  readonly faultCode: number;
  readonly detail: string;
  /** The HTTP status, when a response was received. */
  readonly status?: number;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `file transfer ${this.reason} (fault ${this.faultCode}): ${this.detail}`;
  }
}

/** Type guard for {@link FileTransferError}. */
export const isFileTransferError = (u: unknown): u is FileTransferError =>
  u instanceof FileTransferError;

/** Moves files between the device and file servers. */
export interface FileTransferService {
  readonly download: (request: DownloadRequest) => Effect.Effect<DownloadResult, FileTransferError>;
  readonly upload: (request: UploadRequest) => Effect.Effect<UploadResult, FileTransferError>;
}

/** The `FileTransfer` port. */
export class FileTransfer extends Context.Tag("@cpekit/core/FileTransfer")<
  FileTransfer,
  FileTransferService
>() {}
