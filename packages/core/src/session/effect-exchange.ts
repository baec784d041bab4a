/**
 * The session's exchange over Effect services: each POST and each RPC runs as one fiber in the
 * session's runtime, forked and observed directly (no promise, no abort signal). A program that
 * does not suspend (an RPC handler on an in-memory data model) completes within the call and
 * reports at once. `interrupt` stops what is still running when the session ends.
 * @module
 */
import { Cause, Effect, Exit, Fiber, Runtime } from "effect";
import { postEnvelope } from "./post-envelope.js";
import type { SessionDeps } from "./session-deps.js";
import type { ExchangeSettle, SessionExchange } from "./session-exchange.js";

/** A {@link SessionExchange} for one session, and how to stop its running exchange. */
export interface EffectExchange extends SessionExchange {
  /** Interrupts the exchange still running (the session ended while it waited); waits for it. */
  readonly interrupt: Effect.Effect<void>;
}

/** Runs the session's exchanges with `deps` (its connection, codec, registry and runtime). */
export const makeEffectExchange = (deps: SessionDeps): EffectExchange => {
  const fork = Runtime.runFork(deps.runtime);
  // One exchange at a time: the machine starts the next only after the last one's result.
  let running: Fiber.RuntimeFiber<unknown, unknown> | undefined;
  const run = <A, E>(program: Effect.Effect<A, E>, settle: ExchangeSettle<A>): void => {
    const fiber = fork(program);
    running = fiber;
    fiber.addObserver((exit) => {
      if (running === fiber) running = undefined;
      if (Exit.isSuccess(exit)) settle.done(exit.value);
      else settle.fail(Cause.squash(exit.cause));
    });
  };
  return {
    post: (input, settle) => run(postEnvelope(deps.connection, deps.codec, input.envelope), settle),
    handleRpc: (input, settle) =>
      run(
        deps.registry.dispatch(input.request, {
          dataModel: deps.dataModel,
          ...(deps.deviceActions === undefined ? {} : { deviceActions: deps.deviceActions }),
          session: { version: input.version, header: input.header },
        }),
        settle,
      ),
    interrupt: Effect.suspend(() =>
      running === undefined ? Effect.void : Fiber.interrupt(running),
    ),
  };
};
