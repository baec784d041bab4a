import { Effect, Fiber, Runtime, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { makeEffectClock } from "./effect-clock.js";

describe("makeEffectClock", () => {
  it("on the live clock, fires a timer after its delay and never fires a cleared one", async () => {
    const clock = makeEffectClock(Runtime.defaultRuntime);
    const fired: string[] = [];
    const cleared = clock.setTimeout(() => fired.push("cleared"), 5);
    clock.setTimeout(() => fired.push("kept"), 10);
    clock.clearTimeout(cleared);
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual(["kept"]);
    expect(Math.abs(clock.now() - Date.now())).toBeLessThan(1000);
  });

  it("on a TestClock, timers follow virtual time only (a fleet's hours pass at once)", async () => {
    const program = Effect.gen(function* () {
      const clock = makeEffectClock(yield* Effect.runtime<never>());
      const fired: number[] = [];
      clock.setTimeout(() => fired.push(clock.now()), 3_600_000);
      const cleared = clock.setTimeout(() => fired.push(-1), 1_000);
      clock.clearTimeout(cleared);
      yield* Effect.yieldNow();
      const before = [...fired];
      yield* TestClock.adjust("2 hours");
      // Let the interruption and the timer's fiber run.
      yield* Fiber.await(yield* Effect.fork(Effect.yieldNow()));
      return { before, after: fired };
    });
    const { before, after } = await Effect.runPromise(
      Effect.provide(program, TestContext.TestContext),
    );
    expect(before).toEqual([]);
    expect(after).toEqual([3_600_000]);
  });
});
