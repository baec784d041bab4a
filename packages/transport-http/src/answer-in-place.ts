/**
 * Answering a connection request without a fiber when its checks need none (issue 11).
 * @module
 */
import { Cause, Effect, Exit, Fiber, FiberSet, Runtime, type Scope } from "effect";

/**
 * Runs an answer's effect: in place when it completes synchronously (the usual case: the
 * credential checks are plain calls), else in a fiber of the scope's set, when a provider
 * reads the credentials asynchronously. `respond` gets the answer; `drop` is called when the
 * effect fails or dies, so the caller can close the socket rather than leave it hanging.
 */
export type AnswerInPlace = <A>(
  answer: Effect.Effect<A>,
  respond: (a: A) => void,
  drop: () => void,
) => void;

/** Makes an {@link AnswerInPlace} whose fibers are interrupted when the scope closes. */
export const makeAnswerInPlace: Effect.Effect<AnswerInPlace, never, Scope.Scope> = Effect.gen(
  function* () {
    const runFork = yield* FiberSet.makeRuntime<never>();
    const runSyncExit = Runtime.runSyncExit(yield* Effect.runtime<never>());
    return (answer, respond, drop) => {
      const answered = runSyncExit(answer);
      if (Exit.isSuccess(answered)) return respond(answered.value);
      const pending = Cause.squash(answered.cause);
      if (!Runtime.isAsyncFiberException(pending)) return drop();
      runFork(
        Effect.matchCause(Fiber.join(pending.fiber), {
          onSuccess: (a) => respond(a as never),
          onFailure: () => drop(),
        }),
      );
    };
  },
);
