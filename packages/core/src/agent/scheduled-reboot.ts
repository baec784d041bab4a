/**
 * `ManagementServer.ScheduleReboot` and `DelayReboot` (TR-181 Device:2.10+, requirements
 * section 1.10): reboots the ACS asks for by a value rather than by the Reboot RPC. Both are
 * read on the device side after a session; the agent machine arms a timer, and once it fires
 * (after any session in progress) both are reset and saved before the device reboots, so the
 * reboot happens once. Such a reboot informs `1 BOOT` only (no `M Reboot`: no RPC asked).
 * @module
 */
import { Data, Effect, Option } from "effect";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { DataModel } from "../datamodel/data-model.js";
import { readDeviceValue } from "./device-value.js";

/** The reboot schedule could not be reset (the device then does not reboot, to avoid a loop). */
export class RebootScheduleError extends Data.TaggedError("RebootScheduleError")<{
  readonly reason: "WriteFailed";
  readonly detail: string;
}> {
  override get message(): string {
    return `reboot schedule ${this.reason}: ${this.detail}`;
  }
}

/** DelayReboot's "no reboot" value. */
export const NO_DELAY_REBOOT = "-1";

/** Epoch ms of a ScheduleReboot value, when it names a time after `now` (a past time or the Unknown Time means none). */
export const scheduleRebootAt = (value: string, now: number): Option.Option<number> => {
  if (value === "" || value === UNKNOWN_TIME) return Option.none();
  const at = Date.parse(value);
  return Number.isFinite(at) && at > now ? Option.some(at) : Option.none();
};

/** The whole seconds of a DelayReboot value, when it asks for a reboot (>= 0). */
export const delayRebootSeconds = (value: string): Option.Option<number> => {
  const n = Number(value);
  return value.trim() !== "" && Number.isInteger(n) && n >= 0 ? Option.some(n) : Option.none();
};

/** The current `ScheduleReboot` under `prefix` as an epoch ms after `now`, if any. */
export const readScheduleReboot = (
  model: Pick<DataModel, "getDeviceValues">,
  prefix: string,
  now: number,
): Effect.Effect<Option.Option<number>> =>
  Effect.map(readDeviceValue(model, `${prefix}ScheduleReboot`), (o) =>
    Option.flatMap(o, (v) => scheduleRebootAt(v, now)),
  );

/** The current `DelayReboot` under `prefix`, as read (none when the model lacks it). */
export const readDelayReboot = (
  model: Pick<DataModel, "getDeviceValues">,
  prefix: string,
): Effect.Effect<Option.Option<string>> => readDeviceValue(model, `${prefix}DelayReboot`);

/**
 * What a session did to `DelayReboot`, from its value before and after: `"unchanged"` (a
 * timer armed earlier keeps running: later sessions must not push the reboot back), `"cancel"`
 * (set below 0), or the epoch ms the reboot is due (set >= 0: that many seconds after
 * `sessionEnd`).
 */
export const delayRebootChange = (
  before: Option.Option<string>,
  after: Option.Option<string>,
  sessionEnd: number,
): number | "unchanged" | "cancel" => {
  if (Option.isNone(after) || Option.getEquivalence<string>((a, b) => a === b)(before, after))
    return "unchanged";
  return Option.match(delayRebootSeconds(after.value), {
    onNone: () => "cancel" as const,
    onSome: (s) => sessionEnd + s * 1000,
  });
};

/**
 * Resets `DelayReboot` to -1 and, when `scheduleDueBy` is given, a `ScheduleReboot` whose time
 * is not after it to the Unknown Time (device-side writes, persisted). TR-181 resets DelayReboot
 * on every reboot, so the agent also does it at start: an unset DelayReboot reads as `0` in a
 * schema without a default, which would otherwise look like a reboot request.
 */
export const clearRebootSchedule = (
  model: Pick<DataModel, "getDeviceValues" | "recordChanges">,
  prefix: string,
  options: { readonly scheduleDueBy?: number } = {},
): Effect.Effect<void, RebootScheduleError> =>
  Effect.gen(function* () {
    const delayName = `${prefix}DelayReboot`;
    const scheduleName = `${prefix}ScheduleReboot`;
    const delay = yield* readDeviceValue(model, delayName);
    const dueBy = options.scheduleDueBy;
    // A ScheduleReboot still in the future stays: it reboots the device again later.
    const schedule =
      dueBy === undefined
        ? Option.none<string>()
        : Option.filter(yield* readDeviceValue(model, scheduleName), (v) =>
            Option.isNone(scheduleRebootAt(v, dueBy)),
          );
    const changes = [
      ...(Option.isSome(delay) && delay.value !== NO_DELAY_REBOOT
        ? [{ path: delayName, value: NO_DELAY_REBOOT }]
        : []),
      ...(Option.isSome(schedule) && schedule.value !== UNKNOWN_TIME
        ? [{ path: scheduleName, value: UNKNOWN_TIME }]
        : []),
    ];
    if (changes.length > 0)
      yield* Effect.mapError(
        model.recordChanges(changes),
        (f) => new RebootScheduleError({ reason: "WriteFailed", detail: f.message }),
      );
  });
