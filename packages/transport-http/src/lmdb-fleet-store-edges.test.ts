import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoreError } from "@cpekit/core";
import { Effect, Exit, Scope, TestContext } from "effect";
import { open } from "lmdb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { devicePrefix, manifestKey, sectionKey } from "./internal/fleet-store-keys.js";
import { makeLmdbFleetStore } from "./lmdb-fleet-store.js";

// The edges of the fleet store's failures: each error is compared in full (reason, path and the
// whole detail), on a record spoilt in one way only. Loads run under the test clock (time 0), so
// the quarantine tag of a corrupt device is known: `19700101T000000000Z-<n>`.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cpekit-fleet-edges-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const atTimeZero = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.runPromiseExit(Effect.provide(effect, TestContext.TestContext));

const failure = (exit: Exit.Exit<unknown, StoreError>): StoreError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a StoreError");
  return exit.cause.error;
};

const openStore = async (path: string) => {
  const scope = await run(Scope.make());
  const store = await run(Scope.extend(makeLmdbFleetStore({ path }), scope));
  return { store, close: () => run(Scope.close(scope, Exit.void)) };
};

const rawDb = (path: string, name: "sections" | "quarantine") => {
  const env = open({ path, noSubdir: false, overlappingSync: false });
  const db = env.openDB<Buffer, Buffer>({ name, encoding: "binary", keyEncoding: "binary" });
  return { env, db };
};

const writeRaw = async (path: string, entries: readonly (readonly [Buffer, string])[]) => {
  const { env, db } = rawDb(path, "sections");
  for (const [key, value] of entries) db.putSync(key, Buffer.from(value));
  await env.close();
};

/** The entries of database `name`, keys and values as latin1 text (byte for byte). */
const readRaw = async (path: string, name: "sections" | "quarantine") => {
  const { env, db } = rawDb(path, name);
  const entries = [...db.getRange({})].map(({ key, value }) => [
    Buffer.from(key).toString("latin1"),
    Buffer.from(value).toString("latin1"),
  ]);
  await env.close();
  return entries;
};

const KEPT = "its entries are kept in the quarantine database under 19700101T000000000Z";

