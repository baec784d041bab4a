/**
 * Writing an app's files to the module: each file in base64 chunks (`duPut`), the last one
 * carrying the file's SHA-256, which the module checks against what it wrote, all into the
 * staging directory `/usr/apps/.<name>`, which `duCommit` then moves into place with the
 * manifest. A file the
 * module holds with another checksum fails the upload (the module deletes it), so a damaged app
 * is never committed.
 * @module
 */
import { createHash } from "node:crypto";
import { APPS_DIR } from "../bridge/app-actions.js";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import type { JsonValue } from "../link/messages.js";
import type { AppFile } from "./app-package.js";

/**
 * Raw bytes per `duPut` frame (rounded down to 510: 680 bytes of base64, a short line for the
 * REPL port).
 */
export const DEFAULT_APP_CHUNK_BYTES = 512;

/** The SHA-256 of `bytes` in lower-case hex. */
export const sha256Hex = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("hex");

/** The staging directory of app `name`. */
export const stagingDir = (name: string): string => `${APPS_DIR}/.${name}`;

/** A file the module holds with other contents than were sent. */
export class ChecksumMismatch extends Error {
  constructor(
    readonly path: string,
    readonly sent: string,
    readonly detail: string,
  ) {
    super(
      `${path}: the module's checksum does not match the file sent (sha256 ${sent}): ${detail}`,
    );
  }
}

/** Options of {@link uploadAppFiles}. */
export interface AppUploadOptions {
  readonly chunkBytes?: number;
  readonly timeoutMs?: number;
}

/**
 * Writes `files` into the staging directory of app `name` and checks each on the module.
 * Rejects with {@link ChecksumMismatch} for a file that arrived damaged, or with the link's
 * error. Returns the SHA-256 of each file, for the manifest.
 */
export const uploadAppFiles = async (
  link: BridgeLink,
  name: string,
  files: readonly AppFile[],
  options: AppUploadOptions = {},
): Promise<Record<string, string>> => {
  // A multiple of 3 bytes, so no chunk's base64 but the last one's carries padding.
  const chunk = Math.max(3, Math.floor((options.chunkBytes ?? DEFAULT_APP_CHUNK_BYTES) / 3) * 3);
  const request = options.timeoutMs === undefined ? undefined : { timeoutMs: options.timeoutMs };
  const act = (action: string, args: Readonly<Record<string, JsonValue>>) =>
    link.action(action, args, request);
  const sums: Record<string, string> = {};
  for (const file of files) {
    const target = `${stagingDir(name)}/${file.path}`;
    const sent = sha256Hex(file.bytes);
    let offset = 0;
    do {
      const part = file.bytes.subarray(offset, offset + chunk);
      const last = offset + part.length >= file.bytes.length;
      const args = { f: target, o: offset, d: Buffer.from(part).toString("base64") };
      try {
        // The last chunk carries the file's SHA-256: the module checks what it holds.
        await act("duPut", last ? { ...args, h: sent } : args);
      } catch (cause) {
        if (
          cause instanceof BridgeLinkError &&
          cause.reason === "Remote" &&
          cause.detail.startsWith("checksum mismatch")
        )
          throw new ChecksumMismatch(file.path, sent, cause.detail);
        throw cause;
      }
      offset += part.length;
    } while (offset < file.bytes.length);
    sums[file.path] = sent;
  }
  return sums;
};
