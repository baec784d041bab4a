/**
 * The HTTP face of the testkit: a node:http server on 127.0.0.1 (port 0) routing the CWMP path
 * to the endpoint, GETs of served files and uploads to the file shelf, and everything else to
 * 404. It reads bodies (gzip/deflate accepted, others 415, size-limited), applies the scripted
 * delay or drop, writes the reply and records every exchange in the transcript.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { deflateSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { Effect, type Fiber, type Scope } from "effect";
import type { CwmpEndpoint } from "./cwmp-endpoint.js";
import type { InjectedFault } from "./fault-injection.js";
import type { FileShelf } from "./file-shelf.js";
import { uploadPrefix } from "./file-shelf.js";
import { TestAcsError } from "./testkit-error.js";
import type { ExchangeKind, ExchangeMessage, Transcript } from "./transcript.js";

/** What the server routes to. */
export interface ServerParts {
  readonly endpoint: CwmpEndpoint;
  readonly files: FileShelf;
  readonly transcript: Transcript;
  /** The CWMP path, e.g. `/acs`. */
  readonly acsPath: string;
  readonly maxBodyBytes: number;
  /**
   * Advertise gzip (H8): every CWMP answer carries `Accept-Encoding: gzip` (RFC 7694), and an
   * answer is gzipped when the CPE's `Accept-Encoding` takes gzip. Gzip requests are accepted
   * whether or not this is on.
   */
  readonly advertiseGzip?: boolean;
  /** Runs a request's handling in the ACS's scope (interrupted when the ACS stops). */
  readonly run: (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void>;
}

/** Starts the server; it stops (every connection destroyed) when the scope closes. */
export const listen = (
  parts: ServerParts,
): Effect.Effect<{ readonly baseUrl: string }, TestAcsError, Scope.Scope> =>
  Effect.gen(function* () {
    const sockets = new Map<Socket, number>();
    let nextConnection = 0;
    const server = yield* Effect.acquireRelease(
      Effect.async<Server, TestAcsError>((resume) => {
        const s = createServer((req, res) => {
          parts.run(handle(parts, sockets.get(req.socket) ?? 0, req, res));
        });
        s.on("connection", (socket) => {
          sockets.set(socket, ++nextConnection);
          socket.on("close", () => {
            const id = sockets.get(socket);
            sockets.delete(socket);
            if (id !== undefined) parts.endpoint.connectionClosed(id);
          });
        });
        s.once("error", (cause) =>
          resume(
            Effect.fail(
              new TestAcsError({ reason: "Listen", detail: "cannot listen on 127.0.0.1", cause }),
            ),
          ),
        );
        s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)));
      }),
      (s) =>
        Effect.async<void>((resume) => {
          for (const socket of sockets.keys()) socket.destroy();
          s.close(() => resume(Effect.void));
        }),
    );
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    return { baseUrl: `http://127.0.0.1:${port}` };
  });

const readBody = (
  req: IncomingMessage,
  limit: number,
): Effect.Effect<Buffer | "tooLarge" | "aborted"> =>
  Effect.async((resume) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resume(Effect.succeed("tooLarge"));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resume(Effect.succeed(Buffer.concat(chunks)));
    };
    const onAbort = () => {
      cleanup();
      resume(Effect.succeed("aborted"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onAbort);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onAbort);
    return Effect.sync(cleanup);
  });

const write = (
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array | string,
) =>
  Effect.async<boolean>((resume) => {
    // The CPE may have gone while the ACS delayed or held its answer: nothing to wait for then.
    if (res.destroyed || res.socket === null || res.socket.destroyed)
      return resume(Effect.succeed(false));
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    res.once("close", () => resume(Effect.succeed(true)));
    try {
      res.writeHead(status, { ...headers, "Content-Length": String(bytes.length) });
    } catch {
      // A scripted status or header node:http refuses (status 42, a header with a newline):
      // the CPE sees a 500 rather than a hung request.
      res.writeHead(500, { "Content-Length": String(bytes.length) });
    }
    res.end(bytes);
  });

