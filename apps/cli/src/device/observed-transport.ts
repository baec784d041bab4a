/**
 * An `AcsTransport` that reports what goes over the wire: one event when a session's connection
 * opens, one per POST (the message sent and the one received, with the raw bodies for
 * `--verbose`), one when it closes. It wraps the real transport, so the log shows what the
 * agent actually exchanged rather than what it meant to.
 * @module
 */
import {
  type AcsConnection,
  type AcsResponse,
  type AcsTransportService,
  addScopeFinalizer,
  isTransportError,
  type TransportError,
} from "@cpekit/core";
import { Effect } from "effect";
import { summarizeBody } from "../output/summarize-body.js";

/** What the wire saw, in order. `session` numbers the sessions of one device from 1. */
export type TrafficEvent =
  | { readonly type: "sessionOpened"; readonly session: number; readonly url: string }
  | {
      readonly type: "exchange";
      readonly session: number;
      /** Summary of what the CPE posted (`empty POST` for the empty body). */
      readonly sent: string;
      /** Summary of the answer (`empty (end of session)` for an empty body). */
      readonly received: string;
      readonly status: number;
      readonly requestBody: string;
      readonly responseBody: string;
    }
  | {
      readonly type: "exchangeFailed";
      readonly session: number;
      readonly sent: string;
      readonly error: TransportError;
    }
  | { readonly type: "sessionClosed"; readonly session: number; readonly exchanges: number };

/** Wraps `inner`, calling `onEvent` for every session and exchange. */
export const observeTransport = (
  inner: AcsTransportService,
  onEvent: (event: TrafficEvent) => void,
): AcsTransportService => {
  // Per device, not per module: each wrapped transport numbers its own sessions.
  let sessions = 0;
  return {
    open: (endpoint) =>
      Effect.gen(function* () {
        const connection = yield* inner.open(endpoint);
        const session = ++sessions;
        let exchanges = 0;
        onEvent({ type: "sessionOpened", session, url: endpoint.url });
        yield* addScopeFinalizer(
          Effect.sync(() => onEvent({ type: "sessionClosed", session, exchanges })),
        );
        const exchanged = (sent: string, body: string | null, response: AcsResponse) => {
          exchanges++;
          onEvent({
            type: "exchange",
            session,
            sent,
            received: summarizeBody(response.body, "empty (end of session)"),
            status: response.status,
            requestBody: body ?? "",
            responseBody: response.body,
          });
        };
        const postNow = connection.postNow;
        return {
          url: connection.url,
          post: (body) => {
            const sent = summarizeBody(body, "empty POST");
            return connection.post(body).pipe(
              Effect.tap((response) => Effect.sync(() => exchanged(sent, body, response))),
              Effect.tapError((error) =>
                Effect.sync(() => onEvent({ type: "exchangeFailed", session, sent, error })),
              ),
            );
          },
          // The plain POST of the transport, observed the same way (no fiber per POST either).
          ...(postNow === undefined
            ? {}
            : {
                postNow: (body, settle) => {
                  const sent = summarizeBody(body, "empty POST");
                  postNow(body, {
                    done: (response) => {
                      exchanged(sent, body, response);
                      settle.done(response);
                    },
                    fail: (error) => {
                      if (isTransportError(error))
                        onEvent({ type: "exchangeFailed", session, sent, error });
                      settle.fail(error);
                    },
                  });
                },
              }),
        } satisfies AcsConnection;
      }),
  };
};
