/**
 * File transfer over HTTP and HTTPS: the undici implementation of the `FileTransfer` port
 * (section 1.13). Basic or Digest when the server asks, a size cap enforced while reading,
 * redirects followed (bounded), one `Effect.timeout` over the whole transfer, and every failure
 * mapped once to the fault code TransferComplete reports:
 *
 * | failure | download | upload |
 * |---|---|---|
 * | not http(s) | 9013 | 9013 |
 * | multicast host (a group HTTP cannot join) | 9014 | 9011 |
 * | credentials refused / missing | 9012 | 9012 |
 * | connection refused, DNS, TLS | 9015 | 9011 |
 * | non-2xx status | 9016 | 9011 |
 * | larger than `maxBytes` | 9010 | - |
 * | broken off or timed out | 9017 | 9011 |
 *
 * A too-large file gets 9010 ("file transfer failure") rather than 9017: the transfer could
 * complete, the device declines the file, and 9017 is left to transfers that broke off.
 * @module
 */
import {
  type DownloadRequest,
  type DownloadResult,
  FileTransfer,
  FileTransferError,
  type FileTransferErrorReason,
  type FileTransferService,
  type UploadRequest,
  type UploadResult,
} from "@cpekit/core";
import { Clock, Duration, Effect, Layer } from "effect";
import { HttpAuthenticator, maxAuthAttempts } from "./internal/http-authenticator.js";
import {
  type ExchangeResponse,
  exchange,
  type HttpFailure,
  headerValue,
  redirectStatuses,
} from "./internal/http-exchange.js";
import { isMulticastHost } from "./internal/multicast-host.js";
import { acquireOriginClient } from "./internal/origin-client.js";
import { loadTlsFiles, type TlsFiles } from "./internal/tls-files.js";

/** Settings of the HTTP file transfer. */
export interface HttpFileTransferOptions extends TlsFiles {
  /** Most redirects followed. Default 5. */
  readonly maxRedirects?: number;
  /** Largest answer body read on an upload. Default 64 KiB. */
  readonly maxUploadResponseBytes?: number;
}

interface Transfer {
  readonly url: string;
  readonly method: "GET" | "PUT" | "POST";
  readonly username?: string;
  readonly password?: string;
  readonly body?: Uint8Array;
  readonly headers: Record<string, string>;
  readonly maxBytes: number;
  readonly timeout: Duration.DurationInput;
}

/** Fault codes per failure, for downloads and uploads. */
const faults: Record<FileTransferErrorReason, readonly [download: number, upload: number]> = {
  UnsupportedProtocol: [9013, 9013],
  Unauthorized: [9012, 9012],
  Unreachable: [9015, 9011],
  NotAccessible: [9016, 9011],
  TooLarge: [9010, 9011],
  Timeout: [9017, 9011],
  Interrupted: [9017, 9011],
  UploadFailed: [9011, 9011],
  InvalidConfig: [9010, 9011],
  MulticastUnavailable: [9014, 9011],
};

