import { fc, test } from "@fast-check/vitest";
import { Cause, Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { flatMapNow, forEachNow, mapNow, orElseSucceedNow, settledNow } from "./settled-now.js";

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

  it("forEachNow settles when every item does, and stops at the first settled failure", () => {
    const seen: number[] = [];
    const each = (n: number) => {
      seen.push(n);
      return n === 3 ? Effect.fail(`bad ${n}`) : Effect.succeed(n * 2);
    };
    expect(settledNow(forEachNow([1, 2], each))).toEqual(Exit.succeed([2, 4]));
    expect(settledNow(forEachNow([], each))).toEqual(Exit.succeed([]));
    seen.length = 0;
    const failed = settledNow(forEachNow([1, 3, 4], each));
    expect(failed).toEqual(Exit.fail("bad 3"));
    expect(seen).toEqual([1, 3]);
  });

  it("forEachNow goes on in a fiber from the first item with work to do, and can run again", () => {
    const seen: number[] = [];
    const each = (n: number) => {
      seen.push(n);
      return n === 2 ? Effect.sync(() => 20) : Effect.succeed(n * 10);
    };
    const all = forEachNow([1, 2, 3], each);
    expect(settledNow(all)).toBeUndefined();
    // The items before the first with work to do were taken when it was made.
    expect(seen).toEqual([1, 2]);
    expect(Effect.runSync(all)).toEqual([10, 20, 30]);
    expect(Effect.runSync(all)).toEqual([10, 20, 30]);
    expect(seen).toEqual([1, 2, 3, 3]);
    const failing = forEachNow([1, 2, 3], (n) =>
      n === 1 ? Effect.sync(() => 1) : Effect.fail(`bad ${n}`),
    );
    expect(Effect.runSyncExit(failing)).toEqual(Exit.fail("bad 2"));
  });

  it("orElseSucceedNow keeps a settled value settled and recovers every failure, settled or not", () => {
    const none = () => "none";
    expect(settledNow(orElseSucceedNow(Effect.succeed(1), none))).toEqual(Exit.succeed(1));
    expect(Effect.runSync(orElseSucceedNow(Effect.fail("bad"), none))).toBe("none");
    expect(
      Effect.runSync(
        orElseSucceedNow(
          Effect.sync(() => 2),
          none,
        ),
      ),
    ).toBe(2);
    expect(
      Effect.runSync(
        orElseSucceedNow(
          Effect.flatMap(Effect.void, () => Effect.fail("x")),
          none,
        ),
      ),
    ).toBe("none");
  });

  test.prop([fc.array(fc.tuple(fc.integer(), fc.boolean()), { maxLength: 8 })])(
    "forEachNow gives what Effect.forEach gives, in order, settled or not",
    (items) => {
      const each = ([n, later]: [number, boolean]) =>
        later ? Effect.sync(() => n) : Effect.succeed(n);
      expect(Effect.runSync(forEachNow(items, each))).toEqual(
        Effect.runSync(Effect.forEach(items, each)),
      );
    },
  );
});
