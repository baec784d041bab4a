import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore, StoreError, type StoreService } from "../ports/store.js";
import { makePersistentEventQueue, readEventQueue } from "./event-queue-store.js";
import { makeRebootHandler } from "./reboot-handler.js";
import { makeSectionStore } from "./section-store.js";

/** Calls the handler once; `failSaves` makes every save after the queue's boot fail. */
const call = (commandKey: string, failSaves = false) =>
  Effect.gen(function* () {
    const memory = yield* makeMemoryStore();
    let saves = 0;
    const store: StoreService = {
      load: memory.load,
      save: (doc) =>
        failSaves && saves++ > 0
          ? Effect.fail(new StoreError({ reason: "WriteFailed", path: "mem", detail: "disk full" }))
          : memory.save(doc),
    };
    const sections = yield* makeSectionStore(store);
    const queue = yield* makePersistentEventQueue(sections, "http://acs", 0);
    const recorded: string[] = [];
    const answer = yield* Effect.either(
      makeRebootHandler(queue)({
        request: { _tag: "Reboot", commandKey },
        afterSession: { reboot: (k: string) => recorded.push(k) },
      } as never),
    );
    const stored = Option.getOrThrow(yield* readEventQueue(sections));
    return { answer, stored, recorded };
  }).pipe(Effect.runPromise);

describe("Reboot handler (write-ahead)", () => {
  it("§1.5 M Reboot CommandKey persisted across reboot: the key is in the store before RebootResponse, and the reboot is recorded for after the session", async () => {
    const { answer, stored, recorded } = await call("rb-9");
    expect(answer).toMatchObject({ _tag: "Right", right: { _tag: "RebootResponse" } });
    expect(stored.rebootCommandKeys).toEqual(["rb-9"]);
    expect(recorded).toEqual(["rb-9"]);
  });

  it("§1.5 a store failure answers 9002, saves nothing and records no reboot", async () => {
    const { answer, stored, recorded } = await call("rb-9", true);
    expect(answer).toMatchObject({ _tag: "Left", left: { code: 9002 } });
    expect(stored.rebootCommandKeys).toEqual([]);
    expect(recorded).toEqual([]);
  });
});
