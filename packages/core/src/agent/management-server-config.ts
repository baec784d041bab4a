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
import { readHeartbeatPolicy } from "./heartbeat-policy.js";

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
 * The values of `names` under `prefix` as an ACS reads them, in one data-model call (each call
 * has a fixed cost, and the agent reads these after every session: issue 11); when the call
 * fails (the model lacks one of them, or cannot read one) or does not answer every name, one
 * by one, as {@link readParameterValue} reads each.
 */
const readParameterValuesAt = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
  names: readonly string[],
): Effect.Effect<(name: string) => Option.Option<string>> =>
  Effect.flatMap(
    Effect.option(model.getParameterValues(names.map((n) => `${prefix}${n}`))),
    (batch) => {
      const values = Option.isSome(batch)
        ? new Map(batch.value.map((v) => [v.name, v.value]))
        : undefined;
      if (values !== undefined && names.every((n) => values.has(`${prefix}${n}`)))
        return Effect.succeed((n: string) => Option.fromNullable(values.get(`${prefix}${n}`)));
      return Effect.map(
        Effect.forEach(names, (n) => readParameterValue(model, `${prefix}${n}`)),
        (list) => {
          const one = new Map(names.map((n, i) => [n, list[i] ?? Option.none<string>()]));
          return (n: string) => one.get(n) ?? Option.none<string>();
        },
      );
    },
  );

/**
 * The timing settings under `prefix` (e.g. `Device.ManagementServer.`); a parameter the model
 * does not have, or a malformed value, keeps the value of `base`.
 */
export const readTimingConfig = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
  base: AgentTimingConfig,
): Effect.Effect<AgentTimingConfig> =>
  Effect.gen(function* () {
    const get = yield* readParameterValuesAt(model, prefix, timingNames);
    const time = get("PeriodicInformTime");
    const heartbeat = yield* readHeartbeatPolicy(model, prefix, base.heartbeat);
    return {
      retry: {
        minimumWaitInterval: asNumber(
          get("CWMPRetryMinimumWaitInterval"),
          base.retry.minimumWaitInterval,
          1,
        ),
        intervalMultiplier: asNumber(
          get("CWMPRetryIntervalMultiplier"),
          base.retry.intervalMultiplier,
          1000,
        ),
      },
      periodic: {
        enable: asBoolean(get("PeriodicInformEnable"), base.periodic.enable),
        intervalSeconds: asNumber(get("PeriodicInformInterval"), base.periodic.intervalSeconds, 1),
        time: Option.getOrElse(time, () => base.periodic.time),
      },
      activeNotificationThrottleSeconds: asNumber(
        get("DefaultActiveNotificationThrottle"),
        base.activeNotificationThrottleSeconds,
      ),
      ...(heartbeat === undefined ? {} : { heartbeat }),
    };
  });

/** The ACS URL under `prefix` (`ManagementServer.URL`), when the model has a non-empty one. */
export const readAcsUrl = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
): Effect.Effect<Option.Option<string>> =>
  Effect.map(
    readParameterValue(model, `${prefix}URL`),
    Option.filter((u) => u !== ""),
  );
