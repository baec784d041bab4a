/**
 * The `Store` port on disk: one JSON file per device.
 *
 * A save writes a temp file in the same directory, fsyncs it, renames it over the file and
 * fsyncs the directory, so after a crash at any instant the file holds the previous or the new
 * document, never a mix. A file that does not parse is corrupt: the load fails with
 * `StoreError` reason `Corrupt` and the file is moved aside to `<file>.corrupt-<timestamp>`
 * (its content is kept for inspection, never replaced by an empty state behind the caller's back).
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Store, type StoreDocument, StoreError, type StoreService } from "@cpekit/core";
import { Clock, Effect, Layer, Option } from "effect";
import { escapeControl } from "./internal/escape-control.js";

const errorCode = (e: unknown): string | undefined => (e as { code?: string } | undefined)?.code;

// What an unusable path is, in words: a directory, a file where a directory is needed, no
// permission. Such a store is not corrupt and must not be reported as if it were (issue 9).
const fsProblems: Readonly<Record<string, string>> = {
  EISDIR: "the path is a directory, not a file",
  ENOTDIR: "a component of the path is a file, not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "too many symbolic links in the path",
};

/** A file-system error in words, control characters escaped (it reaches terminals and logs). */
const describeFsError = (cause: unknown): string => {
  const code = errorCode(cause);
  const what = code === undefined ? undefined : fsProblems[code];
  return escapeControl(what === undefined ? String(cause) : `${what} (${code})`);
};

const isDocument = (v: unknown): v is StoreDocument =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `20261127T210501123Z`: sortable and safe in file names. */
const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:.]/g, "");

// The directory is created when the temp file cannot be opened for want of it (the first save),
// not before every save: one system call fewer on the hot path, same outcome.
const openTemp = async (dir: string, tmp: string) => {
  try {
    return await open(tmp, "w", 0o600);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
    await mkdir(dir, { recursive: true });
    return await open(tmp, "w", 0o600);
  }
};

const writeAtomically = async (path: string, tmpName: string, text: string): Promise<void> => {
  const dir = dirname(path);
  // Same directory, so the rename cannot cross file systems; a leftover temp file never
  // shadows the real one, since only `path` is ever read.
  const tmp = join(dir, tmpName);
  try {
    const file = await openTemp(dir, tmp);
    try {
      await file.writeFile(text, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  // Persist the rename itself; some platforms cannot open a directory for sync, which is fine.
  const d = await open(dir, "r").catch(() => undefined);
  if (d)
    await d
      .sync()
      .catch(() => {})
      .finally(() => d.close());
};

/** A store backed by the JSON file at `path` (created with its directory on first save). */
export const make = (path: string): Effect.Effect<StoreService> =>
  Effect.gen(function* () {
    // Saves are serialised so that a later save can never be overtaken by an earlier one.
    const lock = yield* Effect.makeSemaphore(1);
    // Temp file names: random per store (two stores never collide), then a counter.
    const tmpPrefix = `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`;
    let saves = 0;
    const shownPath = escapeControl(path);

    const moveAside = (detail: string) =>
      Effect.gen(function* () {
        const aside = `${path}.corrupt-${stamp(yield* Clock.currentTimeMillis)}`;
        const moved = yield* Effect.tryPromise(() => rename(path, aside)).pipe(
          Effect.as(`kept as ${aside}`),
          Effect.catchAll((e) =>
            Effect.succeed(`could not be moved aside: ${describeFsError(e.error)}`),
          ),
        );
        // The parser's message quotes the file's bytes: escaped, so none reaches a terminal raw.
        return yield* new StoreError({
          reason: "Corrupt",
          path: shownPath,
          detail: escapeControl(`${detail}; ${moved}`),
        });
      });

    const load = lock.withPermits(1)(
      Effect.gen(function* () {
        const text = yield* Effect.tryPromise({
          try: () =>
            readFile(path, "utf8").catch((e) =>
              errorCode(e) === "ENOENT" ? undefined : Promise.reject(e),
            ),
          catch: (cause) =>
            new StoreError({
              reason: "ReadFailed",
              path: shownPath,
              detail: `cannot read the store: ${describeFsError(cause)}`,
              cause,
            }),
        });
        if (text === undefined) return Option.none<StoreDocument>();
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          return yield* moveAside(`not JSON: ${(e as Error).message}`);
        }
        if (!isDocument(parsed)) return yield* moveAside("not a JSON object");
        return Option.some(parsed);
      }),
    );

    const save = (document: StoreDocument) =>
      lock.withPermits(1)(
        Effect.tryPromise({
          try: () => writeAtomically(path, `${tmpPrefix}-${saves++}`, JSON.stringify(document)),
          catch: (cause) =>
            new StoreError({
              reason: "WriteFailed",
              path: shownPath,
              detail: `cannot write the store: ${describeFsError(cause)}`,
              cause,
            }),
        }),
      );

    return { load, save };
  });

/** The `Store` layer for one device's JSON file. */
export const layer = (path: string): Layer.Layer<Store> => Layer.effect(Store, make(path));
