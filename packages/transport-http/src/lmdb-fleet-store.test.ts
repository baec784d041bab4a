import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoreDocument, StoreError } from "@cpekit/core";
import { fc, test } from "@fast-check/vitest";
import { Effect, Exit, Option, Scope } from "effect";
import { open } from "lmdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { devicePrefix, manifestKey, sectionKey } from "./internal/fleet-store-keys.js";
import { type LmdbFleetStore, makeLmdbFleetStore } from "./lmdb-fleet-store.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cpekit-fleet-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const exitOf = <A>(effect: Effect.Effect<A, StoreError>) => Effect.runPromiseExit(effect);

const failure = (exit: Exit.Exit<unknown, StoreError>): StoreError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a StoreError");
  return exit.cause.error;
};

/** Opens the store in a scope of its own; `close` closes that scope. */
const openStore = async (path: string) => {
  const scope = await run(Scope.make());
  const store = await run(Scope.extend(makeLmdbFleetStore({ path }), scope));
  return { store, close: () => run(Scope.close(scope, Exit.void)) };
};

const openFails = async (path: string) =>
  failure(await exitOf(Effect.scoped(makeLmdbFleetStore({ path }))));

const doc: StoreDocument = {
  datamodel: { "Device.ManagementServer.URL": "http://acs", counters: [1, 2, 3] },
  events: [{ code: "0 BOOTSTRAP", commandKey: "" }],
  transfers: null,
};

/** Writes raw entries into the `sections` database of the environment at `path`. */
const writeRaw = async (path: string, entries: readonly (readonly [Buffer, string])[]) => {
  const env = open({ path, noSubdir: false, overlappingSync: false });
  const db = env.openDB<Buffer, Buffer>({
    name: "sections",
    encoding: "binary",
    keyEncoding: "binary",
  });
  for (const [key, value] of entries) db.putSync(key, Buffer.from(value));
  await env.close();
};

/** The entries of the `quarantine` database, as text. */
const readQuarantine = async (path: string) => {
  const env = open({ path, noSubdir: false, overlappingSync: false });
  const db = env.openDB<Buffer, Buffer>({
    name: "quarantine",
    encoding: "binary",
    keyEncoding: "binary",
  });
  const entries = [...db.getRange({})].map(({ key, value }) => [
    Buffer.from(key).toString("latin1"),
    Buffer.from(value).toString(),
  ]);
  await env.close();
  return entries;
};

