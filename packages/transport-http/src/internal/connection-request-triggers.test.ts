import type { ConnectionRequestTrigger } from "@cpekit/core";
import { Chunk, Effect, Exit, Option, Scope, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { makeConnectionRequestTriggers } from "./connection-request-triggers.js";

const run = <A>(body: Effect.Effect<A, never, Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(body));

/** What the stream holds right now (it never ends: take what is there, without waiting). */
const queued = (triggers: Stream.Stream<ConnectionRequestTrigger>) =>
  Effect.map(
    Stream.runCollect(Stream.interruptAfter(triggers, "20 millis")),
    Chunk.toReadonlyArray,
  );

describe("connection-request triggers as callbacks (C5, issue 11)", () => {
  it("C5 a subscribed listener is called in place, once per coalesced group, and the stream stays empty", () =>
    run(
      Effect.gen(function* () {
        const requests = yield* makeConnectionRequestTriggers();
        const seen: number[] = [];
        yield* requests.onTrigger((t) => seen.push(t.receivedAt));
        yield* requests.onRequest(100);
        expect(seen).toEqual([100]);
        yield* requests.onRequest(200); // coalesced with the first: no session started yet
        expect(seen).toEqual([100]);
        yield* requests.setSessionActive(true);
        yield* requests.onRequest(300); // during the session: held until it ends
        expect(seen).toEqual([100]);
        yield* requests.setSessionActive(false);
        expect(seen.length).toBe(2);
        expect(yield* queued(requests.triggers)).toEqual([]);
      }),
    ));

  it("C5 triggers raised before the listener subscribed are handed to it, in order", () =>
    run(
      Effect.gen(function* () {
        const requests = yield* makeConnectionRequestTriggers();
        yield* requests.onRequest(100);
        yield* requests.setSessionActive(true);
        yield* requests.onRequest(150);
        yield* requests.setSessionActive(false); // the held request's trigger
        const seen: ConnectionRequestTrigger[] = [];
        yield* requests.onTrigger((t) => seen.push(t));
        expect(seen.length).toBe(2);
        expect(seen[0]).toEqual({ receivedAt: 100 });
      }),
    ));

  it("C5 once the listener's scope closes, triggers go to the stream again", () =>
    run(
      Effect.gen(function* () {
        const requests = yield* makeConnectionRequestTriggers();
        const seen: number[] = [];
        const scope = yield* Scope.make();
        yield* Scope.extend(
          requests.onTrigger((t) => seen.push(t.receivedAt)),
          scope,
        );
        yield* Scope.close(scope, Exit.void);
        yield* requests.onRequest(100);
        expect(seen).toEqual([]);
        const next = yield* Stream.runHead(requests.triggers);
        expect(Option.getOrUndefined(next)).toEqual({ receivedAt: 100 });
      }),
    ));
});
