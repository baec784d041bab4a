import { Effect, Exit } from "effect";
import { describe, expect, it } from "vitest";
import { addScopeFinalizer } from "./scope-finalizer.js";

describe("addScopeFinalizer", () => {
  it("runs once when the scope closes, after the body, in reverse order of adding, whether the body succeeded or failed", () => {
    const run = (body: Effect.Effect<void, string>) => {
      const seen: string[] = [];
      const exit = Effect.runSyncExit(
        Effect.scoped(
          Effect.gen(function* () {
            yield* addScopeFinalizer(Effect.sync(() => seen.push("first added")));
            yield* addScopeFinalizer(Effect.sync(() => seen.push("second added")));
            seen.push("body");
            yield* body;
          }),
        ),
      );
      return { seen, exit };
    };
    const ok = run(Effect.void);
    expect(ok.seen).toEqual(["body", "second added", "first added"]);
    expect(Exit.isSuccess(ok.exit)).toBe(true);
    const failed = run(Effect.fail("bad"));
    expect(failed.seen).toEqual(["body", "second added", "first added"]);
    expect(failed.exit).toEqual(Exit.fail("bad"));
  });
});
