/**
 * The `Store` port for a fleet: every device's document in one LMDB environment (the `lmdb`
 * package, whose native binary ships inside its npm packages).
 *
 * Each section of a device's document is its own entry, next to a manifest listing the
 * document's sections (key layout: `internal/fleet-store-keys.ts`). A save runs as one child
 * transaction that writes only the sections whose JSON text changed, removes the sections the
 * document no longer has and rewrites the manifest only when the list of sections changed; a
 * failure inside it (a key too long for LMDB) aborts all of it. LMDB commits are atomic, so
 * after a crash at any instant a device's document is the previous or the new one, never a mix.
 *
 * Saves are batched: every save started in the same event-loop turn, of any device, joins one
 * LMDB transaction, committed and synced (fsync) once on lmdb-js's write thread, and saves
 * queued while a commit syncs join the next one; each save resolves only when the commit that
 * holds it is on disk (`overlappingSync` is off, so "committed" means "synced"). Many devices
 * saving at once share fsyncs instead of paying one each.
 *
 * A data file that lmdb-js would crash the process on (not LMDB, truncated) fails the open with
 * `Corrupt` before it is mapped (`internal/lmdb-data-file.ts`), and is left as it is.
 *
 * A device whose entries do not make up a document (a section that is not JSON, a manifest that
 * does not list exactly the stored sections) is corrupt: the load fails with `StoreError` reason
 * `Corrupt` and the device's entries move, bytes unchanged, to the environment's `quarantine`
 * database under a time stamp, so that nothing is lost and the device can start afresh, as the
 * JSON file store keeps a corrupt file aside.
 * @module
 */

import { join } from "node:path";
import { type StoreDocument, StoreError, type StoreService } from "@cpekit/core";
import { Clock, Effect, Option, type Scope } from "effect";
import type { Database, RootDatabase } from "lmdb";
import { escapeControl } from "./internal/escape-control.js";
import { planSave } from "./internal/fleet-save-plan.js";
import {
  devicePrefix,
  deviceRange,
  manifestKey,
  sectionKey,
  sectionOf,
  sectionRange,
} from "./internal/fleet-store-keys.js";
import { dataFileProblem } from "./internal/lmdb-data-file.js";

/** Where and how to open the fleet store. */
export interface LmdbFleetStoreOptions {
  /** Directory of the LMDB environment (`data.mdb`, `lock.mdb`); created with its parents if missing. */
  readonly path: string;
}

/** One LMDB environment holding the documents of many devices. */
export interface LmdbFleetStore {
  /** The environment's directory. */
  readonly path: string;
  /**
   * The `Store` of one device, for `Layer.succeed(Store, fleet.storeFor(key))`. It holds no
   * state of its own (calls with the same key are interchangeable), so a fleet pays no memory
   * per device for it. Saves of one device apply in the order they are started.
   */
  readonly storeFor: (deviceKey: string) => StoreService;
  /**
   * Closes the environment after its pending saves commit; later loads and saves fail with
   * `StoreError`. Idempotent; the scope that opened the store also closes it.
   */
  readonly close: Effect.Effect<void>;
}

type Bytes = Database<Buffer, Buffer>;

/** `20261127T210501123Z`: sortable, as the JSON file store names its corrupt files. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, "");

const describe = (cause: unknown): string =>
  escapeControl(cause instanceof Error ? cause.message : String(cause));

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");

/** Why the entries of one device do not make up a document, or the document they make up. */
const decode = (
  db: Bytes,
  prefix: Buffer,
): { readonly document: StoreDocument | undefined } | { readonly corrupt: string } => {
  const manifestBytes = db.getBinary(manifestKey(prefix));
  const sections = new Map<string, string>();
  for (const { key, value } of db.getRange(sectionRange(prefix))) {
    const name = sectionOf(prefix, key);
    if (name === undefined) return { corrupt: "a section key does not decode" };
    sections.set(name, value.toString("utf8"));
  }
  if (manifestBytes === undefined)
    return sections.size === 0
      ? { document: undefined }
      : { corrupt: `${sections.size} section(s) stored without a manifest` };
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8"));
  } catch {
    return { corrupt: "the manifest is not JSON" };
  }
  if (!isStringArray(manifest)) return { corrupt: "the manifest is not an array of section names" };
  if (new Set(manifest).size !== manifest.length)
    return { corrupt: "the manifest lists a section twice" };
  const entries: Array<[string, unknown]> = [];
  for (const name of manifest) {
    const text = sections.get(name);
    if (text === undefined) return { corrupt: `section ${JSON.stringify(name)} is missing` };
    try {
      entries.push([name, JSON.parse(text)]);
    } catch {
      return { corrupt: `section ${JSON.stringify(name)} is not JSON` };
    }
  }
  const extra = [...sections.keys()].find((name) => !manifest.includes(name));
  if (extra !== undefined)
    return { corrupt: `section ${JSON.stringify(extra)} is not in the manifest` };
  // fromEntries defines each key, as JSON.parse does: a section named `__proto__` stays a key.
  return { document: Object.fromEntries(entries) as StoreDocument };
};

/**
 * Opens the fleet store at `options.path`; the scope closes it. Fails with `StoreError`
 * (`Corrupt` when the directory holds a file that is not an LMDB environment, `ReadFailed` when
 * it cannot be opened at all) without writing to what it found.
 */