/** The decoded body; "tooLarge" past `limit` bytes decoded (a gzip bomb stops there). */
const decompress = (
  encoding: string | undefined,
  body: Buffer,
  limit: number,
): Buffer | "tooLarge" | undefined => {
  try {
    if (encoding === undefined || encoding === "identity") return body;
    if (encoding === "gzip") return gunzipSync(body, { maxOutputLength: limit });
    if (encoding === "deflate") return inflateSync(body, { maxOutputLength: limit });
  } catch (e) {
    return (e as { code?: string }).code === "ERR_BUFFER_TOO_LARGE" ? "tooLarge" : undefined;
  }
  return undefined;
};

/** True when an `Accept-Encoding` request header takes gzip (not `gzip;q=0`). */
const takesGzip = (accept: string | undefined): boolean =>
  (accept ?? "")
    .toLowerCase()
    .split(",")
    .some((item) => {
      const [coding, ...params] = item.split(";").map((p) => p.trim());
      return coding === "gzip" && !params.some((p) => /^q=0(\.0*)?$/.test(p));
    });

const handle = (
  parts: ServerParts,
  connection: number,
  req: IncomingMessage,
  res: ServerResponse,
): Effect.Effect<void> =>
  Effect.gen(function* () {
    const startedAt = new Date();
    const started = performance.now();
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const requestHeaders = { ...req.headers } as Record<string, string | string[]>;
    const record = (
      kind: ExchangeKind,
      request: Omit<ExchangeMessage, "headers">,
      response: Omit<ExchangeMessage, "headers"> & {
        status: number | "dropped";
        headers?: Record<string, string>;
      },
      extra: {
        sessionId?: string;
        deviceId?: string;
        injected?: readonly InjectedFault[];
        notes?: readonly string[];
      } = {},
    ) =>
      parts.transcript.add({
        kind,
        startedAt: startedAt.toISOString(),
        durationMs: Math.round(performance.now() - started),
        connection,
        method,
        url: req.url ?? "/",
        ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
        ...(extra.deviceId ? { deviceId: extra.deviceId } : {}),
        request: { headers: requestHeaders, ...request },
        response: { headers: response.headers ?? {}, ...response },
        injected: extra.injected ?? [],
        notes: extra.notes ?? [],
      });
    const reply = (
      kind: ExchangeKind,
      status: number,
      headers: Record<string, string>,
      body: string,
      requestBody = "",
    ) =>
      write(res, status, headers, body).pipe(
        Effect.tap(() => record(kind, { body: requestBody }, { status, headers, body })),
      );

    if (path === parts.acsPath) {
      if (method !== "POST")
        return yield* reply(
          "cwmp",
          405,
          { Allow: "POST", Connection: "close" },
          "405 Method Not Allowed",
        );
      const encoding = req.headers["content-encoding"]?.toLowerCase();
      if (encoding !== undefined && !["gzip", "deflate", "identity"].includes(encoding))
        return yield* reply("cwmp", 415, { Connection: "close" }, "415 Unsupported Media Type");
      const raw = yield* readBody(req, parts.maxBodyBytes);
      if (raw === "aborted") return;
      if (raw === "tooLarge")
        return yield* reply("cwmp", 413, { Connection: "close" }, "413 Payload Too Large");
      const body = decompress(encoding, raw, parts.maxBodyBytes);
      if (body === "tooLarge")
        return yield* reply("cwmp", 413, { Connection: "close" }, "413 Payload Too Large");
      if (body === undefined)
        return yield* reply(
          "cwmp",
          400,
          { Connection: "close" },
          `cannot ${encoding}-decode the body`,
        );
      const text = body.toString("utf8");
      const outcome = yield* parts.endpoint.handle({
        connection,
        headers: req.headers,
        body: text,
      });
      const { reply: r } = outcome;
      if (r.delayMs > 0) yield* Effect.sleep(r.delayMs);
      const request: Omit<ExchangeMessage, "headers"> = {
        body: text,
        ...(outcome.requestMessage ? { message: outcome.requestMessage } : {}),
        ...(outcome.requestEnvelope ? { envelope: outcome.requestEnvelope } : {}),
        ...(outcome.warnings && outcome.warnings.length > 0 ? { warnings: outcome.warnings } : {}),
      };
      const extra = {
        ...(outcome.sessionId ? { sessionId: outcome.sessionId } : {}),
        ...(outcome.deviceId ? { deviceId: outcome.deviceId } : {}),
        injected: outcome.injected,
        notes: outcome.notes,
      };
      if (r.kind === "drop") {
        req.socket.destroy();
        record("cwmp", request, { status: "dropped", body: "" }, extra);
        return;
      }
      // Answer in the request's content coding, as GenieACS does (H8); advertising gzip, in
      // gzip whenever the CPE takes it.
      const coding =
        encoding === "gzip" || encoding === "deflate"
          ? encoding
          : parts.advertiseGzip === true && takesGzip(req.headers["accept-encoding"])
            ? "gzip"
            : undefined;
      const compress = r.body !== "" && coding !== undefined;
      const payload = compress
        ? coding === "gzip"
          ? gzipSync(r.body)
          : deflateSync(r.body)
        : r.body;
      const advertised =
        parts.advertiseGzip === true ? { ...r.headers, "Accept-Encoding": "gzip" } : r.headers;
      const headers = compress ? { ...advertised, "Content-Encoding": coding } : advertised;
      const delivered = yield* write(res, r.status, headers, payload);
      const notes = delivered
        ? extra.notes
        : [...extra.notes, "the CPE closed the connection before the answer"];
      record(
        "cwmp",
        request,
        {
          status: r.status,
          headers,
          body: r.body,
          ...(r.message ? { message: r.message } : r.status === 204 ? { message: "empty" } : {}),
          ...(r.envelope ? { envelope: r.envelope } : {}),
        },
        { ...extra, notes },
      );
      return;
    }
    if ((method === "GET" || method === "HEAD") && parts.files.serves(path)) {
      const f = parts.files.download(path, method, req.headers.authorization);
      const { holdMs = 0, breakOffAfterBytes } = f.delivery ?? {};
      if (holdMs > 0) yield* Effect.sleep(holdMs);
      if (breakOffAfterBytes !== undefined && typeof f.body !== "string") {
        // The whole length announced, part of the body sent, then the connection gone.
        res.writeHead(f.status, f.headers);
        res.write(f.body.subarray(0, breakOffAfterBytes), () => req.socket.destroy());
      } else yield* write(res, f.status, f.headers, f.body);
      record(
        "fileDownload",
        { body: "" },
        {
          status: f.status,
          headers: { ...f.headers },
          body: typeof f.body === "string" ? f.body : `(${f.body.length} bytes)`,
        },
        {
          notes: [
            ...(f.note ? [f.note] : []),
            ...(holdMs > 0 ? [`held ${holdMs} ms`] : []),
            ...(breakOffAfterBytes !== undefined
              ? [`broken off after ${breakOffAfterBytes} bytes`]
              : []),
          ],
        },
      );
      return;
    }
    if ((method === "PUT" || method === "POST") && path.startsWith(uploadPrefix)) {
      const raw = yield* readBody(req, parts.maxBodyBytes);
      if (raw === "aborted") return;
      if (raw === "tooLarge")
        return yield* reply("upload", 413, { Connection: "close" }, "413 Payload Too Large");
      const f = parts.files.upload(
        path,
        method,
        req.headers.authorization,
        req.headers["content-type"],
        new Uint8Array(raw),
      );
      yield* write(res, f.status, f.headers, f.body);
      record(
        "upload",
        { body: `(${raw.length} bytes)` },
        { status: f.status, headers: { ...f.headers }, body: "" },
        { notes: f.note ? [f.note] : [] },
      );
      return;
    }
    yield* reply("other", 404, {}, "404 Not Found");
  }).pipe(
    // Stopping the ACS interrupts handlers; the CPE must see the connection end, not hang.
    Effect.onInterrupt(() => Effect.sync(() => req.socket.destroy())),
  );
