/**
 * What a running fleet counts: devices started, sessions ended (succeeded or failed, failures by
 * reason), sessions open, and session times (p50/p99 over the most recent sessions). Plain
 * counters updated from the agents' callbacks; readers take a {@link FleetSnapshot}.
 * @module
 */

/** A reading of the fleet's counters. */
export interface FleetSnapshot {
  /** Devices of this fleet (its shard). */
  readonly devices: number;
  /** Devices whose agent runs now (booted and not stopped for good). */
  readonly online: number;
  /** Agent starts (a reboot counts again). */
  readonly starts: number;
  readonly sessionsSucceeded: number;
  readonly sessionsFailed: number;
  /** Failed sessions by reason: the transport's (`ConnectFailed`, `HttpStatus 503`, ...) or `Session`. */
  readonly failures: Readonly<Record<string, number>>;
  readonly openSessions: number;
  /** Median session time (ms) over the recent sessions; undefined before the first one. */
  readonly sessionP50Ms: number | undefined;
  readonly sessionP99Ms: number | undefined;
}

const WINDOW = 4096;

/** Nearest-rank quantile of sorted values. */
const quantile = (sorted: readonly number[], q: number): number | undefined =>
  sorted.length === 0
    ? undefined
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];

/** The fleet's counters (one instance per fleet). */
export class FleetStats {
  private online = 0;
  private starts = 0;
  private succeeded = 0;
  private failed = 0;
  private open = 0;
  private opened = 0;
  private readonly failures = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private readonly times = new Float64Array(WINDOW);
  private recorded = 0;

  constructor(private readonly devices: number) {}

  /** Sessions open now. */
  get openSessions(): number {
    return this.open;
  }

  /** Grows with every session opened or ended (a cheap sign that something happened). */
  get activity(): number {
    return this.succeeded + this.failed + this.opened;
  }

  /** An agent started. */
  deviceStarted(): void {
    this.online++;
    this.starts++;
  }

  /** An agent stopped (for a restart, or for good). */
  deviceStopped(): void {
    this.online--;
  }

  sessionOpened(): void {
    this.open++;
    this.opened++;
  }

  sessionClosed(): void {
    this.open--;
    if (this.open === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when no session is open (at once when none is). */
  whenNoSessionOpen(): Promise<void> {
    return this.open === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A session ended; `failure` names why when it failed. */
  sessionEnded(durationMs: number, failure?: string): void {
    if (failure === undefined) this.succeeded++;
    else {
      this.failed++;
      this.failures.set(failure, (this.failures.get(failure) ?? 0) + 1);
    }
    this.times[this.recorded % WINDOW] = durationMs;
    this.recorded++;
  }

  /** The counters now. */
  snapshot(): FleetSnapshot {
    const sorted = Array.from(this.times.subarray(0, Math.min(this.recorded, WINDOW))).sort(
      (a, b) => a - b,
    );
    return {
      devices: this.devices,
      online: this.online,
      starts: this.starts,
      sessionsSucceeded: this.succeeded,
      sessionsFailed: this.failed,
      failures: Object.fromEntries(this.failures),
      openSessions: this.open,
      sessionP50Ms: quantile(sorted, 0.5),
      sessionP99Ms: quantile(sorted, 0.99),
    };
  }
}