export const makeLmdbFleetStore = (
  options: LmdbFleetStoreOptions,
): Effect.Effect<LmdbFleetStore, StoreError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const problem = dataFileProblem(join(options.path, "data.mdb"));
      return problem === undefined
        ? openEnvironment(options.path)
        : Effect.fail(
            new StoreError({
              reason: "Corrupt",
              path: escapeControl(options.path),
              detail: `left as it is, not opened: ${escapeControl(problem)}`,
            }),
          );
    }),
    (store) => store.close,
  );

const openEnvironment = (path: string): Effect.Effect<LmdbFleetStore, StoreError> =>
  Effect.tryPromise({
    try: async () => {
      // Loaded on first use: its native module costs about 12 MB of RSS, which a process that
      // imports this package for its other ports (`cpekit run`) should not pay.
      const { open } = await import("lmdb");
      const env: RootDatabase = open({
        path,
        // A directory, whatever its name looks like (lmdb-js reads an extension as a file).
        noSubdir: false,
        // Off: a commit is then synced before its promise resolves, which is what an
        // acknowledged save promises. On, it resolves at commit and syncs later.
        overlappingSync: false,
      });
      const named = (name: string): Bytes =>
        env.openDB<Buffer, Buffer>({ name, encoding: "binary", keyEncoding: "binary" });
      return fleetStore(path, env, named("sections"), named("quarantine"));
    },
    catch: (cause) => {
      const detail = describe(cause);
      return new StoreError({
        reason: /MDB_INVALID|MDB_VERSION_MISMATCH/.test(detail) ? "Corrupt" : "ReadFailed",
        path: escapeControl(path),
        detail: `cannot open the LMDB environment: ${detail}`,
        cause,
      });
    },
  });

const fleetStore = (
  root: string,
  env: RootDatabase,
  db: Bytes,
  quarantine: Bytes,
): LmdbFleetStore => {
  let closing: Promise<void> | undefined;
  const close = Effect.promise(() => {
    closing ??= env.close();
    return closing;
  }).pipe(Effect.ignore);
  // Quarantine keys of the same device and millisecond stay apart by this counter.
  let quarantined = 0;

  const storeFor = (deviceKey: string): StoreService => {
    const path = `${escapeControl(root)}#${escapeControl(deviceKey)}`;
    const prefix = devicePrefix(deviceKey);
    const fail = (reason: StoreError["reason"], detail: string, cause?: unknown) =>
      new StoreError({ reason, path, detail: escapeControl(detail), cause });

    const moveAside = (why: string) =>
      Effect.gen(function* () {
        const tag = `${stamp(yield* Clock.currentTimeMillis)}-${quarantined++}`;
        const moved = yield* Effect.tryPromise(() =>
          db.childTransaction(() => {
            const tagged = Buffer.concat([prefix, Buffer.of(0), Buffer.from(tag), Buffer.of(0)]);
            const entries = [...db.getRange(deviceRange(prefix))].map(({ key, value }) => ({
              key: Buffer.from(key),
              value: Buffer.from(value),
            }));
            for (const { key, value } of entries) {
              quarantine.put(Buffer.concat([tagged, key.subarray(prefix.length)]), value);
              db.remove(key);
            }
          }),
        ).pipe(
          Effect.as(`its entries are kept in the quarantine database under ${tag}`),
          Effect.catchAll((e) =>
            Effect.succeed(`its entries could not be moved aside: ${describe(e.error)}`),
          ),
        );
        return yield* fail("Corrupt", `${why}; ${moved}`);
      });

    // lmdb-js throws out of band (from a timer) on a write queued after close, so none is queued.
    const whenOpen = (reason: StoreError["reason"]) =>
      Effect.suspend(() =>
        closing === undefined
          ? Effect.void
          : Effect.fail(fail(reason, "the fleet store is closed")),
      );

    const load = Effect.zipRight(
      whenOpen("ReadFailed"),
      Effect.flatMap(
        Effect.try({
          try: () => decode(db, prefix),
          catch: (cause) => fail("ReadFailed", describe(cause), cause),
        }),
        (r) =>
          "corrupt" in r ? moveAside(r.corrupt) : Effect.succeed(Option.fromNullable(r.document)),
      ),
    );

    const save = (document: StoreDocument) =>
      Effect.zipRight(
        whenOpen("WriteFailed"),
        Effect.tryPromise({
          try: () => {
            // Encoded before the transaction, so that the write lock is held only for the writes.
            const names: string[] = [];
            const entries: [Buffer, Buffer][] = [];
            for (const [name, value] of Object.entries(document)) {
              const text = JSON.stringify(value) as string | undefined;
              // As `JSON.stringify(document)` does, a section whose value has no JSON is left out.
              if (text === undefined) continue;
              names.push(name);
              entries.push([sectionKey(prefix, name), Buffer.from(text, "utf8")]);
            }
            const manifest = [
              manifestKey(prefix),
              Buffer.from(JSON.stringify(names), "utf8"),
            ] as const;
            return db.childTransaction(() => {
              // Read inside the transaction: it sees the earlier saves of the same batch. Not
              // `getBinaryFast`: inside a transaction it returns wrong bytes for large values.
              const storedSections = [...db.getKeys(sectionRange(prefix))].map((k) =>
                Buffer.from(k),
              );
              const plan = planSave(entries, manifest, (k) => db.getBinary(k), storedSections);
              for (const [key, value] of plan.puts) db.put(key, value);
              for (const key of plan.removes) db.remove(key);
            });
          },
          catch: (cause) => fail("WriteFailed", describe(cause), cause),
        }),
      ).pipe(Effect.asVoid);

    return { load, save };
  };

  return { path: root, storeFor, close };
};
