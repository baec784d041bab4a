/**
 * An `AcsTransport` that reaches the test ACS's CWMP endpoint without sockets: the same session
 * logic (cookies, sessions, queued calls, injected faults, the Inform and session inboxes), but
 * each POST is a function call. It exists for fleets on virtual time, where thousands of
 * sessions per simulated hour must not wait on real sockets.
 *
 * What it leaves out: the HTTP layer (no transcript entry, no content coding, no body limit) and
 * CPE authentication (an ACS with `auth` answers 401, which fails as `Unauthorized`).
 * @module
 */
import {
  type AcsResponse,
  type AcsTransportService,
  TransportError,
  type TransportErrorReason,
} from "@cpekit/core";
import { Effect } from "effect";
import type { CwmpEndpoint } from "./cwmp-endpoint.js";

const fail = (reason: TransportErrorReason, detail: string, status?: number, retryAfter?: number) =>
  new TransportError({
    reason,
    detail,
    ...(status === undefined ? {} : { status }),
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });

/** `name=value` of a Set-Cookie header (attributes dropped), as a Cookie header sends it back. */
const cookiePair = (setCookie: string): string => setCookie.split(";")[0]?.trim() ?? "";

/**
 * The in-process transport to `endpoint`. `connectionId` numbers the simulated connections; it
 * must not collide with the HTTP server's (which counts up from 1), so callers pass negatives.
 */
export const makeInProcessTransport = (
  endpoint: CwmpEndpoint,
  connectionId: () => number,
): AcsTransportService => ({
  open: (target) =>
    Effect.gen(function* () {
      const connection = connectionId();
      // One session, one "connection": its cookies go with it (H6).
      const cookies = new Map<string, string>();
      yield* Effect.addFinalizer(() => Effect.sync(() => endpoint.connectionClosed(connection)));
      const post = (body: string | null): Effect.Effect<AcsResponse, TransportError> =>
        Effect.gen(function* () {
          const headers: Record<string, string> = {};
          if (body !== null) {
            headers["content-type"] = 'text/xml; charset="utf-8"';
            headers.soapaction = "";
          }
          if (cookies.size > 0) headers.cookie = [...cookies.values()].join("; ");
          const outcome = yield* endpoint.handle({ connection, headers, body: body ?? "" });
          const reply = outcome.reply;
          if (reply.delayMs > 0) yield* Effect.sleep(reply.delayMs);
          if (reply.kind === "drop")
            return yield* fail("ConnectionLost", "the ACS dropped the connection (in process)");
          const lower: Record<string, string> = {};
          for (const [name, value] of Object.entries(reply.headers)) {
            if (name.toLowerCase() === "set-cookie") {
              const pair = cookiePair(value);
              const name = pair.split("=")[0] ?? "";
              if (name !== "") cookies.set(name, pair);
            } else lower[name.toLowerCase()] = value;
          }
          if (reply.status === 401)
            return yield* fail("Unauthorized", "the ACS asks for authentication", 401);
          if (reply.status < 200 || reply.status > 299) {
            const retry = Number(lower["retry-after"]);
            return yield* fail(
              "HttpStatus",
              `HTTP ${reply.status}`,
              reply.status,
              Number.isFinite(retry) && retry >= 0 ? retry : undefined,
            );
          }
          return { status: reply.status, headers: lower, body: reply.body };
        });
      return { post, url: Effect.succeed(target.url) };
    }),
});
