import { Deferred, Effect, Exit, Scope, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { makeTransferPasses } from "./transfer-passes.js";

/** Lets the forked pass and its race run to their next wait. */
const settle = Effect.repeatN(Effect.yieldNow(), 20);

const run = <A>(body: Effect.Effect<A, never, Scope.Scope>) =>
  body.pipe(Effect.scoped, Effect.provide(TestContext.TestContext), Effect.runPromise);

/** A fake transfer manager: transfers due at given times; `runDue` completes the due ones. */
const fakeTransfers = (dueTimes: number[]) => {
  const log = { runs: [] as number[], done: 0 };
  return {
    log,
    deps: {
      runDue: Effect.flatMap(TestClock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          log.runs.push(now);
          const due = dueTimes.filter((t) => t <= now);
          dueTimes.splice(0, dueTimes.length, ...dueTimes.filter((t) => t > now));
          return due;
        }),
      ),
      nextDueAt: Effect.sync(() => (dueTimes.length === 0 ? undefined : Math.min(...dueTimes))),
      onDone: () => {
        log.done++;
      },
    },
  };
};

describe("transfer passes (§1.5 transfers after the session, issue 11)", () => {
  it("§1.5 nothing runs before a session ends; each end runs the due transfers once, then the pass ends", () =>
    run(
      Effect.gen(function* () {
        const t = fakeTransfers([]);
        const kick = yield* makeTransferPasses(t.deps);
        yield* TestClock.adjust("1 hour");
        expect(t.log.runs).toEqual([]);
        kick();
        yield* Effect.yieldNow();
        kick();
        yield* Effect.yieldNow();
        yield* TestClock.adjust("1 hour");
        expect(t.log.runs).toEqual([3_600_000, 3_600_000]);
        expect(t.log.done).toBe(0);
      }),
    ));

  it("§1.5 a transfer queued for later runs when due, and asks for a session (onDone)", () =>
    run(
      Effect.gen(function* () {
        const t = fakeTransfers([10_000]);
        const kick = yield* makeTransferPasses(t.deps);
        kick();
        yield* Effect.yieldNow();
        expect(t.log.runs).toEqual([0]);
        yield* TestClock.adjust("9999 millis");
        expect(t.log.runs).toEqual([0]);
        yield* TestClock.adjust("1 millis");
        expect(t.log.runs).toEqual([0, 10_000]);
        expect(t.log.done).toBe(1);
        yield* TestClock.adjust("1 hour");
        expect(t.log.runs).toEqual([0, 10_000]);
      }),
    ));

  it("§1.5 a session ending while the pass waits runs the due transfers at once, and the wait goes on", () =>
    run(
      Effect.gen(function* () {
        const t = fakeTransfers([10_000]);
        const kick = yield* makeTransferPasses(t.deps);
        kick();
        yield* TestClock.adjust("4 seconds");
        kick();
        yield* settle;
        expect(t.log.runs).toEqual([0, 4_000]);
        yield* TestClock.adjust("6 seconds");
        expect(t.log.runs).toEqual([0, 4_000, 10_000]);
        expect(t.log.done).toBe(1);
      }),
    ));

  it("§1.5 a session ending while transfers run gets a run that starts after it", () =>
    run(
      Effect.gen(function* () {
        const gate = yield* Deferred.make<void>();
        let runs = 0;
        const kick = yield* makeTransferPasses({
          runDue: Effect.gen(function* () {
            runs++;
            if (runs === 1) yield* Deferred.await(gate);
            return [];
          }),
          nextDueAt: Effect.succeed(undefined),
          onDone: () => {},
        });
        kick();
        yield* Effect.yieldNow();
        kick(); // while the first runDue is still running
        yield* Deferred.succeed(gate, undefined);
        yield* TestClock.adjust("1 second");
        expect(runs).toBe(2);
      }),
    ));

  it("§1.5 a pass that died (a bug in a transfer) does not stop the next session's pass", () =>
    run(
      Effect.gen(function* () {
        let runs = 0;
        const kick = yield* makeTransferPasses({
          runDue: Effect.suspend(() => (++runs === 1 ? Effect.die("bug") : Effect.succeed([]))),
          nextDueAt: Effect.succeed(undefined),
          onDone: () => {},
        });
        kick();
        kick();
        yield* settle;
        expect(runs).toBe(2);
      }),
    ));

  it("§1.5 closing the agent's scope interrupts a waiting pass", () =>
    run(
      Effect.gen(function* () {
        const t = fakeTransfers([10_000]);
        const scope = yield* Scope.make();
        const kick = yield* Scope.extend(makeTransferPasses(t.deps), scope);
        kick();
        yield* Effect.yieldNow();
        yield* Scope.close(scope, Exit.void);
        yield* TestClock.adjust("1 hour");
        expect(t.log.runs).toEqual([0]);
      }),
    ));
});
