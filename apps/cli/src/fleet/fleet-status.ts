/**
 * The fleet's status line (rewritten in place on a terminal, about once a second) and its
 * summary at exit, from two readings of the counters and of the process's CPU time.
 * @module
 */
import type { FleetSnapshot } from "@cpekit/fleet";

/** One reading: the counters, the wall clock (ms) and the process's CPU time (µs). */
export interface FleetReading {
  readonly snapshot: FleetSnapshot;
  readonly atMs: number;
  readonly cpuMicros: number;
}

/** Rates between two readings. */
export interface FleetRates {
  readonly sessionsPerSecond: number;
  /** Share of one core used by the process (1 = one core busy). */
  readonly cpuCores: number;
}

/** Sessions per second and CPU share between `before` and `after`. */
export const ratesBetween = (before: FleetReading, after: FleetReading): FleetRates => {
  const seconds = Math.max(0.001, (after.atMs - before.atMs) / 1000);
  const ended = (s: FleetSnapshot) => s.sessionsSucceeded + s.sessionsFailed;
  return {
    sessionsPerSecond: (ended(after.snapshot) - ended(before.snapshot)) / seconds,
    cpuCores: (after.cpuMicros - before.cpuMicros) / 1e6 / seconds,
  };
};

const ms = (v: number | undefined) => (v === undefined ? "-" : `${Math.round(v)} ms`);

/** `reason n, reason n` by count, or `none`. */
export const failureList = (failures: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(failures).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? "none" : entries.map(([r, n]) => `${r} ${n}`).join(", ");
};

/** The status line. */
export const statusLine = (s: FleetSnapshot, rates: FleetRates): string =>
  [
    `online ${s.online}/${s.devices}`,
    `sessions ${rates.sessionsPerSecond.toFixed(1)}/s`,
    `open ${s.openSessions}`,
    `failures: ${failureList(s.failures)}`,
    `session p50 ${ms(s.sessionP50Ms)} p99 ${ms(s.sessionP99Ms)}`,
    `CPU ${Math.round(rates.cpuCores * 100)}%`,
  ].join(" | ");

/** The summary printed at exit, one fact per line. */
export const summaryLines = (first: FleetReading, last: FleetReading): readonly string[] => {
  const s = last.snapshot;
  const rates = ratesBetween(first, last);
  const ended = s.sessionsSucceeded + s.sessionsFailed;
  const cpuMs = (last.cpuMicros - first.cpuMicros) / 1000;
  return [
    `fleet summary: ${s.devices} devices, ${s.starts} agent starts, ran ${((last.atMs - first.atMs) / 1000).toFixed(1)} s`,
    `  sessions: ${s.sessionsSucceeded} succeeded, ${s.sessionsFailed} failed (${rates.sessionsPerSecond.toFixed(1)}/s)`,
    `  failures: ${failureList(s.failures)}`,
    `  session time: p50 ${ms(s.sessionP50Ms)}, p99 ${ms(s.sessionP99Ms)}`,
    `  CPU: ${(cpuMs / 1000).toFixed(1)} s (${Math.round(rates.cpuCores * 100)}% of one core)${ended > 0 ? `, ${(cpuMs / ended).toFixed(2)} ms per session` : ""}`,
  ];
};
