import { Effect, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore } from "../ports/store.js";
import { makePersistentEventQueue, readEventQueue } from "./event-queue-store.js";
import { makeScheduleInformHandler } from "./schedule-inform-handler.js";
import { makeSectionStore } from "./section-store.js";

const call = (delaySeconds: number, commandKey = "ck") =>
  Effect.gen(function* () {
    yield* TestClock.setTime(1_000);
    const sections = yield* makeSectionStore(yield* makeMemoryStore());
    const queue = yield* makePersistentEventQueue(sections, "http://acs", 0);
    const handler = makeScheduleInformHandler(queue);
    const answer = yield* Effect.either(
      handler({
        request: { _tag: "ScheduleInform", delaySeconds, commandKey },
        afterSession: {} as never,
      } as never),
    );
    return { answer, stored: yield* readEventQueue(sections) };
  }).pipe(Effect.provide(TestContext.TestContext), Effect.runPromise);

describe("ScheduleInform handler (write-ahead)", () => {
  it("§1.5 the ScheduleInform is in the store before ScheduleInformResponse is returned", async () => {
    const { answer, stored } = await call(30, "si");
    expect(answer).toMatchObject({ _tag: "Right", right: { _tag: "ScheduleInformResponse" } });
    expect(stored._tag === "Some" && stored.value.scheduledInforms).toEqual([
      { commandKey: "si", dueAt: 31_000 },
    ]);
  });

  it("§1.5 DelaySeconds 0 or a CommandKey over 32 characters is refused with 9003 and nothing is saved", async () => {
    for (const [delay, key] of [
      [0, "ck"],
      [5, "x".repeat(33)],
    ] as const) {
      const { answer, stored } = await call(delay, key);
      expect(answer).toMatchObject({ _tag: "Left", left: { code: 9003 } });
      expect(stored._tag === "Some" && stored.value.scheduledInforms).toEqual([]);
    }
  });
});
