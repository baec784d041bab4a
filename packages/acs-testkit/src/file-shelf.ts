/**
 * The file side of the testkit: files served for Download (`serveFile`), optionally behind
 * Basic or Digest, and files received from Upload (`uploadUrl`, `uploads()`).
 * @module
 */
import {
  challengeFor,
  type HttpAuthOptions,
  type NonceBook,
  verifyAuthorization,
} from "./http-auth.js";
import type { Inbox } from "./inbox.js";
import { TestAcsError } from "./testkit-error.js";

/** A file the CPE uploaded. */
export interface UploadRecord {
  /** The request path, e.g. `/upload/config.xml`. */
  readonly path: string;
  readonly method: string;
  readonly contentType: string | undefined;
  readonly bytes: Uint8Array;
  readonly receivedAt: string;
}

/**
 * How a served file is delivered, to provoke the transfer faults of §1.14: `holdMs` waits that
 * long before answering (a slow server: 9020 outside a time window, 9021 cancelling a transfer
 * in progress); `breakOffAfterBytes` announces the whole length, sends that many bytes and
 * closes the connection (9017, a download that cannot complete).
 */
export interface FileDelivery {
  readonly holdMs?: number;
  readonly breakOffAfterBytes?: number;
}

/** What the HTTP layer writes for a file request. */
export interface FileReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
  readonly note?: string;
  /** How to deliver a 200 answer (see {@link FileDelivery}). */
  readonly delivery?: FileDelivery;
}

interface ServedFile {
  readonly bytes: Uint8Array;
  readonly auth: HttpAuthOptions | undefined;
  readonly delivery: FileDelivery | undefined;
}

/** Upload paths start with this prefix. */
export const uploadPrefix = "/upload/";

/** The served and uploaded files of one ACS. */
export class FileShelf {
  private readonly files = new Map<string, ServedFile>();
  private readonly uploadAuth = new Map<string, HttpAuthOptions>();
  private readonly received: UploadRecord[] = [];

  constructor(
    private readonly nonces: NonceBook,
    private readonly uploadsInbox: Inbox<UploadRecord>,
  ) {}

  /**
   * Serves `bytes` at `path` (checked with {@link badFilePath}), optionally behind `auth` and
   * delivered as `delivery` says.
   */
  serve(path: string, bytes: Uint8Array, auth?: HttpAuthOptions, delivery?: FileDelivery): void {
    this.files.set(path, { bytes, auth, delivery });
  }

  /** Accepts uploads at `/upload/<name>`, optionally behind `auth`; returns the path. */
  acceptUpload(name: string, auth?: HttpAuthOptions): string {
    const path = `${uploadPrefix}${encodeURIComponent(name)}`;
    if (auth) this.uploadAuth.set(path, auth);
    return path;
  }

  /** Every upload received so far, oldest first. */
  uploads(): readonly UploadRecord[] {
    return [...this.received];
  }

  /** True when `path` names a served file. */
  serves(path: string): boolean {
    return this.files.has(path);
  }

  /** Answers a GET/HEAD of a served file. */
  download(path: string, method: string, authorization: string | undefined): FileReply {
    const file = this.files.get(path);
    if (file === undefined) return { status: 404, headers: {}, body: "" };
    const refused = this.refuse(file.auth, method, authorization);
    if (refused) return refused;
    return {
      status: 200,
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Length": String(file.bytes.length),
      },
      body: method === "HEAD" ? "" : file.bytes,
      ...(file.delivery === undefined || method === "HEAD" ? {} : { delivery: file.delivery }),
    };
  }

  /** Stores an upload (PUT or POST under {@link uploadPrefix}). */
  upload(
    path: string,
    method: string,
    authorization: string | undefined,
    contentType: string | undefined,
    bytes: Uint8Array,
  ): FileReply {
    const refused = this.refuse(this.uploadAuth.get(path), method, authorization);
    if (refused) return refused;
    const record: UploadRecord = {
      path,
      method,
      contentType,
      bytes,
      receivedAt: new Date().toISOString(),
    };
    this.received.push(record);
    this.uploadsInbox.push(record);
    return { status: 200, headers: {}, body: "" };
  }

  private refuse(
    auth: HttpAuthOptions | undefined,
    method: string,
    authorization: string | undefined,
  ): FileReply | undefined {
    if (auth === undefined) return undefined;
    const verdict = verifyAuthorization(authorization, method, auth, this.nonces);
    if (verdict === "ok") return undefined;
    return {
      status: 401,
      headers: { "WWW-Authenticate": challengeFor(auth, this.nonces) },
      body: "",
      note: `authentication: ${verdict}`,
    };
  }
}

/** The error for a path `serveFile` cannot use, or undefined when it is fine. */
export const badFilePath = (path: string): TestAcsError | undefined =>
  path.startsWith("/") && !path.startsWith(uploadPrefix) && !/[?#]/.test(path)
    ? undefined
    : new TestAcsError({
        reason: "BadInput",
        detail: `a served file's path starts with "/", not with ${uploadPrefix}, and has no ? or #: ${path}`,
      });
