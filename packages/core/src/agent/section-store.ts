/**
 * One device's store shared by several owners of sections (`"datamodel"`, `"events"`,
 * `"transfers"`): every write is a read-merge-save under one lock, so two owners never
 * overwrite each other's section with a stale copy, and one save can change several sections
 * at once (a transfer's completion moves it from `"transfers"` to `"events"` atomically).
 * @module
 */
import { Effect, Option, Ref } from "effect";
import type { JsonValue, StoreDocument, StoreError, StoreService } from "../ports/store.js";

/** Section-level access to one device's store. */
export interface SectionStore {
  /** The stored value of `section`, `None` when absent. */
  readonly read: (section: string) => Effect.Effect<Option.Option<JsonValue>, StoreError>;
  /** Replaces the given sections in one atomic save, keeping the others. */
  readonly write: (
    sections: Readonly<Record<string, JsonValue>>,
  ) => Effect.Effect<void, StoreError>;
  /** Removes the given sections in one atomic save (a factory reset forgets the device's state). */
  readonly remove: (sections: readonly string[]) => Effect.Effect<void, StoreError>;
  /**
   * A `Store` for a subsystem that owns `section` and saves whole documents (the data model):
   * its saves change only `section`, merged under the shared lock.
   */
  readonly view: (section: string) => StoreService;
}

/**
 * Wraps `store` for shared use by the subsystems of one device. Every write of the device goes
 * through the returned value, so the document is loaded once and then kept in memory: a save
 * merges into that copy instead of reading the store again (a file store would read the file
 * on every write otherwise). The copy changes only after a successful save.
 */
export const makeSectionStore = (store: StoreService): Effect.Effect<SectionStore> =>
  Effect.gen(function* () {
    const lock = yield* Effect.makeSemaphore(1);
    /** The document as last loaded or saved; `None` until the first load. */
    const cache = yield* Ref.make<Option.Option<StoreDocument>>(Option.none());
    const document: Effect.Effect<StoreDocument, StoreError> = Effect.flatMap(
      Ref.get(cache),
      Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          Effect.flatMap(store.load, (loaded) => {
            const doc = Option.getOrElse(loaded, (): StoreDocument => ({}));
            return Effect.as(Ref.set(cache, Option.some(doc)), doc);
          }),
      }),
    );
    const replace = (f: (doc: StoreDocument) => StoreDocument) =>
      lock.withPermits(1)(
        Effect.flatMap(document, (doc) => {
          const next = f(doc);
          return Effect.zipRight(store.save(next), Ref.set(cache, Option.some(next)));
        }),
      );
    const write = (sections: Readonly<Record<string, JsonValue>>) =>
      replace((doc) => ({ ...doc, ...sections }));
    return {
      read: (section) => Effect.map(document, (d) => Option.fromNullable(d[section])),
      write,
      remove: (sections) =>
        replace((doc) =>
          Object.fromEntries(Object.entries(doc).filter(([k]) => !sections.includes(k))),
        ),
      view: (section) => ({
        // `None` only when the device has never saved anything, as the store itself would say.
        load: Effect.map(document, (d) =>
          Object.keys(d).length === 0 ? Option.none() : Option.some(d),
        ),
        save: (doc) => {
          const value = doc[section];
          return value === undefined ? Effect.void : write({ [section]: value });
        },
      }),
    };
  });
