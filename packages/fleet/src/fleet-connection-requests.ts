/**
 * The fleet's connection-request port: ONE node:http listener for every device, a path per
 * device (`/cr/<serial>`). Each device keeps the handler `cpekit run` uses (Digest against its
 * own ConnectionRequestUsername/Password, its own nonces, coalescing and rate limit, from
 * `@cpekit/transport-http`), so a request reaches the device of its path only and a password
 * valid for one device opens no other (C1-C5).
 *
 * Without a listener (`listen: false`) the same routing answers in process ({@link
 * FleetConnectionRequests.handle}), for fleets on virtual time.
 * @module
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ConnectionRequestCredentials, ConnectionRequestsService } from "@cpekit/core";
import {
  ConnectionRequestServer,
  connectionRequestUrl,
  makeAnswerInPlace,
} from "@cpekit/transport-http";
import { Data, type Duration, Effect, type Scope } from "effect";

/** Settings of the fleet's connection-request port. */
export interface FleetConnectionRequestOptions {
  /** Listen on a TCP port (default true); false answers in process only. */
  readonly listen?: boolean;
  /** Bind address. Default "0.0.0.0". */
  readonly host?: string;
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Host published in the URLs instead of the bound address. */
  readonly advertisedHost?: string;
  /** Path prefix; a device's path is the prefix and its URL-encoded serial. Default "/cr/". */
  readonly pathPrefix?: string;
  /** Per device: at most `max` accepted requests per `window`; more get 503. Default 50 per 5 s. */
  readonly rateLimit?: { readonly max: number; readonly window: Duration.DurationInput };
}

type IncomingConnectionRequest = ConnectionRequestServer.IncomingConnectionRequest;
type ConnectionRequestAnswer = ConnectionRequestServer.ConnectionRequestAnswer;

/** The port could not be opened. */
export class FleetListenError extends Data.TaggedError("FleetListenError")<{
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `fleet connection-request port: ${this.detail}`;
  }
}

interface Route {
  readonly handle: (r: IncomingConnectionRequest) => Effect.Effect<ConnectionRequestAnswer>;
  readonly afterAnswer: (a: ConnectionRequestAnswer) => Effect.Effect<void>;
  readonly afterAnswerNow: (a: ConnectionRequestAnswer) => void;
  enabled: boolean;
}

/** The shared port and the devices registered on it. */
export interface FleetConnectionRequests {
  /** `http://host:port` as published, or undefined without a listener. */
  readonly origin: string | undefined;
  /**
   * Registers the device `serial` (until the scope closes): the returned service is its
   * `ConnectionRequests` port, with the device's own URL.
   */
  readonly register: (
    serial: string,
    credentials: Effect.Effect<ConnectionRequestCredentials>,
  ) => Effect.Effect<ConnectionRequestsService, never, Scope.Scope>;
  /**
   * Answers one request in process, as the listener would (the trigger follows the answer).
   * `undefined` when the device's port is disabled (HTTPConnectionRequestEnable false: no answer).
   */
  readonly handle: (
    request: IncomingConnectionRequest,
  ) => Effect.Effect<ConnectionRequestAnswer | undefined>;
}

/** Opens the fleet's port (or the in-process router) for the life of the scope. */
export const makeFleetConnectionRequests = (
  options: FleetConnectionRequestOptions = {},
): Effect.Effect<FleetConnectionRequests, FleetListenError, Scope.Scope> =>
  Effect.gen(function* () {
    const prefix = options.pathPrefix ?? "/cr/";
    const routes = new Map<string, Route>();
    const host = options.host ?? "0.0.0.0";
    const empty = { "content-length": "0" };

    const route = (request: IncomingConnectionRequest) =>
      routes.get(request.target.split("?")[0] ?? "");
    const handle = (request: IncomingConnectionRequest) =>
      Effect.gen(function* () {
        const r = route(request);
        if (r === undefined) return { status: 404, headers: empty } as ConnectionRequestAnswer;
        if (!r.enabled) return undefined;
        const answer = yield* r.handle(request);
        yield* r.afterAnswer(answer);
        return answer;
      });

    let origin: string | undefined;
    if (options.listen !== false) {
      const answerInPlace = yield* makeAnswerInPlace;
      const server = yield* Effect.acquireRelease(
        Effect.async<http.Server, FleetListenError>((resume) => {
          const s = http.createServer((req, res) => {
            req.resume();
            const request = {
              method: req.method ?? "",
              target: req.url ?? "",
              authorization: req.headers.authorization,
            };
            const r = route(request);
            if (r === undefined) {
              res.writeHead(404, empty).end();
              return;
            }
            // A disabled device's port is closed (C6): it does not answer at all.
            if (!r.enabled) {
              req.socket.destroy();
              return;
            }
            // C4: the session is triggered after the answer is written (plain calls).
            const respond = (answer: ConnectionRequestAnswer) => {
              res.writeHead(answer.status, answer.headers as http.OutgoingHttpHeaders);
              res.end(() => {
                try {
                  r.afterAnswerNow(answer);
                } catch {
                  // A failing trigger consumer is the device's bug; the port goes on.
                }
              });
            };
            // The checks are synchronous unless the device's credentials are read from a
            // provider that is not: answering in place spares every request a fiber (issue 11).
            answerInPlace(r.handle(request), respond, () => res.destroy());
          });
          s.headersTimeout = 10_000;
          s.requestTimeout = 10_000;
          s.once("error", (cause) =>
            resume(
              Effect.fail(
                new FleetListenError({
                  detail: `cannot listen on ${host}:${options.port ?? 0}: ${cause.message}`,
                  cause,
                }),
              ),
            ),
          );
          s.listen(options.port ?? 0, host, () => resume(Effect.succeed(s)));
        }),
        (s) =>
          Effect.async<void>((done) => {
            s.close(() => done(Effect.void));
            s.closeAllConnections();
          }),
      );
      const { port } = server.address() as AddressInfo;
      origin = connectionRequestUrl({
        boundHost: host,
        port,
        path: "",
        ...(options.advertisedHost === undefined ? {} : { advertisedHost: options.advertisedHost }),
      });
    }

    const register = (serial: string, credentials: Effect.Effect<ConnectionRequestCredentials>) =>
      Effect.gen(function* () {
        const path = `${prefix}${encodeURIComponent(serial)}`;
        const handler = yield* ConnectionRequestServer.makeHandler({
          credentials,
          path,
          ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
        });
        const entry: Route = {
          handle: handler.handle,
          afterAnswer: handler.afterAnswer,
          afterAnswerNow: handler.afterAnswerNow,
          enabled: true,
        };
        yield* Effect.acquireRelease(
          Effect.sync(() => routes.set(path, entry)),
          () => Effect.sync(() => routes.delete(path)),
        );
        return {
          ...handler.service,
          url: `${origin ?? "http://in-process"}${path}`,
          setEnabled: (enabled: boolean) =>
            Effect.sync(() => {
              entry.enabled = enabled;
            }),
        } satisfies ConnectionRequestsService;
      });

    return { origin, register, handle };
  });