describe("makeLmdbFleetStore", () => {
  it("§1.5 loads None for a device never saved, then the document saved last (in a directory it creates)", async () => {
    const { store, close } = await openStore(join(dir, "nested", "fleet.lmdb"));
    const cpe = store.storeFor("CPE1");
    expect(await run(cpe.load)).toEqual(Option.none());
    await run(cpe.save(doc));
    await run(cpe.save({ ...doc, transfers: [] }));
    expect(await run(cpe.load)).toEqual(Option.some({ ...doc, transfers: [] }));
    // Another handle on the same device reads the same document: storeFor keeps no state.
    expect(await run(store.storeFor("CPE1").load)).toEqual(Option.some({ ...doc, transfers: [] }));
    await close();
  });

  it("an empty document saved loads as Some({}), not as never saved", async () => {
    const { store, close } = await openStore(dir);
    await run(store.storeFor("CPE1").save({}));
    expect(await run(store.storeFor("CPE1").load)).toEqual(Option.some({}));
    await close();
  });

  test.prop(
    [fc.dictionary(fc.string({ unit: "binary" }), fc.jsonValue(), { maxKeys: 6 }), fc.string()],
    { numRuns: 40 },
  )(
    "a saved JSON document loads back equal to its JSON round trip, keys in order",
    async (document, deviceKey) => {
      const path = join(dir, "prop");
      const { store, close } = await openStore(path);
      try {
        const cpe = store.storeFor(deviceKey);
        await run(cpe.save({ old: 1, [Object.keys(document)[0] ?? "x"]: "previous" }));
        await run(cpe.save(document as StoreDocument));
        const loaded = Option.getOrThrow(await run(cpe.load));
        const expected = JSON.parse(JSON.stringify(document));
        expect(loaded).toEqual(expected);
        expect(Object.keys(loaded)).toEqual(Object.keys(expected));
      } finally {
        await close();
        rmSync(path, { recursive: true, force: true });
      }
    },
  );

  it("a section named __proto__ loads back as a key, as JSON.parse reads it (found by the round-trip property)", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("");
    const document = JSON.parse('{"__proto__":false}') as StoreDocument;
    await run(cpe.save(document));
    const loaded = Option.getOrThrow(await run(cpe.load));
    expect(Object.keys(loaded)).toEqual(["__proto__"]);
    expect(loaded).toEqual(document);
    await close();
  });

  it("a section whose value has no JSON is left out, as JSON.stringify leaves it out", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("CPE1");
    await run(cpe.save({ events: [], gone: undefined } as unknown as StoreDocument));
    expect(await run(cpe.load)).toEqual(Option.some({ events: [] }));
    await close();
  });

  it("a save drops the sections the document no longer has", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("CPE1");
    await run(cpe.save(doc));
    await run(cpe.save({ events: [] }));
    expect(await run(cpe.load)).toEqual(Option.some({ events: [] }));
    await close();
  });

  it("§1.5 600 devices saved at once each load their own document, keys that prefix one another included", async () => {
    const { store, close } = await openStore(dir);
    const keys = [
      ...Array.from({ length: 597 }, (_, i) => `CPE${i}`),
      'CPE1"',
      "CPE1\u0000x",
      "\ud800",
    ];
    const docOf = (key: string, round: number): StoreDocument => ({
      events: [{ code: "1 BOOT", commandKey: key }],
      datamodel: { round, serial: key, filler: "x".repeat(500) },
    });
    for (const round of [1, 2])
      await run(
        Effect.all(
          keys.map((k) => store.storeFor(k).save(docOf(k, round))),
          { concurrency: "unbounded" },
        ),
      );
    for (const k of keys)
      expect(await run(store.storeFor(k).load)).toEqual(Option.some(docOf(k, 2)));
    // Lone surrogates stay distinct device keys (UTF-8 alone would map both to U+FFFD).
    expect(await run(store.storeFor("\ud801").load)).toEqual(Option.none());
    await close();
  });

  it("a batch of saves that change only the event queue writes no copy of the unchanged data model", async () => {
    const { store, close } = await openStore(dir);
    const datamodel = { big: "d".repeat(256 * 1024) };
    const devices = Array.from({ length: 8 }, (_, i) => store.storeFor(`CPE${i}`));
    const saveAll = (events: number) =>
      run(
        Effect.all(
          devices.map((cpe) => cpe.save({ datamodel, events: [events] })),
          { concurrency: "unbounded" },
        ),
      );
    await saveAll(0);
    const before = statSync(join(dir, "data.mdb")).size;
    await saveAll(1);
    // Rewriting the data models would take 2 MB of new pages (freed pages are not reusable
    // within the transaction that frees them); the event queues take a few pages.
    expect(statSync(join(dir, "data.mdb")).size - before).toBeLessThan(256 * 1024);
    expect(await run(devices[7]!.load)).toEqual(Option.some({ datamodel, events: [1] }));
    await close();
  });

  it("saves of one device started together apply in the order started, even one that restores the stored value", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("CPE1");
    await run(cpe.save({ events: [1] }));
    await run(
      Effect.all([cpe.save({ events: [2], extra: true }), cpe.save({ events: [1] })], {
        concurrency: "unbounded",
      }),
    );
    expect(await run(cpe.load)).toEqual(Option.some({ events: [1] }));
    await close();
  });

  it("§1.5 a reopened store holds every document saved before close; after close, load and save fail", async () => {
    const first = await openStore(dir);
    await run(first.store.storeFor("A").save(doc));
    await run(first.store.storeFor("B").save({ events: [] }));
    const closed: LmdbFleetStore = first.store;
    await first.close();
    const save = failure(await exitOf(closed.storeFor("A").save(doc)));
    expect([save.reason, save.path]).toEqual(["WriteFailed", `${dir}#A`]);
    expect(failure(await exitOf(closed.storeFor("A").load)).reason).toBe("ReadFailed");
    await run(closed.close); // closing again is harmless

    const second = await openStore(dir);
    expect(await run(second.store.storeFor("A").load)).toEqual(Option.some(doc));
    expect(await run(second.store.storeFor("B").load)).toEqual(Option.some({ events: [] }));
    await second.close();
  });

  it("a save whose section name is too long for an LMDB key fails with WriteFailed and changes nothing (atomic)", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("CPE1");
    await run(cpe.save(doc));
    const e = failure(await exitOf(cpe.save({ events: ["new"], ["n".repeat(3000)]: 1 })));
    expect([e._tag, e.reason, e.path]).toEqual(["StoreError", "WriteFailed", `${dir}#CPE1`]);
    expect(e.detail).toMatch(/key size/i);
    expect(await run(cpe.load)).toEqual(Option.some(doc));
    // The failure spoils neither the store nor the device.
    await run(cpe.save({ events: ["next"] }));
    expect(await run(cpe.load)).toEqual(Option.some({ events: ["next"] }));
    await close();
  });

  it("a save of a value that has no JSON encoding (a BigInt) fails with WriteFailed and keeps the document", async () => {
    const { store, close } = await openStore(dir);
    const cpe = store.storeFor("CPE1");
    await run(cpe.save(doc));
    const bad = { events: [10n] } as unknown as StoreDocument;
    expect(failure(await exitOf(cpe.save(bad))).reason).toBe("WriteFailed");
    expect(await run(cpe.load)).toEqual(Option.some(doc));
    await close();
  });

  it("the scope that opened the store closes it", async () => {
    const store = await run(Effect.scoped(makeLmdbFleetStore({ path: dir })));
    expect(failure(await exitOf(store.storeFor("A").save(doc))).reason).toBe("WriteFailed");
  });
});

