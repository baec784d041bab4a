/**
 * One `ConnectionRequests` service out of the HTTP server and the UDP listener (requirements
 * C5 and section 1.8): requests of either kind arriving before the session starts give one
 * trigger, so an ACS that sends both (GenieACS tries HTTP, then UDP) still starts one session.
 * @module
 */
import type { ConnectionRequestsService, ConnectionRequestTrigger } from "@cpekit/core";
import { Clock, Effect, Queue, Ref, type Scope, Stream } from "effect";
import {
  gateOnRequest,
  gateOnSessionEnd,
  gateOnSessionStart,
  initialGate,
} from "./internal/connection-request-gate.js";

/** A source of triggers with session boundaries (the UDP listener is one). */
export type TriggerSource = Pick<ConnectionRequestsService, "triggers" | "setSessionActive">;

/**
 * The HTTP service with the triggers of `others` folded in through one more coalescing gate;
 * `url` and `setEnabled` stay the HTTP server's. The merging fiber lives in the current scope.
 */
export const mergeConnectionRequests = (
  http: ConnectionRequestsService,
  others: readonly TriggerSource[],
): Effect.Effect<ConnectionRequestsService, never, Scope.Scope> =>
  Effect.gen(function* () {
    const gate = yield* Ref.make(initialGate);
    const out = yield* Queue.unbounded<ConnectionRequestTrigger>();
    const sources = [http, ...others];
    yield* Effect.forkScoped(
      Stream.runForEach(
        Stream.mergeAll(
          sources.map((s) => s.triggers),
          { concurrency: "unbounded" },
        ),
        (trigger) =>
          Effect.flatMap(Ref.modify(gate, gateOnRequest), (emit) =>
            emit ? Queue.offer(out, trigger) : Effect.void,
          ),
      ),
    );
    const setSessionActive = (active: boolean) =>
      Effect.gen(function* () {
        // This gate first: a request a source held during the session comes back through the
        // merged stream once the source hears the session ended, and must find this gate idle.
        if (active) yield* Ref.update(gate, gateOnSessionStart);
        else {
          const emit = yield* Ref.modify(gate, gateOnSessionEnd);
          if (emit) yield* Queue.offer(out, { receivedAt: yield* Clock.currentTimeMillis });
        }
        for (const s of sources) yield* s.setSessionActive(active);
      });
    // The HTTP server's own `onTrigger` would bypass the merge: the merged service has none.
    const { onTrigger: _httpOnly, ...rest } = http;
    return {
      ...rest,
      triggers: Stream.fromQueue(out),
      setSessionActive,
    };
  });
