/**
 * Periodic Inform timing (requirements section 1.10): `PeriodicInformEnable`,
 * `PeriodicInformInterval` and the phase set by `PeriodicInformTime`, plus ScheduleInform's
 * DelaySeconds.
 * @module
 */
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { RandomSource } from "./retry-policy.js";

/** The `ManagementServer.PeriodicInform*` values that drive the periodic Inform. */
export interface PeriodicInformSettings {
  readonly enable: boolean;
  /** `PeriodicInformInterval`, seconds (>= 1). */
  readonly intervalSeconds: number;
  /** `PeriodicInformTime` as written (xsd:dateTime); the Unknown Time means "CPE picks". */
  readonly time: string;
}

/** A resolved periodic schedule: instants `phaseMs + k * intervalMs` (epoch ms, any integer k). */
export interface PeriodicPhase {
  readonly phaseMs: number;
  readonly intervalMs: number;
}

/**
 * Resolves the phase. A known `PeriodicInformTime` (past or future) sets it; the Unknown Time,
 * or a value that does not parse, gives a random phase in [0, interval) so that a fleet booted
 * together does not inform in step (icwmp's `periodic_entropy`).
 */
export const periodicPhase = (
  settings: PeriodicInformSettings,
  random: RandomSource,
): PeriodicPhase => {
  const intervalMs = Math.max(1, Math.floor(settings.intervalSeconds)) * 1000;
  const parsed = settings.time === UNKNOWN_TIME ? Number.NaN : Date.parse(settings.time);
  const u = Math.min(Math.max(random(), 0), 1);
  const phaseMs = Number.isFinite(parsed) ? parsed : Math.floor(u * intervalMs) % intervalMs;
  return { phaseMs, intervalMs };
};

/**
 * The next periodic Inform instant strictly after `now`: the smallest `phase + k * interval`
 * greater than `now` ("MUST begin on the very next" aligned instant).
 */
export const nextPeriodicInformAt = (phase: PeriodicPhase, now: number): number => {
  const k = Math.floor((now - phase.phaseMs) / phase.intervalMs) + 1;
  return phase.phaseMs + k * phase.intervalMs;
};

/**
 * The instant to arm next: the first one after both `now` and `lastDueAt`, the instant whose
 * timer just fired (`undefined` when none did). A timer can fire a few milliseconds before its
 * instant by the wall clock (Node counts timers from the event loop's cached time, which lags
 * on a busy machine); counted from `now` alone, that instant would come again and the device
 * would inform twice for it.
 */
export const nextInstant = (
  phase: PeriodicPhase,
  lastDueAt: number | undefined,
  now: number,
): number => nextPeriodicInformAt(phase, Math.max(now, lastDueAt ?? now));

/** Milliseconds from `now` to the next periodic Inform, or `undefined` when disabled. */
export const millisUntilPeriodicInform = (
  settings: PeriodicInformSettings,
  phase: PeriodicPhase,
  now: number,
): number | undefined => (settings.enable ? nextPeriodicInformAt(phase, now) - now : undefined);

/** When a ScheduleInform with `delaySeconds` received at `now` falls due (epoch ms). */
export const scheduleInformDueAt = (now: number, delaySeconds: number): number =>
  now + Math.max(0, delaySeconds) * 1000;
