/**
 * One device's store shared by several owners of sections (`"datamodel"`, `"events"`,
 * `"transfers"`): every write is a read-merge-save under one lock, so two owners never
 * overwrite each other's section with a stale copy, and one save can change several sections
 * at once (a transfer's completion moves it from `"transfers"` to `"events"` atomically).
 * @module
 */
import { Effect, Option } from "effect";
import type { JsonValue, StoreError, StoreService } from "../ports/store.js";

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

/** Wraps `store` for shared use by the subsystems of one device. */
export const makeSectionStore = (store: StoreService): Effect.Effect<SectionStore> =>
  Effect.map(Effect.makeSemaphore(1), (lock) => {
    const write = (sections: Readonly<Record<string, JsonValue>>) =>
      lock.withPermits(1)(
        Effect.flatMap(store.load, (doc) =>
          store.save({ ...Option.getOrElse(doc, () => ({})), ...sections }),
        ),
      );
    return {
      read: (section) =>
        Effect.map(store.load, (doc) =>
          Option.flatMap(doc, (d) => Option.fromNullable(d[section])),
        ),
      write,
      remove: (sections) =>
        lock.withPermits(1)(
          Effect.flatMap(store.load, (doc) =>
            store.save(
              Object.fromEntries(
                Object.entries(Option.getOrElse(doc, () => ({}))).filter(
                  ([k]) => !sections.includes(k),
                ),
              ),
            ),
          ),
        ),
      view: (section) => ({
        load: store.load,
        save: (document) => {
          const value = document[section];
          return value === undefined ? Effect.void : write({ [section]: value });
        },
      }),
    };
  });