describe("makeLmdbFleetStore: corrupt entries and unusable paths", () => {
  const key = "CPE\u0007\n";
  const prefix = devicePrefix(key);
  const manifest = manifestKey(prefix);
  const a = sectionKey(prefix, "a");
  const b = sectionKey(prefix, "b");
  /** A valid record of `key`: each case below spoils one entry of it. */
  const valid: readonly (readonly [Buffer, string])[] = [
    [manifest, '["a","b"]'],
    [a, "1"],
    [b, '{"x":2}'],
  ];
  const other: readonly (readonly [Buffer, string])[] = [
    [manifestKey(devicePrefix("other")), '["a"]'],
    [sectionKey(devicePrefix("other"), "a"), "3"],
  ];

  it("the valid record the cases start from loads", async () => {
    await writeRaw(dir, valid);
    const { store, close } = await openStore(dir);
    expect(await run(store.storeFor(key).load)).toEqual(Option.some({ a: 1, b: { x: 2 } }));
    await close();
  });

  const cases: readonly (readonly [string, readonly (readonly [Buffer, string])[], RegExp])[] = [
    [
      "the manifest is not JSON",
      [[manifest, '["a","b"'], valid[1]!, valid[2]!],
      /manifest is not JSON/,
    ],
    [
      "the manifest is not an array of names",
      [[manifest, '["a",2]'], valid[1]!, valid[2]!],
      /not an array of section names/,
    ],
    [
      "the manifest lists a section twice",
      [[manifest, '["a","b","a"]'], valid[1]!, valid[2]!],
      /lists a section twice/,
    ],
    ["a listed section is missing", [valid[0]!, valid[1]!], /section "b" is missing/],
    [
      "a section is not in the manifest",
      [[manifest, '["a"]'], valid[1]!, valid[2]!],
      /section "b" is not in the manifest/,
    ],
    ["a section is not JSON", [valid[0]!, valid[1]!, [b, '{"x":']], /section "b" is not JSON/],
    ["sections are stored without a manifest", [valid[1]!, valid[2]!], /without a manifest/],
    [
      "a section key does not decode",
      [...valid, [Buffer.concat([prefix, Buffer.of(0), Buffer.from("notjson")]), "1"]],
      /key does not decode/,
    ],
    [
      "a section key is JSON but not a name",
      [...valid, [Buffer.concat([prefix, Buffer.of(0), Buffer.from("12")]), "1"]],
      /key does not decode/,
    ],
  ];

  for (const [why, entries, detail] of cases)
    it(`when ${why}: the load fails with Corrupt, the device's entries move to quarantine unchanged, other devices stay`, async () => {
      await writeRaw(dir, [...entries, ...other]);
      const { store, close } = await openStore(dir);
      const e = failure(await exitOf(store.storeFor(key).load));
      expect([e._tag, e.reason, e.path]).toEqual([
        "StoreError",
        "Corrupt",
        `${dir}#CPE\\u0007\\u000a`,
      ]);
      expect(e.detail).toMatch(detail);
      expect(e.detail).toMatch(/kept in the quarantine database under \d{8}T\d{9}Z-0/);
      // The device starts afresh; its neighbour is untouched.
      expect(await run(store.storeFor(key).load)).toEqual(Option.none());
      expect(await run(store.storeFor("other").load)).toEqual(Option.some({ a: 3 }));
      await close();
      const kept = await readQuarantine(dir);
      expect(kept.map(([, v]) => v).sort()).toEqual(entries.map(([, v]) => v).sort());
      for (const [k] of kept) expect(k?.startsWith(prefix.toString("latin1"))).toBe(true);
    });

  it("a path that is a file fails the open with ReadFailed and leaves the file as it was", async () => {
    const path = join(dir, "fleet");
    writeFileSync(path, "not a directory");
    const e = await openFails(path);
    expect([e._tag, e.reason, e.path]).toEqual(["StoreError", "ReadFailed", path]);
    expect(e.detail).toMatch(/cannot open the LMDB environment/);
    expect(readFileSync(path, "utf8")).toBe("not a directory");
  });

  /** A real environment's data file with three devices, to damage. */
  const realDataFile = async () => {
    const path = join(dir, "real");
    const { store, close } = await openStore(path);
    for (const k of ["A", "B", "C"]) await run(store.storeFor(k).save(doc));
    await close();
    return readFileSync(join(path, "data.mdb"));
  };
  const damages: readonly (readonly [string, (real: Buffer) => Buffer, RegExp])[] = [
    ["is 3 bytes long", () => Buffer.from("abc"), /too short \(3 bytes\)/],
    ["is not LMDB", () => Buffer.alloc(64 * 1024, 0x5a), /is not an LMDB data file/],
    [
      "has a page size that is not a power of two",
      (real) => {
        const copy = Buffer.from(real);
        copy.writeUInt32LE(3000, 48);
        return copy;
      },
      /impossible page size 3000/,
    ],
    ...[256, 131072].map(
      (size) =>
        [
          `has a page size of ${size}, out of LMDB's range`,
          (real: Buffer) => {
            const copy = Buffer.from(real);
            copy.writeUInt32LE(size, 48);
            return copy;
          },
          new RegExp(`impossible page size ${size}`),
        ] as const,
    ),
    [
      "lost its second meta page",
      (real) => real.subarray(0, 4096 + 100),
      /second meta page is missing/,
    ],
    [
      "lost its last page",
      (real) => real.subarray(0, real.length - 4096),
      /is truncated: \d+ bytes, its last transaction needs \d+/,
    ],
  ];

  it("a real data file passes the check the damaged ones fail", async () => {
    const real = await realDataFile();
    const path = join(dir, "copy");
    mkdirSync(path);
    writeFileSync(join(path, "data.mdb"), real);
    const { store, close } = await openStore(path);
    expect(await run(store.storeFor("C").load)).toEqual(Option.some(doc));
    await close();
  });

  for (const [why, damage, detail] of damages)
    it(`a data file that ${why} fails the open with Corrupt and is left as it was (lmdb-js would crash on it)`, async () => {
      const bytes = damage(await realDataFile());
      const path = join(dir, "fleet");
      mkdirSync(path);
      writeFileSync(join(path, "data.mdb"), bytes);
      const e = await openFails(path);
      expect([e._tag, e.reason, e.path]).toEqual(["StoreError", "Corrupt", path]);
      expect(e.detail).toMatch(detail);
      expect(readFileSync(join(path, "data.mdb")).equals(bytes)).toBe(true);
    });

  it("an error names a path with control characters escaped", async () => {
    const path = join(dir, "a\u001b[2Jb");
    writeFileSync(path, "x");
    const e = await openFails(path);
    expect(e.path).toBe(join(dir, "a\\u001b[2Jb"));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is that none is left.
    expect(e.message).not.toMatch(/[\u0000-\u001f]/);
  });
});
