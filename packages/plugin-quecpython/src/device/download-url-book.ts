/**
 * Remembers where each downloaded file came from. The agent downloads a Download's file on the
 * host (checking size, reachability and credentials with the host's `FileTransfer`) and hands
 * the bytes to `DeviceActions`; a Quectel module installs firmware with
 * `fota.httpDownload(url)`, which fetches the image itself, so the actions need the URL too.
 * Wrapping the host's `FileTransfer` with {@link rememberDownloadUrls} records the URL of each
 * downloaded buffer (weakly: a buffer's entry goes with the buffer).
 * @module
 */
import type { DownloadRequest, FileTransferService } from "@cpekit/core";
import { Effect } from "effect";

/** The URLs of one device's downloads, by downloaded buffer. */
export interface DownloadUrlBook {
  /** The request that produced `bytes`, if it came through the wrapped transfer. */
  readonly requestOf: (bytes: Uint8Array) => DownloadRequest | undefined;
  /** Wraps a `FileTransfer` so its downloads are recorded here. */
  readonly wrap: (base: FileTransferService) => FileTransferService;
}

/** A new, empty book (one per device). */
export const makeDownloadUrlBook = (): DownloadUrlBook => {
  const requests = new WeakMap<Uint8Array, DownloadRequest>();
  return {
    requestOf: (bytes) => requests.get(bytes),
    wrap: (base) => ({
      upload: base.upload,
      download: (request) =>
        Effect.tap(base.download(request), (result) =>
          Effect.sync(() => requests.set(result.bytes, request)),
        ),
    }),
  };
};
