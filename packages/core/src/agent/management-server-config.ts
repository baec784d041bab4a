/**
 * Reads the agent's timing settings from the data model's `ManagementServer` object, so that
 * values set by the ACS (SetParameterValues of PeriodicInformInterval, ...) take effect after
 * the session.
 * @module
 */
import { Effect, Option } from "effect";
import type { DataModel } from "../datamodel/data-model.js";
import type { AgentTimingConfig } from "./agent-config.js";
import { readParameterValue } from "./device-value.js";
import { readValuesTogether } from "./device-values.js";
import {
  heartbeatPolicyNames,
  heartbeatPolicyOf,
  readHeartbeatPolicy,
} from "./heartbeat-policy.js";

/**
 * The number in `o`, or `fallback` when it is missing, malformed or below `min`. The TR-181
 * schema gives these parameters no default, so an unset one reads as "0"; taking that as a
 * retry wait of 0 would hammer an ACS that is down (§1.6 ranges: m >= 1, k >= 1000).
 */
const asNumber = (o: Option.Option<string>, fallback: number, min = 0): number =>
  Option.match(o, {
    onNone: () => fallback,
    onSome: (v) => {
      const n = Number(v);
      return v.trim() !== "" && Number.isFinite(n) && n >= min ? n : fallback;
    },
  });

const asBoolean = (o: Option.Option<string>, fallback: boolean): boolean =>
  Option.match(o, {
    onNone: () => fallback,
    onSome: (v) =>
      v === "true" || v === "1" ? true : v === "false" || v === "0" ? false : fallback,
  });

/** The timing parameters {@link readTimingConfig} reads, relative to the prefix. */
const timingNames = [
  "PeriodicInformTime",
  "CWMPRetryMinimumWaitInterval",
  "CWMPRetryIntervalMultiplier",
  "PeriodicInformEnable",
  "PeriodicInformInterval",
  "DefaultActiveNotificationThrottle",
] as const;

/**
 * The timing settings under `prefix` from values already read (`get` answers none for a name
 * the model lacks); a missing parameter, or a malformed value, keeps the value of `base`.
 */
export const timingConfigOf = (
  get: (name: string) => Option.Option<string>,
  prefix: string,
  base: AgentTimingConfig,
): AgentTimingConfig => {
  const at = (n: (typeof timingNames)[number]) => get(`${prefix}${n}`);
  const heartbeat = heartbeatPolicyOf(get, prefix, base.heartbeat);
  return {
    retry: {
      minimumWaitInterval: asNumber(
        at("CWMPRetryMinimumWaitInterval"),
        base.retry.minimumWaitInterval,
        1,
      ),
      intervalMultiplier: asNumber(
        at("CWMPRetryIntervalMultiplier"),
        base.retry.intervalMultiplier,
        1000,
      ),
    },
    periodic: {
      enable: asBoolean(at("PeriodicInformEnable"), base.periodic.enable),
      intervalSeconds: asNumber(at("PeriodicInformInterval"), base.periodic.intervalSeconds, 1),
      time: Option.getOrElse(at("PeriodicInformTime"), () => base.periodic.time),
    },
    activeNotificationThrottleSeconds: asNumber(
      at("DefaultActiveNotificationThrottle"),
      base.activeNotificationThrottleSeconds,
    ),
    ...(heartbeat === undefined ? {} : { heartbeat }),
  };
};

/**
 * The names {@link timingConfigOf} reads under `prefix` (the timing settings and the heartbeat
 * policy), for a caller that reads them together with others.
 */
export const timingSettingNames = (prefix: string): readonly string[] =>
  [...timingNames, ...heartbeatPolicyNames].map((n) => `${prefix}${n}`);

/**
 * The timing settings under `prefix` (e.g. `Device.ManagementServer.`), as an ACS reads them;
 * a parameter the model does not have, or a malformed value, keeps the value of `base`.
 */
export const readTimingConfig = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
  base: AgentTimingConfig,
): Effect.Effect<AgentTimingConfig> =>
  Effect.gen(function* () {
    // The six in one call (each call has a fixed cost); the heartbeat apart, its Enable first.
    const get = yield* readValuesTogether(
      (names) => model.getParameterValues(names),
      timingNames.map((n) => `${prefix}${n}`),
    );
    const heartbeat = yield* readHeartbeatPolicy(model, prefix, base.heartbeat);
    // `get` holds no heartbeat value: timingConfigOf keeps the one of the base it is given.
    return timingConfigOf(get, prefix, heartbeat === undefined ? base : { ...base, heartbeat });
  });

/** The ACS URL of a `ManagementServer.URL` value: none when it is empty. */
export const acsUrlOf = (value: Option.Option<string>): Option.Option<string> =>
  Option.filter(value, (u) => u !== "");

/** The ACS URL under `prefix` (`ManagementServer.URL`), when the model has a non-empty one. */
export const readAcsUrl = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
): Effect.Effect<Option.Option<string>> =>
  Effect.map(readParameterValue(model, `${prefix}URL`), acsUrlOf);
