/**
 * An in-memory {@link ParameterProvider} for tests: values in a Map, a log of every call, a
 * switch to fail the n-th `set`, and a push channel for value changes.
 * @module
 */
import { Effect, Queue, Stream } from "effect";
import {
  type ParameterChange,
  type ParameterProvider,
  ProviderError,
} from "../../ports/parameter-provider.js";

/** A memory provider plus what a test needs to drive and observe it. */
export interface MemoryProvider extends ParameterProvider {
  /** Current values by instance path. */
  readonly values: Map<string, string>;
  /** Instance numbers by table path. */
  readonly tables: Map<string, number[]>;
  /** Every call made, in order. */
  readonly calls: { readonly method: string; readonly paths: readonly string[] }[];
  /** Number of `set` calls to let through before failing (undefined: never fail). */
  failSetAfter: number | undefined;
  /** Status returned by `set`. */
  setStatus: 0 | 1;
  /** Pushes changes into `changes` (and applies them to `values`). */
  readonly push: (changes: readonly ParameterChange[]) => Effect.Effect<void>;
}

/** Creates a memory provider serving `paths`. */
export const makeMemoryProvider = (
  name: string,
  paths: readonly string[],
  values: Readonly<Record<string, string>> = {},
  tables: Readonly<Record<string, readonly number[]>> = {},
): Effect.Effect<MemoryProvider> =>
  Effect.map(Queue.unbounded<readonly ParameterChange[]>(), (queue) => {
    const self: MemoryProvider = {
      name,
      paths,
      values: new Map(Object.entries(values)),
      tables: new Map(Object.entries(tables).map(([k, v]) => [k, [...v]])),
      calls: [],
      failSetAfter: undefined,
      setStatus: 0,
      get: (ps) =>
        Effect.sync(() => {
          self.calls.push({ method: "get", paths: ps });
          return new Map(ps.map((p) => [p, self.values.get(p) ?? ""]));
        }),
      set: (changes) =>
        Effect.suspend(() => {
          self.calls.push({ method: "set", paths: changes.map((c) => c.path) });
          if (self.failSetAfter !== undefined) {
            if (self.failSetAfter <= 0)
              return Effect.fail(
                new ProviderError({ reason: "Failed", provider: name, detail: "set refused" }),
              );
            self.failSetAfter--;
          }
          for (const c of changes) self.values.set(c.path, c.value);
          return Effect.succeed({ status: self.setStatus });
        }),
      instances: (table) =>
        Effect.sync(() => {
          self.calls.push({ method: "instances", paths: [table] });
          return self.tables.get(table) ?? [];
        }),
      changes: Stream.fromQueue(queue),
      push: (changes) =>
        Effect.suspend(() => {
          for (const c of changes) self.values.set(c.path, c.value);
          return Queue.offer(queue, changes);
        }),
    };
    return self;
  });
