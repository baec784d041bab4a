import { Effect, Fiber } from "effect";
import { describe, expect, it } from "vitest";
import { settleEventLoop, VirtualClock } from "./virtual-clock.js";

const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("the virtual clock", () => {
  it("fires sleeps in order of their instants, each at its own time, and interrupted ones never", async () => {
    const clock = new VirtualClock(T0);
    const seen: string[] = [];
    const sleeper = (name: string, ms: number) =>
      Effect.runFork(
        Effect.withClock(
          Effect.flatMap(Effect.sleep(ms), () =>
            Effect.sync(() => seen.push(`${name}@${clock.now() - T0}`)),
          ),
          clock.clock,
        ),
      );
    sleeper("c", 3_000);
    sleeper("a", 1_000);
    const cancelled = sleeper("x", 2_000);
    sleeper("b", 2_000);
    const settle = () =>
      settleEventLoop(
        () => clock.activity,
        () => false,
      );
    await settle();
    await Effect.runPromise(Fiber.interrupt(cancelled));
    const instants = await clock.advanceTo(T0 + 2_500, settle);
    expect(seen).toEqual(["a@1000", "b@2000"]);
    expect(clock.now()).toBe(T0 + 2_500);
    await clock.advanceTo(T0 + 10_000, settle);
    expect(seen).toEqual(["a@1000", "b@2000", "c@3000"]);
    expect(instants).toBe(2);
  });

  it("a timer set while time advances fires in the same advance when it falls before the target", async () => {
    const clock = new VirtualClock(T0);
    const seen: number[] = [];
    const tick: Effect.Effect<void> = Effect.flatMap(Effect.sleep(1_000), () =>
      Effect.flatMap(
        Effect.sync(() => seen.push(clock.now() - T0)),
        () => (seen.length < 100 ? tick : Effect.void),
      ),
    );
    Effect.runFork(Effect.withClock(tick, clock.clock));
    const settle = () =>
      settleEventLoop(
        () => clock.activity,
        () => false,
      );
    await settle();
    await clock.advanceTo(T0 + 5_500, settle);
    expect(seen).toEqual([1000, 2000, 3000, 4000, 5000]);
  });
});
