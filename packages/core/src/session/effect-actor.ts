/**
 * The one adapter between the machines and Effect: an XState actor logic that runs an Effect
 * program. Stopping the actor (leaving the state that invoked it, a timeout, the session's end)
 * interrupts the program's fiber, so its finalizers run and no request is left behind.
 * @module
 */
import { Cause, type Effect, Exit, Runtime } from "effect";
import { fromPromise, type PromiseActorLogic } from "xstate";

/**
 * Actor logic for `run(input)`, run with `runtime` (its services, `Clock` included). The actor's
 * output is the program's value; its error is the program's typed failure (a defect is
 * passed as it is, an interruption as Effect's `InterruptedException`).
 */
export const fromEffect = <TOutput, TInput, E, R>(
  run: (input: TInput) => Effect.Effect<TOutput, E, R>,
  runtime: Runtime.Runtime<R>,
): PromiseActorLogic<TOutput, TInput> => fromEffectWith(run, () => runtime);

/**
 * Like {@link fromEffect}, with the runtime read from each actor's input: one actor logic then
 * serves every session, each running in its own runtime. A `run` or `runtimeOf` that throws
 * rejects the actor with what it threw.
 */
export const fromEffectWith = <TOutput, TInput, E, R>(
  run: (input: TInput) => Effect.Effect<TOutput, E, R>,
  runtimeOf: (input: TInput) => Runtime.Runtime<R>,
): PromiseActorLogic<TOutput, TInput> =>
  fromPromise<TOutput, TInput>(async ({ input, signal }) =>
    runForActor(runtimeOf(input), run(input), signal),
  );

/**
 * Runs `effect` with `runtime` as a promise actor's body: resolves with its value, rejects with
 * its typed failure (a defect as it is, an interruption as Effect's `InterruptedException`);
 * `signal` (the actor's, aborted when it stops) interrupts the fiber.
 */
export const runForActor = async <A, E, R>(
  runtime: Runtime.Runtime<R>,
  effect: Effect.Effect<A, E, R>,
  signal: AbortSignal,
): Promise<A> => {
  const exit = await Runtime.runPromiseExit(runtime)(effect, { signal });
  if (Exit.isSuccess(exit)) return exit.value;
  throw Cause.squash(exit.cause);
};
