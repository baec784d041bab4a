/**
 * The session triggers of one Connection Request source (HTTP, UDP or XMPP): the rate limit
 * on accepted requests (`rate-limiter.ts`) and their coalescing into triggers
 * (`connection-request-gate.ts`), with the state both keep. Each source checks a request its
 * own way and answers it its own way (503, a dropped datagram, `resource-constraint`); what
 * happens once a request is accepted is the same for all three, so it lives here.
 * @module
 */
import type { ConnectionRequestTrigger } from "@cpekit/core";
import { Clock, Duration, Effect, Queue, Ref, Stream } from "effect";
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
  /** A request was accepted and answered: emits a trigger unless one is already due. */
  readonly onRequest: (receivedAt: number) => Effect.Effect<void>;
  /** Session boundaries, as for `ConnectionRequestsService.setSessionActive`. */
  readonly setSessionActive: (active: boolean) => Effect.Effect<void>;
  /** The coalesced triggers (one consumer). */
  readonly triggers: Stream.Stream<ConnectionRequestTrigger>;
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
    const admitted = yield* Ref.make<readonly number[]>([]);
    const gate = yield* Ref.make(initialGate);
    const triggers = yield* Queue.unbounded<ConnectionRequestTrigger>();
    const onRequest = (receivedAt: number) =>
      Effect.gen(function* () {
        const emit = yield* Ref.modify(gate, gateOnRequest);
        if (emit) yield* Queue.offer(triggers, { receivedAt });
      });
    return {
      limit,
      admit: (nowMs) => Ref.modify(admitted, (times) => admit(limit, times, nowMs)),
      onRequest,
      setSessionActive: (active) =>
        active
          ? Ref.update(gate, gateOnSessionStart)
          : Effect.gen(function* () {
              const emit = yield* Ref.modify(gate, gateOnSessionEnd);
              if (emit)
                yield* Queue.offer(triggers, { receivedAt: yield* Clock.currentTimeMillis });
            }),
      triggers: Stream.fromQueue(triggers),
    };
  });
