/**
 * A virtual `Clock` for Effect: time stands still until the driver advances it, and timers fire
 * in order of their instants. Run a fleet under it (`Effect.withClock(clock.clock)`) and a day of
 * periodic Informs takes as long as the sessions' own work, not a day.
 *
 * Effect's `TestClock` does the same for one test fiber, but wakes one sleeper per step and
 * waits for the test fiber's descendants only; a fleet's agents run on fibers forked from their
 * own runtimes, so this clock lets the caller say when the world is settled instead.
 * @module
 */
import { Clock, Duration, Effect } from "effect";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fire: () => void;
  cancelled: boolean;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of timers (cancelled ones are dropped when they reach the top). */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p] as Timer;
      if (!before(t, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = t;
  }

  peek(): Timer | undefined {
    while (this.items.length > 0 && (this.items[0] as Timer).cancelled) this.pop();
    return this.items[0];
  }

  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best = last;
        if (l < a.length && before(a[l] as Timer, best)) {
          m = l;
          best = a[l] as Timer;
        }
        if (r < a.length && before(a[r] as Timer, best)) m = r;
        if (m === i) break;
        a[i] = a[m] as Timer;
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

/** A clock whose time moves only when {@link VirtualClock.advanceTo} is called. */
export class VirtualClock {
  private nowMs: number;
  private seq = 0;
  private readonly timers = new TimerHeap();
  /** Timers set or fired so far: a settle check compares it across event-loop turns. */
  activity = 0;

  /** `startMs`: the epoch milliseconds the clock shows before it is advanced. */
  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  /** Epoch milliseconds now. */
  now(): number {
    return this.nowMs;
  }

  /** The instant of the earliest pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.at;
  }

  /** The Effect `Clock` reading this virtual time. */
  readonly clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => this.nowMs,
    currentTimeMillis: Effect.sync(() => this.nowMs),
    unsafeCurrentTimeNanos: () => BigInt(this.nowMs) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(this.nowMs) * 1_000_000n),
    // A zero sleep is a yield, not a timer: waiting for the driver would stall the sleeper.
    sleep: (duration: Duration.Duration) =>
      Duration.toMillis(duration) <= 0
        ? Effect.yieldNow()
        : Effect.async<void>((resume) => {
            const timer: Timer = {
              at: this.nowMs + Duration.toMillis(duration),
              seq: this.seq++,
              fire: () => resume(Effect.void),
              cancelled: false,
            };
            this.activity++;
            this.timers.push(timer);
            return Effect.sync(() => {
              timer.cancelled = true;
            });
          }),
  };

  /**
   * Moves time forward to `targetMs`, instant by instant: `settle` is awaited (it resolves once
   * what was started is done, e.g. every session ended), then at the next instant where timers
   * are due time is set to it and those timers fire, and so on. Timers set meanwhile
   * fire in their turn if they fall before `targetMs`. Returns the number of instants visited.
   */
  async advanceTo(targetMs: number, settle: () => Promise<void>): Promise<number> {
    let instants = 0;
    for (;;) {
      // What ran before (or at the previous instant) may still be setting timers.
      await settle();
      const next = this.timers.peek();
      if (next === undefined || next.at > targetMs) break;
      this.nowMs = Math.max(this.nowMs, next.at);
      while (this.timers.peek()?.at === next.at) {
        const t = this.timers.pop() as Timer;
        this.activity++;
        t.fire();
      }
      instants++;
    }
    this.nowMs = Math.max(this.nowMs, targetMs);
    return instants;
  }
}

/**
 * Resolves once the event loop has turned `rounds` times in a row without `activity()` changing
 * and with `busy()` false: what was started has run to completion or waits on a timer. A world
 * still busy but without activity for `stuckRounds` turns (a session waiting on virtual time,
 * which only the caller can advance) is given up on, so the caller's clock can move again.
 */
export const settleEventLoop = async (
  activity: () => number,
  busy: () => boolean,
  rounds = 3,
  stuckRounds = 20_000,
): Promise<void> => {
  let quiet = 0;
  let last = activity();
  while (quiet < stuckRounds && (quiet < rounds || busy())) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const now = activity();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
};
