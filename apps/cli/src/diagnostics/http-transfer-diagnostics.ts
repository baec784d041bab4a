/**
 * DownloadDiagnostics and UploadDiagnostics of the generic device (TR-143) over HTTP(S) with
 * `node:http`, which exposes the socket events the TR-143 times are taken at:
 * TCPOpenRequestTime when the connection is asked for, TCPOpenResponseTime when it is open,
 * ROMTime when the request goes out on it, BOMTime at the first byte of the file (download: the
 * first body chunk received; upload: the first body chunk written), EOMTime at its end
 * (download: the body's end; upload: the server's answer, sent once it has the whole file).
 * Total byte counts are the connection's (headers included). One connection, file-size based:
 * `NumberOfConnections` above 1 and time-based tests are run as one connection, file based.
 * FTP is not supported (`DownloadTransports` is `HTTP`): an `ftp://` URL is `Error_Other`.
 * @module
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import {
  DiagnosticsError,
  type DiagnosticsErrorState,
  type DownloadDiagnosticsInput,
  type DownloadDiagnosticsResult,
  type UploadDiagnosticsInput,
  type UploadDiagnosticsResult,
} from "@cpekit/core";
import { Effect } from "effect";
import { preciseNow } from "./precise-now.js";
import { resolveHost } from "./resolve-host.js";

/** Limits of a transfer test. */
export interface HttpTransferLimits {
  /** The whole test must end within this many milliseconds (else `Error_Timeout`). */
  readonly timeoutMs: number;
}

/** What one HTTP exchange measured. */
interface Exchange {
  readonly tcpOpenRequestTime: number;
  readonly tcpOpenResponseTime: number;
  readonly romTime: number;
  readonly bomTime: number;
  readonly eomTime: number;
  readonly bodyBytes: number;
  readonly totalBytesReceived: number;
  readonly totalBytesSent: number;
  readonly ipAddressUsed: string | undefined;
}

const fail = (state: DiagnosticsErrorState, detail: string, cause?: unknown) =>
  new DiagnosticsError({ state, detail, ...(cause === undefined ? {} : { cause }) });

const noRouteCodes = new Set(["EHOSTUNREACH", "ENETUNREACH"]);

/** Checks the URL: HTTP or HTTPS only. */
const parseUrl = (text: string): Effect.Effect<URL, DiagnosticsError> =>
  Effect.try({
    try: () => new URL(text),
    catch: (cause) => fail("Error_Other", `not a URL: ${text}`, cause),
  }).pipe(
    Effect.filterOrFail(
      (u) => u.protocol === "http:" || u.protocol === "https:",
      (u) => fail("Error_Other", `unsupported transport ${u.protocol} (HTTP only)`),
    ),
  );

/**
 * One HTTP exchange: GET (download) or PUT of `uploadBytes` zero bytes (upload), timed at the
 * socket events. `failedTransfer` is the state of a broken or refused transfer.
 */