describe("makeLmdbFleetStore: the detail of a corrupt device (§1.5)", () => {
  const prefix = devicePrefix("CPE");
  const manifest = manifestKey(prefix);
  const a = sectionKey(prefix, "a");
  const b = sectionKey(prefix, "b");

  const corruptDetail = async (entries: readonly (readonly [Buffer, string])[]) => {
    await writeRaw(dir, entries);
    const { store, close } = await openStore(dir);
    const e = failure(await atTimeZero(store.storeFor("CPE").load));
    await close();
    expect([e.reason, e.path]).toEqual(["Corrupt", `${dir}#CPE`]);
    return e.detail;
  };

  it("sections without a manifest: the detail counts them", async () => {
    expect(
      await corruptDetail([
        [a, "1"],
        [b, "2"],
      ]),
    ).toBe(`2 section(s) stored without a manifest; ${KEPT}-0`);
  });

  it("a manifest that is a JSON string, not an array, is Corrupt (not a read failure)", async () => {
    expect(await corruptDetail([[manifest, '"ab"']])).toBe(
      `the manifest is not an array of section names; ${KEPT}-0`,
    );
  });

  it("a manifest that is a JSON object, not an array, is Corrupt", async () => {
    expect(await corruptDetail([[manifest, '{"0":"a","length":1}']])).toBe(
      `the manifest is not an array of section names; ${KEPT}-0`,
    );
  });

  it("each reason is told apart in the detail", async () => {
    const cases: readonly (readonly [readonly (readonly [Buffer, string])[], string])[] = [
      [[[manifest, "["]], "the manifest is not JSON"],
      [
        [
          [manifest, '["a","a"]'],
          [a, "1"],
        ],
        "the manifest lists a section twice",
      ],
      [
        [
          [manifest, '["a","b"]'],
          [a, "1"],
        ],
        'section "b" is missing',
      ],
      [
        [
          [manifest, '["a"]'],
          [a, "{"],
        ],
        'section "a" is not JSON',
      ],
      [
        [
          [manifest, '["a"]'],
          [a, "1"],
          [b, "2"],
        ],
        'section "b" is not in the manifest',
      ],
      [
        [
          [manifest, "[]"],
          [Buffer.concat([prefix, Buffer.of(0), Buffer.from("{")]), "1"],
        ],
        "a section key does not decode",
      ],
    ];
    for (const [entries, why] of cases) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      expect(await corruptDetail(entries)).toBe(`${why}; ${KEPT}-0`);
    }
  });

  it("the quarantine keys are the device prefix, a NUL, the tag, a NUL and the rest of the original key", async () => {
    const entries = [
      [manifest, '["a","b"]'],
      [a, "1"],
    ] as const;
    expect(await corruptDetail(entries)).toBe(`section "b" is missing; ${KEPT}-0`);
    const tagged = `${prefix.toString("latin1")}\u000019700101T000000000Z-0\u0000`;
    expect(await readRaw(dir, "quarantine")).toEqual([
      [`${tagged}\u0000"a"`, "1"],
      [`${tagged}\u0001`, '["a","b"]'],
    ]);
    expect(await readRaw(dir, "sections")).toEqual([]);
  });

  it("two corrupt devices in the same millisecond get tags -0 and -1, kept apart", async () => {
    const other = devicePrefix("CPF");
    await writeRaw(dir, [
      [manifest, "["],
      [manifestKey(other), "["],
    ]);
    const { store, close } = await openStore(dir);
    const first = failure(await atTimeZero(store.storeFor("CPE").load));
    const second = failure(await atTimeZero(store.storeFor("CPF").load));
    await close();
    expect(first.detail).toBe(`the manifest is not JSON; ${KEPT}-0`);
    expect(second.detail).toBe(`the manifest is not JSON; ${KEPT}-1`);
    expect((await readRaw(dir, "quarantine")).map(([k]) => k)).toEqual([
      `${prefix.toString("latin1")}\u000019700101T000000000Z-0\u0000\u0001`,
      `${other.toString("latin1")}\u000019700101T000000000Z-1\u0000\u0001`,
    ]);
  });

  it("entries that cannot be moved aside (a quarantine key too long for LMDB) stay where they were", async () => {
    // The section key fits LMDB's 1978-byte limit; with the tag added, the quarantine key does not.
    const long = "d".repeat(1958);
    const section = sectionKey(devicePrefix(long), "a");
    await writeRaw(dir, [[section, "1"]]);
    const { store, close } = await openStore(dir);
    const e = failure(await atTimeZero(store.storeFor(long).load));
    expect(e.reason).toBe("Corrupt");
    expect(e.detail).toMatch(
      /^1 section\(s\) stored without a manifest; its entries could not be moved aside: .*key size/i,
    );
    // Nothing moved: the device is still corrupt, its entry still in place.
    expect(failure(await atTimeZero(store.storeFor(long).load)).reason).toBe("Corrupt");
    await close();
    expect(await readRaw(dir, "sections")).toEqual([[section.toString("latin1"), "1"]]);
    expect(await readRaw(dir, "quarantine")).toEqual([]);
  });
});

describe("makeLmdbFleetStore: a closed store and unusable paths", () => {
  it("after close, a load fails with ReadFailed and a save with WriteFailed, both saying why", async () => {
    const { store, close } = await openStore(dir);
    await close();
    const load = failure(await Effect.runPromiseExit(store.storeFor("A").load));
    expect([load.reason, load.path, load.detail]).toEqual([
      "ReadFailed",
      `${dir}#A`,
      "the fleet store is closed",
    ]);
    const save = failure(await Effect.runPromiseExit(store.storeFor("A").save({})));
    expect([save.reason, save.path, save.detail]).toEqual([
      "WriteFailed",
      `${dir}#A`,
      "the fleet store is closed",
    ]);
  });

  it("a data file refused before the open names what is wrong after a fixed phrase", async () => {
    writeFileSync(join(dir, "data.mdb"), "abc");
    const e = failure(
      await Effect.runPromiseExit(Effect.scoped(makeLmdbFleetStore({ path: dir }))),
    );
    expect([e.reason, e.path]).toEqual(["Corrupt", dir]);
    expect(e.detail).toMatch(/^left as it is, not opened: .*too short \(3 bytes\)/);
  });

  it("an open that lmdb-js refuses gives its message after a fixed phrase, not an Error's name", async () => {
    const path = join(dir, "file");
    writeFileSync(path, "x");
    const e = failure(await Effect.runPromiseExit(Effect.scoped(makeLmdbFleetStore({ path }))));
    expect(e.reason).toBe("ReadFailed");
    expect(e.detail.startsWith("cannot open the LMDB environment: ")).toBe(true);
    expect(e.detail).not.toMatch(/^cannot open the LMDB environment: \w*Error:/);
  });
});
