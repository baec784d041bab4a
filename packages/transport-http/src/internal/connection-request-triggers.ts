/**
 * The session triggers of one Connection Request source (HTTP, UDP or XMPP): the rate limit
 * on accepted requests (`rate-limiter.ts`) and their coalescing into triggers
 * (`connection-request-gate.ts`), with the state both keep. Each source checks a request its
 * own way and answers it its own way (503, a dropped datagram, `resource-constraint`); what
 * happens once a request is accepted is the same for all three, so it lives here.
 * @module
 */
import type { ConnectionRequestTrigger } from "@cpekit/core";
import { Chunk, Clock, Duration, Effect, Queue, type Scope, Stream } from "effect";
import {
  gateOnRequest,
  gateOnSessionEnd,
  gateOnSessionStart,
  initialGate,
} from "./connection-request-gate.js";
import { admit, type RateLimit } from "./rate-limiter.js";

/** At most `max` accepted requests per `window`. */
export interface ConnectionRequestRateLimit {
  readonly max: number;
  readonly window: Duration.DurationInput;
}

/** The rate limit and trigger coalescing of one source. */
export interface ConnectionRequestTriggers {
  /** The limit in force (the HTTP server derives its Retry-After from the window). */
  readonly limit: RateLimit;
  /** Counts a request accepted at `nowMs` against the limit; false when over it. */
  readonly admit: (nowMs: number) => Effect.Effect<boolean>;
  /** {@link ConnectionRequestTriggers.admit} as a plain call (the HTTP server's in-place answer). */
  readonly admitNow: (nowMs: number) => boolean;
  /** A request was accepted and answered: emits a trigger unless one is already due. */
  readonly onRequest: (receivedAt: number) => Effect.Effect<void>;
  /** {@link ConnectionRequestTriggers.onRequest} as a plain call. */
  readonly onRequestNow: (receivedAt: number) => void;
  /** Session boundaries, as for `ConnectionRequestsService.setSessionActive`. */
  readonly setSessionActive: (active: boolean) => Effect.Effect<void>;
  /** The coalesced triggers (one consumer). */
  readonly triggers: Stream.Stream<ConnectionRequestTrigger>;
  /** The coalesced triggers as calls, in place of `triggers` (`ConnectionRequestsService.onTrigger`). */
  readonly onTrigger: (
    listener: (trigger: ConnectionRequestTrigger) => void,
  ) => Effect.Effect<void, never, Scope.Scope>;
}

/**
 * Makes the rate limit (default 50 per 5 s, as for HTTP) and the trigger coalescing of one
 * Connection Request source.
 */
export const makeConnectionRequestTriggers = (
  rateLimit?: ConnectionRequestRateLimit,
): Effect.Effect<ConnectionRequestTriggers> =>
  Effect.gen(function* () {
    const limit: RateLimit = {
      max: rateLimit?.max ?? 50,
      windowMs: Duration.toMillis(rateLimit?.window ?? "5 seconds"),
    };
    // Plain state: every step below is synchronous, so no Ref is needed to keep it consistent,
    // and the HTTP server can answer a request without running an Effect (issue 11).
    let admitted: readonly number[] = [];
    let gate = initialGate;
    const triggers = yield* Queue.unbounded<ConnectionRequestTrigger>();
    // A subscribed consumer is called in place; otherwise triggers wait in the queue.
    let listener: ((trigger: ConnectionRequestTrigger) => void) | undefined;
    const emitNow = (trigger: ConnectionRequestTrigger): void => {
      if (listener === undefined) Queue.unsafeOffer(triggers, trigger);
      else listener(trigger);
    };
    const admitNow = (nowMs: number): boolean => {
      const [ok, kept] = admit(limit, admitted, nowMs);
      admitted = kept;
      return ok;
    };
    const onRequestNow = (receivedAt: number): void => {
      const [emit, next] = gateOnRequest(gate);
      gate = next;
      if (emit) emitNow({ receivedAt });
    };
    return {
      limit,
      admit: (nowMs) => Effect.sync(() => admitNow(nowMs)),
      admitNow,
      onRequest: (receivedAt) => Effect.sync(() => onRequestNow(receivedAt)),
      onRequestNow,
      setSessionActive: (active) =>
        active
          ? Effect.sync(() => {
              gate = gateOnSessionStart(gate);
            })
          : Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Effect.sync(() => {
                const [emit, next] = gateOnSessionEnd(gate);
                gate = next;
                if (emit) emitNow({ receivedAt: now });
              }),
            ),
      triggers: Stream.fromQueue(triggers),
      onTrigger: (call) =>
        Effect.acquireRelease(
          Effect.map(Queue.takeAll(triggers), (waiting) => {
            listener = call;
            for (const trigger of Chunk.toReadonlyArray(waiting)) call(trigger);
          }),
          () =>
            Effect.sync(() => {
              if (listener === call) listener = undefined;
            }),
        ),
    };
  });
