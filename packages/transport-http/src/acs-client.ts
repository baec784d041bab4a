/**
 * The ACS client: the undici implementation of the `AcsTransport` port (requirements H5-H9,
 * A1-A3).
 *
 * One session = one undici `Client` (a single keep-alive connection, pipelining 1, so never
 * two requests in flight: H5) created when the session opens and destroyed when its scope
 * closes. If the ACS closes the TCP connection, the next POST opens a new one and still carries
 * the session's cookies (H6). Redirects are followed on the session's first POST only (H9);
 * later POSTs go to where it ended. Each HTTP exchange has a timeout: on Effect's live clock a
 * plain timer that aborts the request, on a `TestClock` `Effect.timeout` (virtual time). A POST
 * is one async function; `post` runs it as an Effect, and on the live clock the connection also
 * offers it as a plain call (`postNow`), which spares a session a fiber per POST (issue 11).
 * @module
 */

import { gzipSync } from "node:zlib";
import {
  type AcsConnection,
  type AcsEndpoint,
  type AcsPostSettle,
  type AcsResponse,
  AcsTransport,
  type AcsTransportService,
  isLiveClock,
  isTransportError,
  TransportError,
  type TransportErrorReason,
} from "@cpekit/core";
import { Cause, Duration, Effect, Exit, Layer, Runtime, type Scope } from "effect";
import { SessionCookieJar } from "./internal/cookie-jar.js";
import { HttpAuthenticator, maxAuthAttempts } from "./internal/http-authenticator.js";
import {
  decodeContentNow,
  type ExchangeResponse,
  exchange,
  exchangeNow,
  type HttpFailure,
  type HttpFailureKind,
  headerValue,
  redirectStatuses,
} from "./internal/http-exchange.js";
import { acquireOriginClient } from "./internal/origin-client.js";
import {
  makeRequestCompression,
  type RequestCompressionMode,
} from "./internal/request-compression.js";
import { parseRetryAfter } from "./internal/retry-after.js";
import { loadTlsFiles, type TlsFiles } from "./internal/tls-files.js";

/** Deployment settings of the ACS client (the endpoint itself comes with each `open`). */
export interface AcsClientOptions extends TlsFiles {
  /** Time allowed for each HTTP exchange (connect, send, whole answer). Default 30 s. */
  readonly requestTimeout?: Duration.DurationInput;
  /** Largest response body accepted, after decompression. Default 4 MiB. */
  readonly maxResponseBytes?: number;
  /** Most redirects followed on the first POST (H9). Default 5. */
  readonly maxRedirects?: number;
  /** Send Basic credentials before any challenge; only sensible over HTTPS (A1). Default false. */
  readonly preemptiveBasic?: boolean;
  /**
   * Answer the challenges of the origin a redirect leads to with the ACS credentials (H9, A1).
   * Default false: the credentials go only to the origin of the configured URL. Even when
   * allowed, a redirected origin on plain HTTP gets Digest only, never Basic.
   */
  readonly credentialsOnRedirect?: boolean;
  /** Advertise `Accept-Encoding: gzip, deflate` (H8). Default true. */
  readonly acceptCompression?: boolean;
  /**
   * Gzip the bodies POSTed to the ACS (H8): `"auto"` (default) once an answer of the ACS shows
   * it takes gzip (`Content-Encoding: gzip`, or `gzip` in an `Accept-Encoding` of its answer),
   * `"gzip"` from the first POST, `"none"` never. A 415 to a gzip body sends it again plain and
   * keeps to plain bodies for that ACS.
   */
  readonly requestCompression?: RequestCompressionMode;
  /** `User-Agent` header; none by default. */
  readonly userAgent?: string;
}

const reasonOf: Record<HttpFailureKind, TransportErrorReason> = {
  ConnectFailed: "ConnectFailed",
  Tls: "Tls",
  ConnectionLost: "ConnectionLost",
  TooLarge: "TooLarge",
  BadEncoding: "BadResponse",
  InvalidRequest: "InvalidConfig",
  Timeout: "Timeout",
};

const fromFailure = (f: HttpFailure): TransportError =>
  new TransportError({ reason: reasonOf[f.kind], detail: f.detail, cause: f.cause });

const parseUrl = (text: string): URL | undefined => {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
};

const flatHeaders = (headers: ExchangeResponse["headers"]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && k !== "set-cookie") out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
};

