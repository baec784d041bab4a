import type { AcsConnection, AcsTransportService } from "@cpekit/core";
import { Deferred, Effect, Fiber } from "effect";
import { describe, expect, it } from "vitest";
import { limitOpenSessions } from "./session-slots.js";

/** A transport that counts the connections open at once. */
const countingTransport = () => {
  const seen = { open: 0, most: 0, opened: 0 };
  const connection: AcsConnection = {
    post: () => Effect.die("not used"),
    url: Effect.succeed("http://acs.invalid/"),
  };
  const transport: AcsTransportService = {
    open: () =>
      Effect.acquireRelease(
        Effect.sync(() => {
          seen.open++;
          seen.opened++;
          seen.most = Math.max(seen.most, seen.open);
          return connection;
        }),
        () =>
          Effect.sync(() => {
            seen.open--;
          }),
      ),
  };
  return { seen, transport };
};

const endpoint = { url: "http://acs.invalid/" };

describe("fleet session slots (issue 11: a boot storm queues, it does not time out)", () => {
  it("§1.5 at most max sessions are open at once; the others connect as slots free, and all run", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const { seen, transport } = countingTransport();
        const limited = yield* limitOpenSessions(transport, 2);
        const release = yield* Deferred.make<void>();
        const session = Effect.scoped(
          Effect.zipRight(limited.open(endpoint), Deferred.await(release)),
        );
        const fibers = yield* Effect.forEach([1, 2, 3, 4, 5], () => Effect.fork(session));
        yield* Effect.sleep("20 millis");
        expect([seen.open, seen.opened]).toEqual([2, 2]);
        yield* Deferred.succeed(release, undefined);
        yield* Effect.forEach(fibers, Fiber.join);
        expect([seen.opened, seen.most, seen.open]).toEqual([5, 2, 0]);
      }),
    ));

  it("§1.5 a device stopped while it waits for a slot gives up its place without taking a slot", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const { seen, transport } = countingTransport();
        const limited = yield* limitOpenSessions(transport, 1);
        const release = yield* Deferred.make<void>();
        const holder = yield* Effect.fork(
          Effect.scoped(Effect.zipRight(limited.open(endpoint), Deferred.await(release))),
        );
        yield* Effect.sleep("10 millis");
        const waiting = yield* Effect.fork(Effect.scoped(limited.open(endpoint)));
        yield* Effect.sleep("10 millis");
        yield* Fiber.interrupt(waiting);
        yield* Deferred.succeed(release, undefined);
        yield* Fiber.join(holder);
        // The slot is free again: a new session opens at once.
        yield* Effect.scoped(limited.open(endpoint));
        expect([seen.opened, seen.open]).toEqual([2, 0]);
      }),
    ));
});
