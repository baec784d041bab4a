/**
 * The Connection Request server: the node:http implementation of the `ConnectionRequests` port
 * (requirements C1-C5).
 *
 * GET only (405 otherwise) on one path (random per device by default, 404 elsewhere); Digest
 * with `qop=auth` against ConnectionRequestUsername/Password read at each request (they may
 * change at run time); nonces are HMAC-stamped and expire, a replayed `nc` is refused. A valid
 * request is answered 200 with an empty body first, then turned into a trigger (coalesced, see
 * `connection-request-gate.ts`); too many valid requests in a window get 503. A failed
 * authentication never triggers a session. `setEnabled(false)` closes the port and
 * `setEnabled(true)` listens again on the same one (C6, HTTPConnectionRequestEnable).
 * @module
 */
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ConnectionRequestCredentials,
  ConnectionRequests,
  type ConnectionRequestsService,
} from "@cpekit/core";
import { Clock, Data, Duration, Effect, Layer } from "effect";
import { connectionRequestUrl } from "./advertised-address.js";
import { makeAnswerInPlace } from "./answer-in-place.js";
import type { DigestAlgorithm } from "./digest-auth.js";
import { DigestVerifier } from "./digest-verifier.js";
import { makeConnectionRequestTriggers } from "./internal/connection-request-triggers.js";

/** Settings of the Connection Request server. */
export interface ConnectionRequestServerOptions {
  /** ConnectionRequestUsername/Password, read at every request (a `Ref.get` keeps them live). */
  readonly credentials: Effect.Effect<ConnectionRequestCredentials> | ConnectionRequestCredentials;
  /** TCP port; 0 (default) picks a free one. TR-069 devices conventionally use 7547. */
  readonly port?: number;
  /** Bind address. Default "0.0.0.0". */
  readonly host?: string;
  /** Host published in the URL instead of the bound address (NAT, port forwarding). */
  readonly advertisedHost?: string;
  /** Request path. Default: "/" and 20 random hex digits, so the URL cannot be guessed (C1). */
  readonly path?: string;
  /** Digest realm. Default "cpekit". */
  readonly realm?: string;
  /**
   * Digest algorithms offered, one challenge each. Default MD5 only: the ACSes we know
   * (GenieACS among them) answer MD5 and may misread several challenges.
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** Lifetime of a nonce. Default 5 minutes. */
  readonly nonceLifetime?: Duration.DurationInput;
  /**
   * Time a client has to send its whole request header; the socket is closed when it passes
   * (slowloris: a client dripping header bytes must not pin a socket). Default 10 s.
   */
  readonly headersTimeout?: Duration.DurationInput;
  /** At most `max` accepted requests per `window`; more get 503. Default 50 per 5 s (as icwmp). */
  readonly rateLimit?: { readonly max: number; readonly window: Duration.DurationInput };
}

/** The server could not start. */
export class ConnectionRequestServerError extends Data.TaggedError("ConnectionRequestServerError")<{
  readonly reason: "Listen";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `connection request server ${this.reason}: ${this.detail}`;
  }
}

/** A request as the handler sees it (what node:http gives, reduced to what matters). */
export interface IncomingConnectionRequest {
  readonly method: string;
  /** The request-target as received. */
  readonly target: string;
  readonly authorization: string | undefined;
}

/** The answer to write: status and headers, always with an empty body (C4). */
export interface ConnectionRequestAnswer {
  readonly status: 200 | 401 | 404 | 405 | 503;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
}

/** The server's logic without the socket: answers one request and may emit a trigger. */
export interface ConnectionRequestHandler {
  readonly handle: (request: IncomingConnectionRequest) => Effect.Effect<ConnectionRequestAnswer>;
  /** Called once the answer is written: emits the trigger of an accepted request (C4: answer first). */
  readonly afterAnswer: (answer: ConnectionRequestAnswer) => Effect.Effect<void>;
  /**
   * `handle` as a plain call, when the credentials are a plain value (no provider to ask):
   * the server then answers without running an Effect (issue 11). `refused` is the reason of
   * a 401, for {@link ConnectionRequestHandler.logRefusal}.
   */
  readonly handleNow?: (request: IncomingConnectionRequest) => {
    readonly answer: ConnectionRequestAnswer;
    readonly refused?: string;
  };
  /** `afterAnswer` as a plain call, on the clock the handler was made with. */
  readonly afterAnswerNow: (answer: ConnectionRequestAnswer) => void;
  /** Logs why a request was refused (at debug level); nothing when `reason` is undefined. */
  readonly logRefusal: (reason: string | undefined) => Effect.Effect<void>;
  readonly service: Omit<ConnectionRequestsService, "url">;
}

