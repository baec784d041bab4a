import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoreDocument, StoreError } from "@cpekit/core";
import { fc, test } from "@fast-check/vitest";
import { Effect, Exit, Option } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as JsonFileStore from "./json-file-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cpekit-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const doc: StoreDocument = {
  datamodel: { "Device.ManagementServer.URL": "http://acs", counters: [1, 2, 3] },
  events: [{ code: "0 BOOTSTRAP", commandKey: "" }],
  transfers: null,
};

const failure = (exit: Exit.Exit<unknown, StoreError>): StoreError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a StoreError");
  return exit.cause.error;
};

describe("JsonFileStore", () => {
  it("loads None before the first save, then what was saved last (in a directory it creates)", async () => {
    const path = join(dir, "devices", "cpe-1.json");
    const store = Effect.runSync(JsonFileStore.make(path));
    expect(await Effect.runPromise(store.load)).toEqual(Option.none());
    await Effect.runPromise(store.save(doc));
    await Effect.runPromise(store.save({ ...doc, transfers: [] }));
    expect(await Effect.runPromise(store.load)).toEqual(Option.some({ ...doc, transfers: [] }));
    expect(readdirSync(join(dir, "devices"))).toEqual(["cpe-1.json"]);
  });

  test.prop([fc.dictionary(fc.string(), fc.jsonValue())], { numRuns: 30 })(
    "a saved JSON document loads back equal",
    async (document) => {
      const store = Effect.runSync(JsonFileStore.make(join(dir, "prop.json")));
      await Effect.runPromise(store.save(document as StoreDocument));
      const loaded = await Effect.runPromise(store.load);
      expect(loaded).toEqual(Option.some(JSON.parse(JSON.stringify(document))));
    },
  );

  it("a temp file left half-written by a crash does not affect the load", async () => {
    const path = join(dir, "cpe.json");
    const store = Effect.runSync(JsonFileStore.make(path));
    await Effect.runPromise(store.save(doc));
    writeFileSync(join(dir, ".cpe.json.tmp-deadbeef0000"), '{"datamodel": {"half');
    expect(await Effect.runPromise(store.load)).toEqual(Option.some(doc));
    await Effect.runPromise(store.save({ events: [] }));
    expect(await Effect.runPromise(store.load)).toEqual(Option.some({ events: [] }));
  });

  it("a corrupt file fails with Corrupt naming its path, and is kept aside with its content", async () => {
    const path = join(dir, "cpe.json");
    for (const content of ['{"events": [', "[1, 2]", ""]) {
      writeFileSync(path, content);
      const store = Effect.runSync(JsonFileStore.make(path));
      const e = failure(await Effect.runPromiseExit(store.load));
      expect([e._tag, e.reason, e.path]).toEqual(["StoreError", "Corrupt", path]);
      const aside = readdirSync(dir).filter((f) => f.startsWith("cpe.json.corrupt-"));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!), "utf8")).toBe(content);
      expect(e.detail).toContain(aside[0]);
      expect(existsSync(path)).toBe(false);
      rmSync(join(dir, aside[0]!));
    }
  });

  it("a failed save fails with WriteFailed, and a load where the directory was fails with ReadFailed", async () => {
    const sub = join(dir, "devices");
    const path = join(sub, "cpe.json");
    const store = Effect.runSync(JsonFileStore.make(path));
    await Effect.runPromise(store.save(doc));
    rmSync(sub, { recursive: true });
    writeFileSync(sub, "a file where the directory was");
    expect(failure(await Effect.runPromiseExit(store.save(doc))).reason).toBe("WriteFailed");
    expect(failure(await Effect.runPromiseExit(store.load)).reason).toBe("ReadFailed");
  });

  it("a save recreates a directory removed since the previous save", async () => {
    const sub = join(dir, "devices");
    const path = join(sub, "cpe.json");
    const store = Effect.runSync(JsonFileStore.make(path));
    await Effect.runPromise(store.save(doc));
    rmSync(sub, { recursive: true });
    await Effect.runPromise(store.save({ events: [] }));
    const fresh = Effect.runSync(JsonFileStore.make(path));
    expect(await Effect.runPromise(fresh.load)).toEqual(Option.some({ events: [] }));
    expect(readdirSync(sub)).toEqual(["cpe.json"]);
  });

  it("a save that cannot write fails with WriteFailed and leaves no temp file", async () => {
    writeFileSync(join(dir, "not-a-dir"), "x");
    const store = Effect.runSync(JsonFileStore.make(join(dir, "not-a-dir", "cpe.json")));
    const e = failure(await Effect.runPromiseExit(store.save(doc)));
    expect(e.reason).toBe("WriteFailed");
    expect(readdirSync(dir)).toEqual(["not-a-dir"]);
  });

  it("issue 9: a store path that is a directory fails with ReadFailed saying so (EISDIR), not Corrupt, and the directory is left alone", async () => {
    const path = join(dir, "cpe.json");
    mkdirSync(path);
    const store = Effect.runSync(JsonFileStore.make(path));
    const e = failure(await Effect.runPromiseExit(store.load));
    expect([e.reason, e.detail]).toEqual([
      "ReadFailed",
      "cannot read the store: the path is a directory, not a file (EISDIR)",
    ]);
    expect(readdirSync(dir)).toEqual(["cpe.json"]);
    const w = failure(await Effect.runPromiseExit(store.save(doc)));
    expect(w.reason).toBe("WriteFailed");
    expect(w.detail).toContain("(EISDIR)");
  });

  it("issue 9: a store path under a file fails with ReadFailed saying so (ENOTDIR)", async () => {
    writeFileSync(join(dir, "a-file"), "x");
    const store = Effect.runSync(JsonFileStore.make(join(dir, "a-file", "cpe.json")));
    const e = failure(await Effect.runPromiseExit(store.load));
    expect([e.reason, e.detail]).toEqual([
      "ReadFailed",
      "cannot read the store: a component of the path is a file, not a directory (ENOTDIR)",
    ]);
  });

  it("issue 9: a corrupt file's control bytes and a path's control characters are escaped in the error, never printed raw", async () => {
    const path = join(dir, "cpe\u001b[2J.json");
    // Node's parser quotes the offending bytes in its message.
    writeFileSync(path, "\u001b[31mred\u009b");
    const store = Effect.runSync(JsonFileStore.make(path));
    const e = failure(await Effect.runPromiseExit(store.load));
    expect(e.reason).toBe("Corrupt");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the absence of controls is the point
    expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(e.path).toBe(path.replace("\u001b", "\\u001b"));
    expect(e.message).toContain("\\u001b");
  });
});
