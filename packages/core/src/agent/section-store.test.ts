import { Effect, Option, Ref } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore, StoreError, type StoreService } from "../ports/store.js";
import { makeSectionStore } from "./section-store.js";

/** A memory store that counts loads and fails saves while `failing` is set. */
const countingStore = Effect.gen(function* () {
  const inner = yield* makeMemoryStore({ other: 1 });
  const loads = yield* Ref.make(0);
  const failing = yield* Ref.make(false);
  const store: StoreService = {
    load: Effect.zipRight(
      Ref.update(loads, (n) => n + 1),
      inner.load,
    ),
    save: (doc) =>
      Effect.flatMap(Ref.get(failing), (fail) =>
        fail
          ? Effect.fail(new StoreError({ reason: "WriteFailed", path: "mem", detail: "disk full" }))
          : inner.save(doc),
      ),
  };
  return { store, inner, loads, failing };
});

describe("section store", () => {
  it("loads the document once, then writes merge sections without reading the store again", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const t = yield* countingStore;
        const sections = yield* makeSectionStore(t.store);
        for (let i = 0; i < 5; i++) yield* sections.write({ events: i });
        yield* sections.view("datamodel").save({ datamodel: "dm", events: "ignored" });
        return {
          loads: yield* Ref.get(t.loads),
          saved: yield* t.inner.snapshot,
          read: yield* sections.read("events"),
        };
      }),
    );
    expect(result.loads).toBe(1);
    expect(result.saved).toEqual(Option.some({ other: 1, events: 4, datamodel: "dm" }));
    expect(result.read).toEqual(Option.some(4));
  });

  it("a failed save changes neither the store nor what the sections read", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const t = yield* countingStore;
        const sections = yield* makeSectionStore(t.store);
        yield* sections.write({ events: "a" });
        yield* Ref.set(t.failing, true);
        const failed = yield* Effect.either(sections.write({ events: "b" }));
        return {
          failed: failed._tag,
          read: yield* sections.read("events"),
          saved: yield* t.inner.snapshot,
        };
      }),
    );
    expect(result.failed).toBe("Left");
    expect(result.read).toEqual(Option.some("a"));
    expect(result.saved).toEqual(Option.some({ other: 1, events: "a" }));
  });
});
