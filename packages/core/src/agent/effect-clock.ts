/**
 * An XState clock running on Effect's `Clock`: the agent machine's delays then follow whatever
 * clock the Effect runtime has (the real one, or `TestClock` in tests and virtual-time fleets).
 * @module
 */
import { Clock, Effect, Fiber, Runtime } from "effect";

/** The clock interface of XState's `createActor(…, { clock })`. */
export interface XStateClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * A clock whose timers are fibers sleeping on `runtime`'s Clock. Clearing a timer interrupts
 * its fiber. `now` reads the same clock (epoch ms).
 */
export const makeEffectClock = <R>(
  runtime: Runtime.Runtime<R>,
): XStateClock & { readonly now: () => number } => {
  const fork = Runtime.runFork(runtime);
  return {
    setTimeout: (fn, timeout) =>
      fork(
        Effect.zipRight(
          Effect.sleep(Math.max(0, timeout)),
          Effect.sync(() => fn()),
        ),
      ),
    clearTimeout: (id) => {
      if (Fiber.isFiber(id)) fork(Fiber.interrupt(id));
    },
    now: () => Runtime.runSync(runtime)(Clock.currentTimeMillis),
  };
};
