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

/** The Clock Effect's default services hold: the wall clock and Node's own timers. */
const liveClock = Runtime.runSync(Runtime.defaultRuntime)(Effect.clock);

/**
 * Whether `clock` is Effect's live clock (not a `TestClock` or another replacement): code on a
 * hot path may then use Node's timers directly instead of a fiber per timer, and stays on
 * `clock` otherwise so that virtual time still drives it.
 */
export const isLiveClock = (clock: Clock.Clock): boolean => clock === liveClock;

/**
 * A clock whose timers are fibers sleeping on `runtime`'s Clock. Clearing a timer interrupts
 * its fiber. `now` reads the same clock (epoch ms).
 *
 * When `runtime` keeps Effect's live clock (every real device), the timers are Node's own: a
 * fiber per timer would only wrap `setTimeout` in machinery, and the session machine sets and
 * clears its SessionTimeout in every session. A `TestClock` (virtual time) gets fibers.
 */
export const makeEffectClock = <R>(
  runtime: Runtime.Runtime<R>,
): XStateClock & { readonly now: () => number } => {
  if (isLiveClock(Runtime.runSync(runtime)(Effect.clock)))
    return {
      setTimeout: (fn, timeout) => setTimeout(fn, Math.max(0, timeout)),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
      now: () => Date.now(),
    };
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