/** Builds the socket-free part of the server (usable in memory). */
export const makeHandler = (
  options: ConnectionRequestServerOptions & { readonly path: string },
): Effect.Effect<ConnectionRequestHandler> =>
  Effect.gen(function* () {
    const verifier = new DigestVerifier({
      realm: options.realm ?? "cpekit",
      algorithms: options.algorithms ?? ["MD5"],
      requireQop: true,
      nonceLifetimeMs: Duration.toMillis(options.nonceLifetime ?? "5 minutes"),
    });
    const credentials = Effect.isEffect(options.credentials)
      ? options.credentials
      : Effect.succeed(options.credentials);
    // Plain credentials can be checked by a plain call, on the clock the handler was made with.
    const plainCredentials = Effect.isEffect(options.credentials) ? undefined : options.credentials;
    const clock = yield* Effect.clock;
    const requests = yield* makeConnectionRequestTriggers(options.rateLimit);
    const empty = { "content-length": "0" };

    /** The answer to a request with the wrong method or path, checked before any credentials. */
    const misdirected = (req: IncomingConnectionRequest): ConnectionRequestAnswer | undefined =>
      req.method !== "GET"
        ? { status: 405, headers: { ...empty, allow: "GET" } }
        : req.target.split("?")[0] !== options.path
          ? { status: 404, headers: empty }
          : undefined;

    /** The answer to one request (the checks in order); `refused` says why a 401 was given. */
    const decide = (
      req: IncomingConnectionRequest,
      creds: ConnectionRequestCredentials,
      now: number,
    ): { readonly answer: ConnectionRequestAnswer; readonly refused?: string } => {
      const wrong = misdirected(req);
      if (wrong !== undefined) return { answer: wrong };
      const verdict = verifier.verify(
        { method: req.method, target: req.target, authorization: req.authorization },
        creds,
        now,
      );
      if (!verdict.ok)
        return {
          answer: {
            status: 401,
            headers: {
              ...empty,
              "www-authenticate": verifier.challenges(now, verdict.reason === "StaleNonce"),
            },
          },
          refused: verdict.reason,
        };
      if (!requests.admitNow(now))
        return {
          answer: {
            status: 503,
            headers: {
              ...empty,
              "retry-after": String(Math.ceil(requests.limit.windowMs / 1000)),
            },
          },
        };
      return { answer: { status: 200, headers: empty } };
    };
    const logRefusal = (reason: string | undefined) =>
      reason === undefined ? Effect.void : Effect.logDebug(`connection request refused: ${reason}`);

    const handle = (req: IncomingConnectionRequest) =>
      Effect.gen(function* () {
        // The method and path are checked before the credentials are asked for.
        const wrong = misdirected(req);
        if (wrong !== undefined) return wrong;
        const now = yield* Clock.currentTimeMillis;
        const decided = decide(req, yield* credentials, now);
        yield* logRefusal(decided.refused);
        return decided.answer;
      });

    const afterAnswer = (answer: ConnectionRequestAnswer) =>
      answer.status !== 200
        ? Effect.void
        : Effect.flatMap(Clock.currentTimeMillis, requests.onRequest);

    return {
      handle,
      afterAnswer,
      afterAnswerNow: (answer: ConnectionRequestAnswer) => {
        if (answer.status === 200) requests.onRequestNow(clock.unsafeCurrentTimeMillis());
      },
      ...(plainCredentials === undefined
        ? {}
        : {
            handleNow: (req: IncomingConnectionRequest) =>
              decide(req, plainCredentials, clock.unsafeCurrentTimeMillis()),
          }),
      logRefusal,
      service: {
        triggers: requests.triggers,
        onTrigger: requests.onTrigger,
        setSessionActive: requests.setSessionActive,
      },
    };
  });

/** Listens on `port`/`host`; fails with the listen error (port taken, bad address). */
const listen = (server: http.Server, port: number, host: string) =>
  Effect.async<void, ConnectionRequestServerError>((resume) => {
    const onError = (cause: Error) =>
      resume(
        Effect.fail(
          new ConnectionRequestServerError({
            reason: "Listen",
            detail: `cannot listen on ${host}:${port}: ${cause.message}`,
            cause,
          }),
        ),
      );
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resume(Effect.void);
    });
  });

