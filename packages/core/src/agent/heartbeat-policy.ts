/**
 * The Heartbeat policy of TR-069 Annex O (requirements section 1.10):
 * `ManagementServer.HeartbeatPolicy.{Enable, ReportingInterval, InitiationTime}`. A heartbeat
 * Inform is due at `InitiationTime ± k·ReportingInterval`; the Unknown Time (or a device
 * without absolute time) makes the CPE pick a random reference, as for the periodic Inform.
 * @module
 */
import { Effect, Option } from "effect";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { DataModel } from "../datamodel/data-model.js";
import { readParameterValue } from "./device-value.js";
import { readValuesTogether } from "./device-values.js";
import { type PeriodicPhase, periodicPhase } from "./periodic-schedule.js";
import type { RandomSource } from "./retry-policy.js";

/** The `HeartbeatPolicy` values that drive the heartbeat sessions. */
export interface HeartbeatSettings {
  readonly enable: boolean;
  /** `ReportingInterval`, seconds (TR-181 range: >= 30). */
  readonly reportingIntervalSeconds: number;
  /** `InitiationTime` as written (xsd:dateTime); the Unknown Time means "CPE picks". */
  readonly initiationTime: string;
}

/** TR-181's lower bound of `ReportingInterval`. */
export const MIN_HEARTBEAT_INTERVAL_SECONDS = 30;

/** No heartbeat: the policy of a model without `HeartbeatPolicy` (IGD, trimmed profiles). */
export const heartbeatOff: HeartbeatSettings = {
  enable: false,
  reportingIntervalSeconds: MIN_HEARTBEAT_INTERVAL_SECONDS,
  initiationTime: UNKNOWN_TIME,
};

/**
 * The heartbeat instants. An interval below the TR-181 minimum (an unset parameter reads as
 * "0") counts as 30 s: a heartbeat storm must not follow from a missing value.
 */
export const heartbeatPhase = (
  settings: HeartbeatSettings,
  random: RandomSource,
): PeriodicPhase => {
  const intervalSeconds = Math.max(
    MIN_HEARTBEAT_INTERVAL_SECONDS,
    settings.reportingIntervalSeconds,
  );
  // No draw while off: the random source is shared with the periodic phase and retry waits.
  return settings.enable
    ? periodicPhase({ enable: true, intervalSeconds, time: settings.initiationTime }, random)
    : { phaseMs: 0, intervalMs: intervalSeconds * 1000 };
};

/** True when two policies give the same schedule (a random phase is kept while they do). */
export const sameHeartbeatSettings = (a: HeartbeatSettings, b: HeartbeatSettings): boolean =>
  a.enable === b.enable &&
  a.reportingIntervalSeconds === b.reportingIntervalSeconds &&
  a.initiationTime === b.initiationTime;

/** The `HeartbeatPolicy` parameters, relative to the `ManagementServer` prefix. */
export const heartbeatPolicyNames = [
  "HeartbeatPolicy.Enable",
  "HeartbeatPolicy.ReportingInterval",
  "HeartbeatPolicy.InitiationTime",
] as const;

/**
 * `HeartbeatPolicy` under `prefix` from values already read (`get` answers none for a name
 * the model lacks). A model without the object gives `fallback`; a malformed value keeps the
 * value of `fallback` (or of {@link heartbeatOff}).
 */
export const heartbeatPolicyOf = (
  get: (name: string) => Option.Option<string>,
  prefix: string,
  fallback?: HeartbeatSettings,
): HeartbeatSettings | undefined => {
  const at = `${prefix}HeartbeatPolicy.`;
  const enable = get(`${at}Enable`);
  if (Option.isNone(enable)) return fallback;
  const base = fallback ?? heartbeatOff;
  const interval = Option.getOrUndefined(get(`${at}ReportingInterval`));
  const time = Option.getOrUndefined(get(`${at}InitiationTime`));
  const n = interval === undefined || interval.trim() === "" ? Number.NaN : Number(interval);
  return {
    enable:
      enable.value === "true" || enable.value === "1"
        ? true
        : enable.value === "false" || enable.value === "0"
          ? false
          : base.enable,
    reportingIntervalSeconds: Number.isFinite(n) && n >= 0 ? n : base.reportingIntervalSeconds,
    initiationTime: time === undefined || time === "" ? base.initiationTime : time,
  };
};

/**
 * `HeartbeatPolicy` under `prefix` (e.g. `Device.ManagementServer.`), as an ACS reads it:
 * see {@link heartbeatPolicyOf}. Enable is read first; the other two, together, only when it
 * exists.
 */
export const readHeartbeatPolicy = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
  fallback?: HeartbeatSettings,
): Effect.Effect<HeartbeatSettings | undefined> =>
  Effect.gen(function* () {
    const at = `${prefix}HeartbeatPolicy.`;
    const enable = yield* readParameterValue(model, `${at}Enable`);
    if (Option.isNone(enable)) return fallback;
    const rest = yield* readValuesTogether(
      (names) => model.getParameterValues(names),
      [`${at}ReportingInterval`, `${at}InitiationTime`],
    );
    return heartbeatPolicyOf((n) => (n === `${at}Enable` ? enable : rest(n)), prefix, fallback);
  });
