/**
 * One timer for the value-change polls of many agents in one process (a fleet, issue 11): an
 * agent registers its poll here instead of keeping a fiber asleep between polls, and ONE fiber
 * wakes when the next poll is due and runs with it every poll due within a short slack after
 * it (so a fleet of thousands wakes about once a second, not once per device). Runs on Effect's
 * `Clock`, so a virtual clock drives it. Without the service an agent keeps its own loop
 * (`pollValueChanges`).
 * @module
 */
import { Cause, Clock, Context, Deferred, Effect, Exit, Runtime, type Scope } from "effect";

/** Registers agents' value-change polls with a shared timer. */
export interface ValueChangePollsService {
  /**
   * Runs `poll` at once (the first poll sets the baselines), then every `intervalSeconds`,
   * until the scope closes. A poll runs in place when it does not suspend; one that does goes
   * on in a fiber of its own, and the same agent's next poll is skipped while it runs.
   */
  readonly register: (
    intervalSeconds: number,
    poll: Effect.Effect<void>,
  ) => Effect.Effect<void, never, Scope.Scope>;
}

/** The shared value-change poll timer; `makeAgent` uses it when provided. */
export class ValueChangePolls extends Context.Tag("@cpekit/core/ValueChangePolls")<
  ValueChangePolls,
  ValueChangePollsService
>() {}

/** One registered poll. */
interface PollEntry {
  /** When the next poll is due (epoch ms, from `Clock`). */
  dueAt: number;
  readonly intervalMs: number;
  /** How early a poll may run to share a wake-up with others: the batch, at most 1/10 of the interval. */
  readonly slackMs: number;
  readonly poll: Effect.Effect<void>;
  /** A poll that suspended is still running. */
  running: boolean;
}

/** Options of {@link makeValueChangePolls}. */
export interface ValueChangePollsOptions {
  /** Polls due within this many ms of the first one run with it. Default 1,000. */
  readonly batchMs?: number;
}

/**
 * The time of an entry's next poll after one run at `now`: whole intervals after the last due
 * time, past `now + slack`, so a clock that jumped ahead polls once, not once per missed
 * interval, and the phase is kept.
 */
export const nextPollDueAt = (
  entry: Pick<PollEntry, "dueAt" | "intervalMs" | "slackMs">,
  now: number,
): number =>
  entry.dueAt +
  Math.max(1, Math.floor((now + entry.slackMs - entry.dueAt) / entry.intervalMs) + 1) *
    entry.intervalMs;

/** Makes the shared timer; its fiber lives as long as the scope. */
export const makeValueChangePolls = (
  options: ValueChangePollsOptions = {},
): Effect.Effect<ValueChangePollsService, never, Scope.Scope> =>
  Effect.gen(function* () {
    const batchMs = options.batchMs ?? 1_000;
    const runSyncExit = Runtime.runSyncExit(yield* Effect.runtime<never>());
    const entries = new Set<PollEntry>();
    // What the timer fiber waits for: a registration due earlier than its wake-up completes it.
    let wakeAt = Number.POSITIVE_INFINITY;
    let wake = yield* Deferred.make<void>();

    const runOne = (entry: PollEntry): void => {
      if (entry.running) return;
      const exit = runSyncExit(entry.poll);
      if (Exit.isSuccess(exit)) return;
      const pending = Cause.squash(exit.cause);
      if (!Runtime.isAsyncFiberException(pending)) return;
      entry.running = true;
      pending.fiber.addObserver(() => {
        entry.running = false;
      });
    };

    const timer = Effect.gen(function* () {
      for (;;) {
        // Made before the scan: a registration from now on completes this one, not an old one.
        wake = yield* Deferred.make<void>();
        const now = yield* Clock.currentTimeMillis;
        let next = Number.POSITIVE_INFINITY;
        for (const entry of entries) {
          if (entry.dueAt - entry.slackMs <= now) {
            entry.dueAt = nextPollDueAt(entry, now);
            runOne(entry);
          }
          next = Math.min(next, entry.dueAt);
        }
        wakeAt = next;
        yield* Number.isFinite(next)
          ? Effect.raceFirst(Effect.sleep(next - now), Deferred.await(wake))
          : Deferred.await(wake);
      }
    });
    yield* Effect.forkScoped(timer);

    return {
      register: (intervalSeconds, poll) =>
        Effect.gen(function* () {
          const intervalMs = intervalSeconds * 1_000;
          const now = yield* Clock.currentTimeMillis;
          const entry: PollEntry = {
            dueAt: now + intervalMs,
            intervalMs,
            slackMs: Math.min(batchMs, intervalMs / 10),
            poll,
            running: false,
          };
          runOne(entry);
          yield* Effect.acquireRelease(
            Effect.sync(() => entries.add(entry)),
            () => Effect.sync(() => entries.delete(entry)),
          );
          if (entry.dueAt < wakeAt) yield* Deferred.succeed(wake, undefined);
        }),
    };
  });