/** Stops listening and drops open connections, so nothing answers any more (C6). */
const stopListening = (server: http.Server) =>
  Effect.async<void>((done) => {
    if (!server.listening) return done(Effect.void);
    server.close(() => done(Effect.void));
    // Keep-alive connections would otherwise still carry requests after the port is closed.
    server.closeAllConnections();
  });

/** Writes `answer` (empty body, C4); `done` runs once it is handed to the socket. */
const writeAnswer = (
  res: http.ServerResponse,
  answer: ConnectionRequestAnswer,
  done: () => void,
) => {
  res.writeHead(answer.status, answer.headers as http.OutgoingHttpHeaders);
  res.end(done);
};

/** What a refusal's log line answers: nothing. */
const ignore = (): void => {};

/** Starts the server in the current scope; it stops (connections closed) when the scope ends. */
export const make = (options: ConnectionRequestServerOptions) =>
  Effect.gen(function* () {
    const path = options.path ?? `/${randomBytes(10).toString("hex")}`;
    const host = options.host ?? "0.0.0.0";
    const handler = yield* makeHandler({ ...options, path });
    // Fibers of in-flight requests are interrupted when the scope closes.
    const answerInPlace = yield* makeAnswerInPlace;
    const server = yield* Effect.acquireRelease(
      Effect.suspend(() => {
        // Node checks these timeouts only every `connectionsCheckingInterval` (30 s by default),
        // which let dripping clients keep their sockets for tens of seconds past the timeout.
        const headersTimeout = Duration.toMillis(options.headersTimeout ?? "10 seconds");
        const serverOptions: http.ServerOptions = {
          headersTimeout,
          requestTimeout: headersTimeout,
          connectionsCheckingInterval: Math.max(10, Math.min(1_000, headersTimeout / 4)),
        };
        const s = http.createServer(serverOptions, (req, res) => {
          // C1: any body is ignored, but drained so the connection stays usable.
          req.resume();
          const request = {
            method: req.method ?? "",
            target: req.url ?? "",
            authorization: req.headers.authorization,
          };
          const { handleNow, afterAnswerNow } = handler;
          // C4: the trigger follows the answer; plain state and calls, no Effect run for it.
          const respond = (answer: ConnectionRequestAnswer) =>
            writeAnswer(res, answer, () => {
              try {
                afterAnswerNow(answer);
              } catch {
                // A failing trigger consumer is the consumer's bug; the server goes on (as an
                // Effect run of it did, its failure ignored).
              }
            });
          // Plain credentials: checked and answered by plain calls, no Effect run per request.
          if (handleNow !== undefined) {
            const decided = handleNow(request);
            if (decided.refused !== undefined)
              answerInPlace(handler.logRefusal(decided.refused), ignore, ignore);
            respond(decided.answer);
            return;
          }
          // Credentials from a provider: answered in place unless the provider is asynchronous.
          answerInPlace(handler.handle(request), respond, () => res.destroy());
        });
        return Effect.as(listen(s, options.port ?? 0, host), s);
      }),
      stopListening,
    );
    // Port 0 picked a free port: re-enabling must listen on that one, so the URL stays valid.
    const { port } = server.address() as AddressInfo;
    const url = connectionRequestUrl({
      boundHost: host,
      port,
      path,
      ...(options.advertisedHost === undefined ? {} : { advertisedHost: options.advertisedHost }),
    });
    // One switch at a time: a close must finish before the next listen on the same port.
    const switching = yield* Effect.makeSemaphore(1);
    const setEnabled = (enabled: boolean) =>
      switching.withPermits(1)(
        Effect.suspend(() =>
          enabled === server.listening
            ? Effect.void
            : enabled
              ? // The port may have been taken meanwhile: stay closed, a later call retries.
                Effect.catchAll(listen(server, port, host), (e) => Effect.logWarning(e.message))
              : stopListening(server),
        ),
      );
    return { ...handler.service, url, setEnabled } satisfies ConnectionRequestsService;
  });

/** The `ConnectionRequests` layer: a node:http server living as long as the layer. */
export const layer = (
  options: ConnectionRequestServerOptions,
): Layer.Layer<ConnectionRequests, ConnectionRequestServerError> =>
  Layer.scoped(ConnectionRequests, make(options));

/** The layer for tests: bound to 127.0.0.1 on a free port. */
export const layerTest = (
  credentials: ConnectionRequestServerOptions["credentials"],
): Layer.Layer<ConnectionRequests, ConnectionRequestServerError> =>
  layer({ credentials, host: "127.0.0.1", port: 0 });