/** Builds the file-transfer service. */
export const make = (options: HttpFileTransferOptions = {}): FileTransferService => {
  const maxRedirects = options.maxRedirects ?? 5;

  const run = (t: Transfer): Effect.Effect<ExchangeResponse, FileTransferError> => {
    const upload = t.method !== "GET";
    const fail = (
      reason: FileTransferErrorReason,
      detail: string,
      extra: { status?: number; cause?: unknown } = {},
    ) =>
      new FileTransferError({
        reason,
        faultCode: faults[reason][upload ? 1 : 0],
        detail,
        ...extra,
      });
    const fromFailure = (f: HttpFailure) =>
      fail(
        f.kind === "ConnectFailed" || f.kind === "Tls"
          ? "Unreachable"
          : f.kind === "TooLarge"
            ? "TooLarge"
            : f.kind === "InvalidRequest"
              ? "NotAccessible"
              : "Interrupted",
        f.detail,
        { cause: f.cause },
      );
    let url: URL;
    try {
      url = new URL(t.url);
    } catch {
      return Effect.fail(fail("NotAccessible", `not a URL: ${t.url}`));
    }
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return Effect.fail(fail("UnsupportedProtocol", `unsupported protocol ${url.protocol}`));
    if (isMulticastHost(url.hostname))
      return Effect.fail(
        fail("MulticastUnavailable", `cannot join the multicast group ${url.hostname}`),
      );

    return Effect.gen(function* () {
      const tls = yield* Effect.tryPromise({
        try: () => loadTlsFiles(options),
        catch: (cause) => fail("InvalidConfig", String(cause), { cause }),
      });
      const conn = yield* acquireOriginClient(url, {
        connect: { ...tls, rejectUnauthorized: options.rejectUnauthorized ?? true },
      });
      const credentials =
        t.username !== undefined && t.username !== ""
          ? { username: t.username, password: t.password ?? "" }
          : undefined;
      const auth = new HttpAuthenticator(credentials);
      let attempts = 0;
      let redirects = 0;
      for (;;) {
        const path = `${url.pathname}${url.search}`;
        const headers = { ...t.headers };
        const authorization = auth.authorization(t.method, path);
        if (authorization !== undefined) headers.authorization = authorization;
        const res = yield* exchange(
          conn.client(),
          { method: t.method, path, headers, ...(t.body ? { body: t.body } : {}) },
          t.maxBytes,
        ).pipe(Effect.mapError(fromFailure));
        if (res.status === 401) {
          attempts++;
          if (attempts < maxAuthAttempts && auth.onUnauthorized(res.headers["www-authenticate"]))
            continue;
          return yield* fail("Unauthorized", `${url.href}: credentials refused or missing`, {
            status: 401,
          });
        }
        if (redirectStatuses.has(res.status)) {
          const location = headerValue(res.headers, "location");
          const next = location === undefined ? undefined : new URL(location, url);
          if (next === undefined || ++redirects > maxRedirects)
            return yield* fail("NotAccessible", `bad or too many redirects from ${url.href}`, {
              status: res.status,
            });
          if (next.protocol !== "http:" && next.protocol !== "https:")
            return yield* fail("UnsupportedProtocol", `redirect to ${next.protocol}`);
          if (yield* conn.moveTo(url, next)) auth.reset();
          url = next;
          continue;
        }
        if (res.status < 200 || res.status > 299)
          return yield* fail("NotAccessible", `HTTP ${res.status} from ${url.href}`, {
            status: res.status,
          });
        return res;
      }
    }).pipe(
      Effect.scoped,
      Effect.timeoutFail({
        duration: t.timeout,
        onTimeout: () =>
          fail("Timeout", `not done within ${Duration.format(Duration.decode(t.timeout))}`),
      }),
    );
  };

  const download = (request: DownloadRequest): Effect.Effect<DownloadResult, FileTransferError> =>
    Effect.gen(function* () {
      if (request.fileSize !== undefined && request.fileSize > request.maxBytes)
        return yield* new FileTransferError({
          reason: "TooLarge",
          faultCode: faults.TooLarge[0],
          detail: `announced FileSize ${request.fileSize} exceeds ${request.maxBytes} bytes`,
        });
      const startTime = yield* Clock.currentTimeMillis;
      const res = yield* run({
        url: request.url,
        method: "GET",
        ...(request.username === undefined ? {} : { username: request.username }),
        ...(request.password === undefined ? {} : { password: request.password }),
        headers: {},
        maxBytes: request.maxBytes,
        timeout: request.timeout,
      });
      const contentType = headerValue(res.headers, "content-type");
      return {
        bytes: res.body,
        ...(contentType === undefined ? {} : { contentType }),
        startTime,
        completeTime: yield* Clock.currentTimeMillis,
      };
    });

  const upload = (request: UploadRequest): Effect.Effect<UploadResult, FileTransferError> =>
    Effect.gen(function* () {
      const startTime = yield* Clock.currentTimeMillis;
      const res = yield* run({
        url: request.url,
        method: request.method ?? "PUT",
        ...(request.username === undefined ? {} : { username: request.username }),
        ...(request.password === undefined ? {} : { password: request.password }),
        body: request.body,
        headers: {
          "content-type": request.contentType ?? "application/octet-stream",
          "content-length": String(request.body.length),
        },
        maxBytes: options.maxUploadResponseBytes ?? 64 * 1024,
        timeout: request.timeout,
      });
      return { status: res.status, startTime, completeTime: yield* Clock.currentTimeMillis };
    });

  return { download, upload };
};

/** The `FileTransfer` layer backed by undici. */
export const layer = (options: HttpFileTransferOptions = {}): Layer.Layer<FileTransfer> =>
  Layer.succeed(FileTransfer, make(options));
