/**
 * When an agent's queued transfers run: after each session (its end is a "kick") and when the
 * next one falls due. No fiber waits while nothing is queued (a fleet of thousands of idle
 * devices, issue 11): a kick starts a pass, and the pass lasts only while a transfer waits
 * for its time.
 * @module
 */
import { Cause, Clock, Effect, Exit, FiberSet, Runtime, type Scope } from "effect";

/** What a pass works on (the agent's transfer manager). */
export interface TransferPassesDeps {
  /** Runs the transfers due now; what completed (a failure counts as none). */
  readonly runDue: Effect.Effect<readonly unknown[], unknown>;
  /** When the next queued transfer falls due (epoch ms), if any. */
  readonly nextDueAt: Effect.Effect<number | undefined>;
  /** Transfers completed (their TransferComplete is queued): the agent wants a session. */
  readonly onDone: () => void;
}

/**
 * Makes the kick for the life of the scope (a pass still running when it closes is
 * interrupted). Each kick is followed by at least one `runDue` that starts after it.
 */
export const makeTransferPasses = (
  deps: TransferPassesDeps,
): Effect.Effect<() => void, never, Scope.Scope> =>
  Effect.gen(function* () {
    const passes = yield* FiberSet.make<unknown, unknown>();
    const runSyncExit = Runtime.runSyncExit(yield* Effect.runtime<never>());
    // In place when nothing is queued (the usual end of a session: no fiber, no scheduling);
    // a pass that waits goes on as a fiber of the set, interrupted when the scope closes.
    const start = () => {
      const exit = runSyncExit(pass);
      if (Exit.isSuccess(exit)) return;
      const pending = Cause.squash(exit.cause);
      if (Runtime.isAsyncFiberException(pending)) FiberSet.unsafeAdd(passes, pending.fiber);
      else running = false; // a defect: the next kick tries again
    };
    // Plain flags, read and written only between a pass's steps or in `kick`: one thread.
    let kicked = false;
    let running = false;
    let wake: (() => void) | undefined;

    const waitFor = (ms: number) =>
      Effect.raceFirst(
        Effect.sleep(ms),
        Effect.async<void>((resume) => {
          wake = () => {
            wake = undefined;
            resume(Effect.void);
          };
          return Effect.sync(() => {
            wake = undefined;
          });
        }),
      );

    const pass = Effect.gen(function* () {
      for (;;) {
        kicked = false;
        const done = yield* Effect.orElseSucceed(deps.runDue, () => []);
        if (done.length > 0) deps.onDone();
        const next = yield* deps.nextDueAt;
        if (kicked) continue;
        if (next === undefined) {
          // Decided in the same step as the check: a later kick starts a new pass.
          running = false;
          return;
        }
        const now = yield* Clock.currentTimeMillis;
        yield* waitFor(Math.max(0, next - now));
      }
    }).pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          running = false;
        }),
      ),
    );

    return () => {
      kicked = true;
      if (wake !== undefined) wake();
      else if (!running) {
        running = true;
        start();
      }
    };
  });
