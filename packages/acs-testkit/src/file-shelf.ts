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

/** What the HTTP layer writes for a file request. */
export interface FileReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
  readonly note?: string;
}

interface ServedFile {
  readonly bytes: Uint8Array;
  readonly auth: HttpAuthOptions | undefined;
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

  /** Serves `bytes` at `path` (checked with {@link badFilePath}), optionally behind `auth`. */
  serve(path: string, bytes: Uint8Array, auth?: HttpAuthOptions): void {
    this.files.set(path, { bytes, auth });
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
