import type { ConnectionRequestsService, ConnectionRequestTrigger } from "@cpekit/core";
import { Effect, Queue, Ref, Stream } from "effect";
import { describe, expect, it } from "vitest";
import {
  gateOnRequest,
  gateOnSessionEnd,
  gateOnSessionStart,
  initialGate,
} from "./internal/connection-request-gate.js";
import { mergeConnectionRequests } from "./merged-connection-requests.js";

/** A source coalescing like the real servers, with a `request` to simulate one arriving. */
const source = (url: string) =>
  Effect.gen(function* () {
    const gate = yield* Ref.make(initialGate);
    const q = yield* Queue.unbounded<ConnectionRequestTrigger>();
    const sessions = yield* Ref.make<boolean[]>([]);
    const service: ConnectionRequestsService = {
      url,
      triggers: Stream.fromQueue(q),
      setSessionActive: (active) =>
        Effect.gen(function* () {
          yield* Ref.update(sessions, (s) => [...s, active]);
          if (active) return yield* Ref.update(gate, gateOnSessionStart);
          if (yield* Ref.modify(gate, gateOnSessionEnd)) yield* Queue.offer(q, { receivedAt: 0 });
        }),
    };
    const request = Effect.flatMap(Ref.modify(gate, gateOnRequest), (emit) =>
      emit ? Queue.offer(q, { receivedAt: 0 }) : Effect.void,
    );
    return { service, request, sessions };
  });

const settle = Effect.sleep("20 millis");

describe("HTTP and UDP connection requests merged (C5, §1.8)", () => {
  it("C5 §1.8: an HTTP and a UDP request before the session give one trigger; one during the session gives one after it; url stays the HTTP server's", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const http = yield* source("http://127.0.0.1:1/x");
          const udp = yield* source("");
          const merged = yield* mergeConnectionRequests(http.service, [udp.service]);
          expect(merged.url).toBe("http://127.0.0.1:1/x");
          const got: ConnectionRequestTrigger[] = [];
          yield* Effect.forkScoped(
            Stream.runForEach(merged.triggers, (t) => Effect.sync(() => got.push(t))),
          );
          yield* http.request;
          yield* udp.request;
          yield* settle;
          expect(got).toHaveLength(1);
          yield* merged.setSessionActive(true);
          yield* udp.request;
          yield* settle;
          expect(got).toHaveLength(1);
          yield* merged.setSessionActive(false);
          yield* settle;
          expect(got).toHaveLength(2);
          // Both sources hear the session boundaries.
          expect(yield* Ref.get(http.sessions)).toEqual([true, false]);
          expect(yield* Ref.get(udp.sessions)).toEqual([true, false]);
        }),
      ),
    ));
});

describe("merged connection requests and the HTTP server's callbacks (C5, §1.8, issue 11)", () => {
  it("§1.8 the merged service offers no onTrigger of the HTTP server's own, which would miss the UDP triggers", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const http = yield* source("http://127.0.0.1:1/x");
          const udp = yield* source("");
          const withCallback: ConnectionRequestsService = {
            ...http.service,
            onTrigger: () => Effect.void,
          };
          const merged = yield* mergeConnectionRequests(withCallback, [udp.service]);
          expect(merged.onTrigger).toBeUndefined();
          expect(merged.url).toBe("http://127.0.0.1:1/x");
        }),
      ),
    ));
});
