/**
 * One HTTP request/response on an undici dispatcher, with the response body read under a
 * size cap and network failures sorted into a few kinds the callers map to their own errors
 * (ACS transport reasons, file-transfer fault codes). Timeouts are the caller's, through
 * `Effect.timeout` (interruption aborts the request), or a `deadline` given here: a plain timer
 * that aborts the request, for callers on the live clock that would otherwise pay a fiber per
 * request for the timeout alone.
 * @module
 */
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { Data, Effect } from "effect";
import type { Dispatcher } from "undici";

/** What went wrong below HTTP, or with the body. */
export type HttpFailureKind =
  | "ConnectFailed"
  | "Tls"
  | "ConnectionLost"
  | "TooLarge"
  | "BadEncoding"
  | "InvalidRequest"
  /** The `deadline` passed before the whole response was read. */
  | "Timeout";

/** A failure of one exchange (internal to this package). */
export class HttpFailure extends Data.TaggedError("HttpFailure")<{
  readonly kind: HttpFailureKind;
  readonly detail: string;
  readonly cause?: unknown;
}> {}

/** The HTTP statuses that redirect (a `Location` header says where to). */
export const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** A request to send. `path` is the origin-form target (path and query). */
export interface ExchangeRequest {
  readonly method: "GET" | "POST" | "PUT";
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

/** A response with its (still content-encoded) body. */
export interface ExchangeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

const connectCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Sorts a socket/TLS error of node or undici into a {@link HttpFailureKind}. */
export const classifyNetworkError = (error: unknown): HttpFailureKind => {
  const code = errorCode(error);
  if (code !== undefined && connectCodes.has(code)) return "ConnectFailed";
  if (
    code !== undefined &&
    (code.startsWith("ERR_TLS") ||
      code.startsWith("ERR_SSL") ||
      code.startsWith("CERT_") ||
      code.includes("SELF_SIGNED") ||
      code.startsWith("UNABLE_TO_") ||
      code === "HOSTNAME_MISMATCH")
  )
    return "Tls";
  if (code === "UND_ERR_INVALID_ARG" || code === "ERR_INVALID_URL") return "InvalidRequest";
  return "ConnectionLost";
};

const errorCode = (error: unknown): string | undefined => {
  // undici wraps socket errors: the node error code may sit on `cause`.
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_SOCKET") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return (error as { code?: unknown } | undefined)?.code as string | undefined;
};

const describe = (error: unknown): string =>
  error instanceof Error
    ? `${error.message}${errorCode(error) ? ` (${errorCode(error)})` : ""}`
    : String(error);

class TooLargeSignal extends Error {}
class DeadlineSignal extends Error {}

/** A time limit on a whole exchange, and what to say when it passes. */
export interface ExchangeDeadline {
  readonly ms: number;
  readonly detail: string;
}

/** What any failure of an exchange is reported as. */
const toFailure = (error: unknown): HttpFailure =>
  error instanceof HttpFailure
    ? error
    : error instanceof TooLargeSignal
      ? new HttpFailure({ kind: "TooLarge", detail: error.message })
      : error instanceof DeadlineSignal
        ? new HttpFailure({ kind: "Timeout", detail: error.message })
        : new HttpFailure({
            kind: classifyNetworkError(error),
            detail: describe(error),
            cause: error,
          });

/**
 * {@link exchange} as a plain promise, for callers that are not in a fiber (the ACS client's
 * POSTs, issue 11): rejects with an {@link HttpFailure} only. `signal`, when given, aborts the
 * request. The request goes through undici's dispatch handler, the body gathered as it comes:
 * no response stream, async iterator or abort controller per exchange.
 */
export const exchangeNow = (
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  maxBytes: number,
  deadline?: ExchangeDeadline,
  signal?: AbortSignal,
): Promise<ExchangeResponse> =>
  new Promise<ExchangeResponse>((resolve, reject) => {
    // The caller gave up (an interrupted fiber): what it is told no longer matters.
    const aborted = () =>
      new HttpFailure({ kind: "ConnectionLost", detail: "aborted", cause: signal?.reason });
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: ExchangeResponse["headers"] = {};
    const chunks: Buffer[] = [];
    let total = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => stop(aborted());
    const finish = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    /** Ends the exchange with `error`; the request, if still running, is aborted. */
    const stop = (error: unknown) => {
      if (settled) return;
      finish();
      reject(toFailure(error));
      controller?.abort(error instanceof Error ? error : new Error(String(error)));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    if (deadline !== undefined)
      timer = setTimeout(() => stop(new DeadlineSignal(deadline.detail)), deadline.ms);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (c) => {
        controller = c;
        if (settled) c.abort(new Error("the exchange already ended"));
      },
      onResponseStart: (_c, statusCode, responseHeaders) => {
        // Informational answers (100 Continue) are not the response, as for `request`.
        if (statusCode < 200) return;
        status = statusCode;
        headers = responseHeaders;
        const declared = Number(responseHeaders["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes)
          stop(new TooLargeSignal(`Content-Length ${declared} exceeds ${maxBytes} bytes`));
      },
      onResponseData: (_c, chunk) => {
        if (settled) return;
        total += chunk.length;
        if (total > maxBytes) stop(new TooLargeSignal(`body exceeds ${maxBytes} bytes`));
        else chunks.push(chunk);
      },
      onResponseEnd: () => {
        if (settled) return;
        finish();
        resolve({ status, headers, body: new Uint8Array(Buffer.concat(chunks, total)) });
      },
      onResponseError: (_c, error) => stop(error),
    };
    try {
      dispatcher.dispatch(
        {
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      stop(error);
    }
  });

/**
 * Sends one request and reads the whole response body, failing with `TooLarge` as soon as it
 * exceeds `maxBytes` (the rest is not read: the connection is destroyed), and with `Timeout`
 * when `deadline` passes first.
 */
export const exchange = (
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  maxBytes: number,
  deadline?: ExchangeDeadline,
): Effect.Effect<ExchangeResponse, HttpFailure> =>
  Effect.tryPromise({
    try: (signal) => exchangeNow(dispatcher, request, maxBytes, deadline, signal),
    catch: toFailure,
  });

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

const encodingFailure = (error: unknown, encoding: string, maxBytes: number): HttpFailure =>
  new HttpFailure({
    kind: (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? "TooLarge" : "BadEncoding",
    detail:
      (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
        ? `the ${encoding} body decodes to more than ${maxBytes} bytes (the response size limit)`
        : `${encoding}: ${describe(error)}`,
    cause: error,
  });

/**
 * {@link decodeContent} as a plain call: the body itself when it is not encoded (no promise),
 * otherwise a promise that rejects with an {@link HttpFailure} only.
 */
export const decodeContentNow = (
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Uint8Array | Promise<Uint8Array> => {
  const encoding = (contentEncoding ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "" || body.length === 0) return body;
  const opts = { maxOutputLength: Math.max(1, maxBytes) };
  const run = (f: () => Promise<Buffer>) =>
    f().then(
      (b) => new Uint8Array(b),
      (error) => {
        throw encodingFailure(error, encoding, maxBytes);
      },
    );
  if (encoding === "gzip" || encoding === "x-gzip") return run(() => gunzip(body, opts));
  if (encoding === "deflate")
    return run(() => inflate(body, opts)).catch((e: HttpFailure) =>
      e.kind === "BadEncoding" ? run(() => inflateRaw(body, opts)) : Promise.reject(e),
    );
  return Promise.reject(
    new HttpFailure({ kind: "BadEncoding", detail: `unsupported Content-Encoding ${encoding}` }),
  );
};

/**
 * Undoes a `Content-Encoding` of gzip or deflate (H8), never producing more than `maxBytes`
 * (a compression bomb fails with `TooLarge`). `deflate` is tried as zlib data first, then raw,
 * because servers send both under that name.
 */
export const decodeContent = (
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Effect.Effect<Uint8Array, HttpFailure> =>
  Effect.suspend(() => {
    const decoded = decodeContentNow(body, contentEncoding, maxBytes);
    return decoded instanceof Uint8Array
      ? Effect.succeed(decoded)
      : Effect.tryPromise({ try: () => decoded, catch: (error) => error as HttpFailure });
  });

/** The first value of a header, as undici gives headers (string or list). */
export const headerValue = (
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