/** Builds the ACS client service. */
export const make = (options: AcsClientOptions = {}): AcsTransportService => {
  const timeout = Duration.decode(options.requestTimeout ?? "30 seconds");
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const acceptCompression = options.acceptCompression ?? true;
  // Learnt once per client: every session of the device to the same ACS benefits.
  const compression = makeRequestCompression(options.requestCompression ?? "auto");
  const hasTlsFiles =
    options.caFile !== undefined || options.certFile !== undefined || options.keyFile !== undefined;
  const timeoutMs = Duration.toMillis(timeout);
  const timeoutText = Duration.format(timeout);

  const open = (endpoint: AcsEndpoint): Effect.Effect<AcsConnection, TransportError, Scope.Scope> =>
    Effect.gen(function* () {
      const initial = parseUrl(endpoint.url);
      if (initial === undefined)
        return yield* new TransportError({
          reason: "InvalidConfig",
          detail: `not an http(s) URL: ${endpoint.url}`,
        });
      // Files are read at every open (a renewed certificate applies to the next session);
      // without any, nothing to wait for.
      const tls = hasTlsFiles
        ? yield* Effect.tryPromise({
            try: () => loadTlsFiles(options),
            catch: (cause) =>
              new TransportError({ reason: "InvalidConfig", detail: String(cause), cause }),
          })
        : {};

      // Per-session state, owned by this scope only; POSTs of a session are sequential.
      let url = initial;
      let posts = 0;
      const conn = yield* acquireOriginClient(url, {
        pipelining: 1,
        // Certificates verified unless explicitly turned off.
        connect: { ...tls, rejectUnauthorized: options.rejectUnauthorized ?? true },
      });
      const cookies = new SessionCookieJar();
      const credentials =
        endpoint.username !== undefined
          ? { username: endpoint.username, password: endpoint.password ?? "" }
          : undefined;
      // Credentials belong to the configured origin; another one a redirect leads to gets them
      // only when allowed, and never in Basic over plain HTTP (A1).
      const authFor = (target: URL): HttpAuthenticator =>
        target.origin === initial.origin
          ? new HttpAuthenticator(credentials, options.preemptiveBasic ?? false)
          : new HttpAuthenticator(
              options.credentialsOnRedirect === true ? credentials : undefined,
              false,
              target.protocol === "https:",
            );
      let auth = authFor(initial);
      const refusal = (): string => {
        if (credentials === undefined)
          return "the ACS asks for credentials and none are configured";
        if (url.origin === initial.origin) return "the ACS refused the credentials";
        if (options.credentialsOnRedirect !== true)
          return `${url.origin}, reached by a redirect, asks for credentials: they are sent only to ${initial.origin} (credentialsOnRedirect allows more)`;
        return url.protocol === "https:"
          ? `${url.origin}, reached by a redirect, refused the credentials`
          : `${url.origin}, reached by a redirect over plain HTTP, refused Digest or asked for Basic, which is never sent there`;
      };

      // The clock the session runs on: on the live one each exchange is a plain promise with a
      // timer for its deadline; on a TestClock it runs as an Effect, so virtual time drives it.
      const clock = yield* Effect.clock;
      const live = isLiveClock(clock);
      const runtime = yield* Effect.runtime<never>();

      const send = (
        body: string | null,
        gzip: boolean,
        signal: AbortSignal | undefined,
      ): Promise<ExchangeResponse> => {
        const path = `${url.pathname}${url.search}`;
        const headers: Record<string, string> = {};
        let payload: string | Uint8Array | null = body;
        if (body !== null && body !== "") {
          headers["content-type"] = 'text/xml; charset="utf-8"';
          headers.soapaction = "";
          if (gzip) {
            headers["content-encoding"] = "gzip";
            payload = gzipSync(body);
          }
        } else headers["content-length"] = "0";
        const cookie = cookies.header(url.href);
        if (cookie !== undefined) headers.cookie = cookie;
        const authorization = auth.authorization("POST", path);
        if (authorization !== undefined) headers.authorization = authorization;
        if (acceptCompression) headers["accept-encoding"] = "gzip, deflate";
        if (options.userAgent !== undefined) headers["user-agent"] = options.userAgent;
        const detail = `no complete answer from ${url.href} within ${timeoutText}`;
        const request = {
          method: "POST",
          path,
          headers,
          ...(payload ? { body: payload } : {}),
        } as const;
        // On the live clock a plain timer bounds the exchange (a timeout fiber per POST cost
        // more than the rest of the exchange's Effect steps); a TestClock still drives it.
        if (live)
          return exchangeNow(
            conn.client(),
            request,
            maxBytes,
            { ms: timeoutMs, detail },
            signal,
          ).catch((failure: HttpFailure) => Promise.reject(fromFailure(failure)));
        return Runtime.runPromiseExit(runtime)(
          exchange(conn.client(), request, maxBytes).pipe(
            Effect.mapError(fromFailure),
            Effect.timeoutFail({
              duration: timeout,
              onTimeout: () => new TransportError({ reason: "Timeout", detail }),
            }),
          ),
          signal === undefined ? {} : { signal },
        ).then((exit) =>
          Exit.isSuccess(exit) ? exit.value : Promise.reject(Cause.squash(exit.cause)),
        );
      };

      /** Follows a redirect of the first POST: a bad `Location` rejects with a TransportError. */
      const redirect = async (res: ExchangeResponse): Promise<void> => {
        const location = headerValue(res.headers, "location");
        const next = location === undefined ? undefined : parseUrl(new URL(location, url).href);
        if (next === undefined)
          throw new TransportError({
            reason: "Redirect",
            status: res.status,
            detail: `bad Location ${location ?? "(none)"}`,
          });
        // Another server issues its own challenge, and may not be trusted with the credentials.
        if (await conn.moveToNow(url, next)) auth = authFor(next);
        url = next;
      };

      /**
       * One POST, as a plain promise (issue 11: a fiber per POST cost more than the exchange's
       * own work). Rejects with a TransportError; `signal` aborts it (`post` interrupted).
       */
      const postAsync = async (
        body: string | null,
        signal: AbortSignal | undefined,
      ): Promise<AcsResponse> => {
        const first = posts === 0;
        posts++;
        let attempts = 0;
        let redirects = 0;
        for (;;) {
          signal?.throwIfAborted();
          const gzip = body !== null && body !== "" && compression.gzipFor(url.origin);
          const res = await send(body, gzip, signal);
          cookies.store(url.href, res.headers["set-cookie"]);
          if (gzip && res.status === 415) {
            // The ACS takes no gzip after all: the same body again, plain (H8).
            compression.refused(url.origin);
            continue;
          }
          compression.learn(
            url.origin,
            headerValue(res.headers, "content-encoding"),
            headerValue(res.headers, "accept-encoding"),
          );
          if (res.status === 401) {
            attempts++;
            if (attempts < maxAuthAttempts && auth.onUnauthorized(res.headers["www-authenticate"]))
              continue;
            throw new TransportError({ reason: "Unauthorized", status: 401, detail: refusal() });
          }
          if (redirectStatuses.has(res.status)) {
            if (!first)
              throw new TransportError({
                reason: "Redirect",
                status: res.status,
                detail: "redirect of a POST after the first one of the session (H9)",
              });
            if (++redirects > maxRedirects)
              throw new TransportError({
                reason: "Redirect",
                status: res.status,
                detail: `more than ${maxRedirects} redirects`,
              });
            await redirect(res);
            continue;
          }
          if (res.status < 200 || res.status > 299) {
            const retryAfter = parseRetryAfter(
              headerValue(res.headers, "retry-after"),
              clock.unsafeCurrentTimeMillis(),
            );
            throw new TransportError({
              reason: "HttpStatus",
              status: res.status,
              detail: `HTTP ${res.status} from ${url.href}`,
              ...(retryAfter === undefined ? {} : { retryAfter }),
            });
          }
          let decoded = decodeContentNow(
            res.body,
            headerValue(res.headers, "content-encoding"),
            maxBytes,
          );
          if (!(decoded instanceof Uint8Array))
            decoded = await decoded.catch((failure: HttpFailure) =>
              Promise.reject(fromFailure(failure)),
            );
          return {
            status: res.status,
            headers: flatHeaders(res.headers),
            body: Buffer.from(decoded).toString("utf8"),
          };
        }
      };

      const post = (body: string | null): Effect.Effect<AcsResponse, TransportError> =>
        Effect.async<AcsResponse, TransportError>((resume, signal) => {
          postAsync(body, signal).then(
            (response) => resume(Effect.succeed(response)),
            (error: unknown) =>
              resume(isTransportError(error) ? Effect.fail(error) : Effect.die(error)),
          );
        });

      const postNow = (body: string | null, settle: AcsPostSettle): void => {
        postAsync(body, undefined).then(settle.done, settle.fail);
      };

      return {
        post,
        // On a TestClock a plain call would escape virtual time: sessions use `post` there.
        ...(live ? { postNow } : {}),
        url: Effect.sync(() => url.href),
      } satisfies AcsConnection;
    });

  return { open };
};

/** The `AcsTransport` layer backed by undici. */
export const layer = (options: AcsClientOptions = {}): Layer.Layer<AcsTransport> =>
  Layer.succeed(AcsTransport, make(options));
