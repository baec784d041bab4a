/**
 * Wraps a device's `AcsTransport` to time its sessions and remember why the last one failed
 * (the transport error of its last failed POST), for the fleet's counters. A session counts as
 * open from its connection until the agent reports it ended (`takeLast`), so the agent's own
 * bookkeeping after the last POST (the event queue saved) is part of it: a fleet stopping once
 * no session is open loses nothing.
 * @module
 */
import {
  type AcsConnection,
  type AcsTransportService,
  addScopeFinalizer,
  isTransportError,
  type TransportError,
} from "@cpekit/core";
import { Effect } from "effect";
import type { FleetStats } from "./fleet-stats.js";

/** The last session's connection as the observer saw it. */
export interface ObservedSession {
  readonly durationMs: number;
  readonly error: TransportError | undefined;
}

/** A transport wrapper plus what it saw of the last session. */
export interface SessionObserver {
  readonly transport: AcsTransportService;
  /**
   * The agent reports a session's end: returns the facts of its connection (undefined when it
   * never opened one) and counts the session closed.
   */
  readonly takeLast: () => ObservedSession | undefined;
}

/** The failure reason the counters use for a transport error. */
export const failureReason = (error: TransportError | undefined): string =>
  error === undefined
    ? "Session"
    : error.status === undefined
      ? error.reason
      : `${error.reason} ${error.status}`;

/** Observes the sessions `inner` carries for one device, counting them in `stats`. */
export const observeSessions = (inner: AcsTransportService, stats: FleetStats): SessionObserver => {
  let last: ObservedSession | undefined;
  let pending = false;
  return {
    transport: {
      open: (endpoint) =>
        Effect.gen(function* () {
          const connection = yield* inner.open(endpoint);
          const started = performance.now();
          let error: TransportError | undefined;
          stats.sessionOpened();
          pending = true;
          yield* addScopeFinalizer(
            Effect.sync(() => {
              last = { durationMs: performance.now() - started, error };
            }),
          );
          const postNow = connection.postNow;
          return {
            url: connection.url,
            post: (body) =>
              Effect.tapError(connection.post(body), (e) =>
                Effect.sync(() => {
                  error = e;
                }),
              ),
            // The transport's plain POST, observed the same way (no fiber per POST either).
            ...(postNow === undefined
              ? {}
              : {
                  postNow: (body, settle) =>
                    postNow(body, {
                      done: settle.done,
                      fail: (e) => {
                        if (isTransportError(e)) error = e;
                        settle.fail(e);
                      },
                    }),
                }),
          } satisfies AcsConnection;
        }),
    },
    takeLast: () => {
      if (pending) stats.sessionClosed();
      pending = false;
      const l = last;
      last = undefined;
      return l;
    },
  };
};
