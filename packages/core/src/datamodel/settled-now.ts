/**
 * Continuing an effect in place when it has already settled. `Effect.succeed` and
 * `Effect.fail` are `Exit`s: their outcome can be read without running them. The data model's
 * reads mostly settle so (stored values, names resolved from the schema and the cached
 * instance lists), and chaining them with `Effect.flatMap` would cost a fiber's steps per link
 * on every read the agent makes in a session (issue 11). These chain them directly, and fall
 * back to `Effect.flatMap`/`Effect.map` for an effect with work to do (a provider, a table to
 * read).
 * @module
 */
import { Effect, Exit } from "effect";

/** `effect` as its `Exit` when it already is one; undefined when it has work to do. */
export const settledNow = <A, E, R>(effect: Effect.Effect<A, E, R>): Exit.Exit<A, E> | undefined =>
  Exit.isExit(effect) ? (effect as Exit.Exit<A, E>) : undefined;

/** `Effect.flatMap(effect, f)`, with `f` called at once when `effect` has settled. */
export const flatMapNow = <A, E, B, E2, R, R2>(
  effect: Effect.Effect<A, E, R>,
  f: (a: A) => Effect.Effect<B, E2, R2>,
): Effect.Effect<B, E | E2, R | R2> => {
  const settled = settledNow(effect);
  if (settled === undefined) return Effect.flatMap(effect, f);
  return Exit.isSuccess(settled) ? f(settled.value) : Effect.failCause(settled.cause);
};

/** `Effect.map(effect, f)`, with `f` called at once when `effect` has settled. */
export const mapNow = <A, E, B, R>(
  effect: Effect.Effect<A, E, R>,
  f: (a: A) => B,
): Effect.Effect<B, E, R> => {
  const settled = settledNow(effect);
  if (settled === undefined) return Effect.map(effect, f);
  return Exit.isSuccess(settled)
    ? Effect.succeed(f(settled.value))
    : Effect.failCause(settled.cause);
};

/**
 * `Effect.forEach(items, f)` in order, each `f(item)` taken in place while the ones before it
 * have settled; from the first with work to do on, the rest follow it with `Effect.flatMap`.
 * Like the reads it chains, `f` is called for the settled items when this is called.
 */
export const forEachNow = <A, B, E, R>(
  items: readonly A[],
  f: (item: A) => Effect.Effect<B, E, R>,
): Effect.Effect<B[], E, R> => {
  // `out` is this run's own array: a fresh one after each item with work to do.
  const from = (start: number, out: B[]): Effect.Effect<B[], E, R> => {
    for (let i = start; i < items.length; i++) {
      const effect = f(items[i] as A);
      const settled = settledNow(effect);
      if (settled === undefined) return Effect.flatMap(effect, (b) => from(i + 1, [...out, b]));
      if (Exit.isFailure(settled)) return Effect.failCause(settled.cause);
      out.push(settled.value);
    }
    return Effect.succeed(out);
  };
  return from(0, []);
};

/**
 * `Effect.orElseSucceed(effect, fallback)`, settled at once when `effect` has settled with a
 * value; a failure, settled or not, is recovered as `Effect.orElseSucceed` recovers it.
 */
export const orElseSucceedNow = <A, E, R, B>(
  effect: Effect.Effect<A, E, R>,
  fallback: () => B,
): Effect.Effect<A | B, never, R> => {
  const settled = settledNow(effect);
  return settled !== undefined && Exit.isSuccess(settled)
    ? Effect.succeed(settled.value)
    : Effect.orElseSucceed(effect, fallback);
};
