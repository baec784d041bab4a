import { Cause, Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { flatMapNow, mapNow, settledNow } from "./settled-now.js";

describe("continuing an effect in place when it has settled (issue 11)", () => {
  it("reads succeed and fail without running them; an effect with work to do is not settled", () => {
    expect(settledNow(Effect.succeed(1))).toEqual(Exit.succeed(1));
    expect(settledNow(Effect.fail("no"))).toEqual(Exit.fail("no"));
    expect(settledNow(Effect.sync(() => 1))).toBeUndefined();
    expect(settledNow(Effect.map(Effect.succeed(1), (n) => n + 1))).toBeUndefined();
  });

  it("calls the continuation at once on a settled success, so the chain stays settled", () => {
    let called = 0;
    const chained = flatMapNow(Effect.succeed(2), (n) => {
      called++;
      return Effect.succeed(n * 10);
    });
    expect(called).toBe(1);
    expect(settledNow(chained)).toEqual(Exit.succeed(20));
    expect(settledNow(mapNow(Effect.succeed(2), (n) => n + 1))).toEqual(Exit.succeed(3));
  });

  it("passes a settled failure on with its cause, without calling the continuation", () => {
    const f = () => {
      throw new Error("must not be called");
    };
    const failed = flatMapNow(Effect.fail("boom" as const), f);
    const exit = settledNow(failed);
    expect(exit !== undefined && Exit.isFailure(exit) && Cause.failureOption(exit.cause)).toEqual(
      expect.objectContaining({ _tag: "Some", value: "boom" }),
    );
    expect(Effect.runSyncExit(mapNow(Effect.fail("boom"), f))).toEqual(Exit.fail("boom"));
  });

  it("runs the continuation when the effect runs, for an effect with work to do", () => {
    let called = 0;
    const chained = flatMapNow(
      Effect.sync(() => 2),
      (n) => {
        called++;
        return Effect.succeed(n * 10);
      },
    );
    expect(called).toBe(0);
    expect(Effect.runSync(chained)).toBe(20);
    expect(called).toBe(1);
    expect(
      Effect.runSync(
        mapNow(
          Effect.sync(() => 2),
          (n) => n + 1,
        ),
      ),
    ).toBe(3);
  });
});
