import { Effect, Exit, Scope } from "effect";
import { describe, expect, it } from "vitest";
import { makeAnswerInPlace } from "./answer-in-place.js";

/** An answerer in a scope of its own, with what it answered or dropped recorded. */
const setup = async () => {
  const scope = Effect.runSync(Scope.make());
  const answerInPlace = await Effect.runPromise(Scope.extend(makeAnswerInPlace, scope));
  const seen: string[] = [];
  const run = (answer: Effect.Effect<string, string>) =>
    answerInPlace(
      answer as Effect.Effect<string>,
      (a) => seen.push(`answer ${a}`),
      () => seen.push("dropped"),
    );
  return { scope, run, seen };
};

describe("answering a connection request in place", () => {
  it("a synchronous answer is given before the call returns (no fiber to wait for)", async () => {
    const a = await setup();
    a.run(Effect.succeed("200"));
    expect(a.seen).toEqual(["answer 200"]);
  });

  it("an asynchronous answer is given when it is ready", async () => {
    const a = await setup();
    a.run(Effect.as(Effect.sleep("5 millis"), "200"));
    expect(a.seen).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.seen).toEqual(["answer 200"]);
  });

  it("a failure, synchronous or not, drops the request instead of leaving it unanswered", async () => {
    const a = await setup();
    a.run(Effect.fail("boom"));
    expect(a.seen).toEqual(["dropped"]);
    a.run(Effect.zipRight(Effect.sleep("5 millis"), Effect.die("bug")));
    await new Promise((r) => setTimeout(r, 50));
    expect(a.seen).toEqual(["dropped", "dropped"]);
  });

  it("closing the scope stops an answer still being worked out: it is neither given nor dropped", async () => {
    const a = await setup();
    a.run(Effect.as(Effect.sleep("20 millis"), "200"));
    await Effect.runPromise(Scope.close(a.scope, Exit.void));
    await new Promise((r) => setTimeout(r, 60));
    expect(a.seen).toEqual([]);
  });
});
