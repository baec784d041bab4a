import { fc, test } from "@fast-check/vitest";
import { Deferred, Effect, Exit, Scope, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { makeValueChangePolls, nextPollDueAt } from "./value-change-polls.js";

const run = <A>(body: Effect.Effect<A, never, Scope.Scope>) =>
  body.pipe(Effect.scoped, Effect.provide(TestContext.TestContext), Effect.runPromise);

/** A poll that counts its runs. */
const counter = () => {
  const runs = { count: 0 };
  return { runs, poll: Effect.sync(() => void runs.count++) };
};

describe("shared value-change poll timer (§1.11, issue 11)", () => {
  it("§1.11 polls at once, then every interval, keeping each device's phase", () =>
    run(
      Effect.gen(function* () {
        const polls = yield* makeValueChangePolls({ batchMs: 0 });
        const a = counter();
        const b = counter();
        yield* polls.register(60, a.poll);
        yield* TestClock.adjust("20 seconds");
        yield* polls.register(60, b.poll);
        expect([a.runs.count, b.runs.count]).toEqual([1, 1]);
        yield* TestClock.adjust("39999 millis"); // t = 59.999 s
        expect([a.runs.count, b.runs.count]).toEqual([1, 1]);
        yield* TestClock.adjust("1 millis"); // t = 60 s: a's turn only
        expect([a.runs.count, b.runs.count]).toEqual([2, 1]);
        yield* TestClock.adjust("20 seconds"); // t = 80 s: b's
        expect([a.runs.count, b.runs.count]).toEqual([2, 2]);
        yield* TestClock.adjust("120 seconds"); // t = 200 s: a at 120, 180; b at 140, 200
        expect([a.runs.count, b.runs.count]).toEqual([4, 4]);
      }),
    ));

  it("§1.11 polls due within the batch after the first run with it (early, phase kept)", () =>
    run(
      Effect.gen(function* () {
        const polls = yield* makeValueChangePolls({ batchMs: 1_000 });
        const a = counter();
        const b = counter();
        yield* polls.register(60, a.poll);
        yield* TestClock.adjust("800 millis");
        yield* polls.register(60, b.poll); // due at 60.8 s
        yield* TestClock.adjust("59199 millis"); // t = 59.999 s
        expect([a.runs.count, b.runs.count]).toEqual([1, 1]);
        yield* TestClock.adjust("1 millis"); // t = 60 s: a due, b within 1 s after it
        expect([a.runs.count, b.runs.count]).toEqual([2, 2]);
        yield* TestClock.adjust("59999 millis"); // b's next is 120.8 s, not 60 s later
        expect([a.runs.count, b.runs.count]).toEqual([2, 2]);
        yield* TestClock.adjust("1 millis"); // t = 120 s
        expect([a.runs.count, b.runs.count]).toEqual([3, 3]);
      }),
    ));

  it("§1.11 the batch is at most a tenth of a short interval", () =>
    run(
      Effect.gen(function* () {
        const polls = yield* makeValueChangePolls({ batchMs: 1_000 });
        const a = counter();
        const b = counter();
        const c = counter();
        yield* polls.register(2, a.poll); // due at 2 s
        yield* TestClock.adjust("150 millis");
        yield* polls.register(2, b.poll); // 2.15 s: within 0.2 s after a
        yield* TestClock.adjust("150 millis");
        yield* polls.register(2, c.poll); // 2.3 s: not
        yield* TestClock.adjust("1700 millis"); // t = 2 s
        expect([a.runs.count, b.runs.count, c.runs.count]).toEqual([2, 2, 1]);
        yield* TestClock.adjust("299 millis");
        expect(c.runs.count).toBe(1);
        yield* TestClock.adjust("1 millis"); // t = 2.3 s
        expect(c.runs.count).toBe(2);
      }),
    ));

  it("§1.11 a device whose scope closed is polled no more; the others go on", () =>
    run(
      Effect.gen(function* () {
        const polls = yield* makeValueChangePolls({ batchMs: 0 });
        const a = counter();
        const b = counter();
        const scopeA = yield* Scope.make();
        yield* Scope.extend(polls.register(10, a.poll), scopeA);
        yield* polls.register(10, b.poll);
        yield* TestClock.adjust("10 seconds");
        expect([a.runs.count, b.runs.count]).toEqual([2, 2]);
        yield* Scope.close(scopeA, Exit.void);
        yield* TestClock.adjust("30 seconds");
        expect([a.runs.count, b.runs.count]).toEqual([2, 5]);
      }),
    ));

  it("§1.11 a poll that suspends goes on alone; the same device's next one waits for it, others do not", () =>
    run(
      Effect.gen(function* () {
        const polls = yield* makeValueChangePolls({ batchMs: 0 });
        const release = yield* Deferred.make<void>();
        let started = 0;
        let finished = 0;
        const slow = Effect.gen(function* () {
          started++;
          if (started === 2) yield* Deferred.await(release);
          finished++;
        });
        const other = counter();
        yield* polls.register(10, slow);
        yield* polls.register(10, other.poll);
        yield* TestClock.adjust("10 seconds"); // slow's second poll suspends
        yield* TestClock.adjust("20 seconds"); // its polls at 20 s and 30 s are skipped
        expect([started, finished, other.runs.count]).toEqual([2, 1, 4]);
        yield* Deferred.succeed(release, undefined);
        yield* Effect.yieldNow();
        expect(finished).toBe(2);
        yield* TestClock.adjust("10 seconds");
        expect([started, finished]).toEqual([3, 3]);
      }),
    ));

  test.prop([
    fc.integer({ min: 0, max: 1e9 }),
    fc.integer({ min: 1, max: 1e7 }),
    fc.integer({ min: 0, max: 1e6 }),
    fc.integer({ min: -1e7, max: 1e9 }),
  ])(
    "§1.11 the next poll is the first whole interval after the last due time that lies past now + slack",
    (dueAt, intervalMs, slackRaw, offset) => {
      const slackMs = Math.min(slackRaw, Math.floor(intervalMs / 10));
      const now = dueAt + offset;
      const next = nextPollDueAt({ dueAt, intervalMs, slackMs }, now);
      expect((next - dueAt) % intervalMs).toBe(0);
      expect(next).toBeGreaterThan(now + slackMs);
      expect(next).toBeGreaterThan(dueAt);
      // The first such: one interval less is either the last due time or not past now + slack.
      expect(next - intervalMs === dueAt || next - intervalMs <= now + slackMs).toBe(true);
    },
  );
});
