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

/** `signal`, or a signal that also aborts when `deadline` passes; `done` clears the timer. */
const withDeadline = (signal: AbortSignal, deadline: ExchangeDeadline | undefined) => {
  if (deadline === undefined) return { signal, expired: () => false, done: () => {} };
  const local = new AbortController();
  const forward = () => local.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  const timer = setTimeout(() => local.abort(new DeadlineSignal(deadline.detail)), deadline.ms);
  return {
    signal: local.signal,
    expired: () => local.signal.reason instanceof DeadlineSignal,
    done: () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", forward);
    },
  };
};

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
    try: async (outer) => {
      const limit = withDeadline(outer, deadline);
      try {
        return await send(dispatcher, request, maxBytes, limit.signal);
      } catch (error) {
        throw limit.expired() ? limit.signal.reason : error;
      } finally {
        limit.done();
      }
    },
    catch: (error) =>
      error instanceof TooLargeSignal
        ? new HttpFailure({ kind: "TooLarge", detail: error.message })
        : error instanceof DeadlineSignal
          ? new HttpFailure({ kind: "Timeout", detail: error.message })
          : new HttpFailure({
              kind: classifyNetworkError(error),
              detail: describe(error),
              cause: error,
            }),
  });

const send = async (
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  maxBytes: number,
  signal: AbortSignal,
): Promise<ExchangeResponse> => {
  const res = await dispatcher.request({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
    signal,
  });
  const declared = Number(res.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.body.destroy();
    throw new TooLargeSignal(`Content-Length ${declared} exceeds ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      res.body.destroy();
      throw new TooLargeSignal(`body exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return {
    status: res.statusCode,
    headers: res.headers,
    body: new Uint8Array(Buffer.concat(chunks, total)),
  };
};

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);

/**
 * Undoes a `Content-Encoding` of gzip or deflate (H8), never producing more than `maxBytes`
 * (a compression bomb fails with `TooLarge`). `deflate` is tried as zlib data first, then raw,
 * because servers send both under that name.
 */
export const decodeContent = (
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Effect.Effect<Uint8Array, HttpFailure> => {
  const encoding = (contentEncoding ?? "identity").trim().toLowerCase();
  if (encoding === "identity" || encoding === "" || body.length === 0) return Effect.succeed(body);
  const opts = { maxOutputLength: Math.max(1, maxBytes) };
  const run = (f: () => Promise<Buffer>) =>
    Effect.tryPromise({
      try: f,
      catch: (error) =>
        new HttpFailure({
          kind:
            (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
              ? "TooLarge"
              : "BadEncoding",
          detail:
            (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
              ? `the ${encoding} body decodes to more than ${maxBytes} bytes (the response size limit)`
              : `${encoding}: ${describe(error)}`,
          cause: error,
        }),
    }).pipe(Effect.map((b) => new Uint8Array(b)));
  if (encoding === "gzip" || encoding === "x-gzip") return run(() => gunzip(body, opts));
  if (encoding === "deflate")
    return run(() => inflate(body, opts)).pipe(
      Effect.catchIf(
        (e) => e.kind === "BadEncoding",
        () => run(() => inflateRaw(body, opts)),
      ),
    );
  return Effect.fail(
    new HttpFailure({ kind: "BadEncoding", detail: `unsupported Content-Encoding ${encoding}` }),
  );
};

/** The first value of a header, as undici gives headers (string or list). */
export const headerValue = (
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