const exchange = (
  url: URL,
  address: string,
  method: "GET" | "PUT",
  uploadBytes: number,
  failedTransfer: DiagnosticsErrorState,
  limits: HttpTransferLimits,
  signal: AbortSignal,
): Effect.Effect<Exchange, DiagnosticsError> =>
  Effect.async<Exchange, DiagnosticsError>((resume) => {
    const tcpOpenRequestTime = preciseNow();
    let tcpOpenResponseTime = 0;
    let romTime = 0;
    let bomTime = 0;
    let bodyBytes = 0;
    let socket: Socket | undefined;
    let settled = false;
    const finish = (result: Effect.Effect<Exchange, DiagnosticsError>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      req.destroy();
      resume(result);
    };
    const stage = () =>
      tcpOpenResponseTime === 0
        ? "Error_InitConnectionFailed"
        : bomTime === 0 && method === "GET"
          ? "Error_NoResponse"
          : failedTransfer;
    const headers: Record<string, string> = { host: url.host, connection: "close" };
    if (method === "PUT") {
      headers["content-length"] = String(uploadBytes);
      headers["content-type"] = "application/octet-stream";
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send({
      host: address,
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      agent: false,
      servername: url.hostname,
    });
    const timer = setTimeout(
      () =>
        finish(
          Effect.fail(
            fail(
              tcpOpenResponseTime === 0 ? "Error_InitConnectionFailed" : "Error_Timeout",
              `no end within ${limits.timeoutMs} ms`,
            ),
          ),
        ),
      limits.timeoutMs,
    );
    const onAbort = () => finish(Effect.fail(fail("Error_Other", "cancelled")));
    signal.addEventListener("abort", onAbort);
    req.on("socket", (s) => {
      socket = s;
      s.once("connect", () => {
        tcpOpenResponseTime = preciseNow();
        // The request is written as soon as the connection is open.
        romTime = preciseNow();
        if (method === "PUT") {
          const chunk = Buffer.alloc(Math.min(64 * 1024, Math.max(uploadBytes, 1)));
          let left = uploadBytes;
          const pump = () => {
            while (left > 0) {
              const n = Math.min(left, chunk.length);
              left -= n;
              if (bomTime === 0) bomTime = preciseNow();
              if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
                req.once("drain", pump);
                return;
              }
            }
            if (bomTime === 0) bomTime = preciseNow();
            req.end();
          };
          pump();
        }
      });
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      const state = noRouteCodes.has(e.code ?? "") ? "Error_NoRouteToHost" : stage();
      finish(Effect.fail(fail(state, `${method} ${url.href}: ${e.message}`, e)));
    });
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        finish(Effect.fail(fail(failedTransfer, `${method} ${url.href}: HTTP ${status}`)));
        return;
      }
      if (method === "PUT") {
        const eomTime = preciseNow();
        res.resume();
        res.on("end", () =>
          finish(
            Effect.succeed({
              tcpOpenRequestTime,
              tcpOpenResponseTime,
              romTime,
              bomTime,
              eomTime,
              bodyBytes: uploadBytes,
              totalBytesReceived: socket?.bytesRead ?? 0,
              totalBytesSent: socket?.bytesWritten ?? 0,
              ipAddressUsed: socket?.localAddress,
            }),
          ),
        );
        return;
      }
      res.on("data", (chunk: Buffer) => {
        if (bomTime === 0) bomTime = preciseNow();
        bodyBytes += chunk.length;
      });
      res.on("aborted", () => finish(Effect.fail(fail(failedTransfer, "the body broke off"))));
      res.on("error", (e) => finish(Effect.fail(fail(failedTransfer, e.message, e))));
      res.on("end", () => {
        const eomTime = preciseNow();
        finish(
          Effect.succeed({
            tcpOpenRequestTime,
            tcpOpenResponseTime,
            romTime,
            bomTime: bomTime === 0 ? eomTime : bomTime,
            eomTime,
            bodyBytes,
            totalBytesReceived: socket?.bytesRead ?? 0,
            totalBytesSent: socket?.bytesWritten ?? 0,
            ipAddressUsed: socket?.localAddress,
          }),
        );
      });
    });
    if (method === "GET") req.end();
    return Effect.sync(() => finish(Effect.fail(fail("Error_Other", "interrupted"))));
  });

const withAddress = (address: string | undefined) =>
  address === undefined ? {} : { ipAddressUsed: address };

/**
 * Resolves the URL's host and runs one exchange: the body bytes moved and the fields both
 * diagnostics report alike.
 */
const transfer = (
  input: DownloadDiagnosticsInput | UploadDiagnosticsInput,
  method: "GET" | "PUT",
  uploadBytes: number,
  failedTransfer: DiagnosticsErrorState,
  limits: HttpTransferLimits,
  signal: AbortSignal,
) =>
  Effect.gen(function* () {
    const url = yield* parseUrl(input.url);
    const target = yield* resolveHost(url.hostname.replace(/^\[|\]$/g, ""), input.protocolVersion);
    const r = yield* exchange(
      url,
      target.address,
      method,
      uploadBytes,
      failedTransfer,
      limits,
      signal,
    );
    return {
      bodyBytes: r.bodyBytes,
      common: {
        ...withAddress(r.ipAddressUsed),
        tcpOpenRequestTime: r.tcpOpenRequestTime,
        tcpOpenResponseTime: r.tcpOpenResponseTime,
        romTime: r.romTime,
        bomTime: r.bomTime,
        eomTime: r.eomTime,
        totalBytesReceived: r.totalBytesReceived,
        totalBytesSent: r.totalBytesSent,
      },
    };
  });

/** DownloadDiagnostics over HTTP (see the module comment). */
export const httpDownloadDiagnostics = (
  input: DownloadDiagnosticsInput,
  signal: AbortSignal,
  limits: HttpTransferLimits,
): Effect.Effect<DownloadDiagnosticsResult, DiagnosticsError> =>
  Effect.map(
    transfer(input, "GET", 0, "Error_TransferFailed", limits, signal),
    ({ bodyBytes, common }) => ({ ...common, testBytesReceived: bodyBytes }),
  );

/** UploadDiagnostics over HTTP PUT (see the module comment). */
export const httpUploadDiagnostics = (
  input: UploadDiagnosticsInput,
  signal: AbortSignal,
  limits: HttpTransferLimits,
): Effect.Effect<UploadDiagnosticsResult, DiagnosticsError> =>
  Effect.map(
    transfer(input, "PUT", input.testFileLength, "Error_NoTransferComplete", limits, signal),
    ({ bodyBytes, common }) => ({ ...common, testBytesSent: bodyBytes }),
  );
