/**
 * A finalizer of the current scope, for what a session's connection releases when it closes
 * (its HTTP client, a log line, a fleet's counters and slots).
 * @module
 */
import { Effect, Scope } from "effect";

/**
 * Runs `finalizer` when the current scope closes, as `Effect.addFinalizer` does, but added to
 * the scope itself: `Effect.addFinalizer` also diffs the fiber's FiberRefs and patches them back
 * around the finalizer, which allocated Maps once per session for finalizers that read no
 * FiberRef (issue 11). For a finalizer that needs the fiber's FiberRefs (a log annotation, a
 * span), use `Effect.addFinalizer`.
 */
export const addScopeFinalizer = (
  finalizer: Effect.Effect<unknown>,
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.scopeWith((scope) => Scope.addFinalizer(scope, finalizer));
