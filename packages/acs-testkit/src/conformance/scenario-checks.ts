/**
 * The assertions scenarios are written with: each fails with a {@link ScenarioFailed} whose
 * reason says what the device did, so a failing row of the report is readable on its own.
 * @module
 */
import type { CwmpMessage, EventStruct, Fault } from "@cpekit/core";
import { Effect } from "effect";
import type { InformRecord } from "../acs-session.js";
import { TestAcsError } from "../testkit-error.js";
import { type ScenarioContext, ScenarioFailed, ScenarioSkipped } from "./scenario.js";

/** Fails with `reason` unless `condition` holds. */
export const check = (condition: boolean, reason: string): Effect.Effect<void, ScenarioFailed> =>
  condition ? Effect.void : Effect.fail(new ScenarioFailed({ reason }));

/** Fails the scenario now. */
export const fail = (reason: string): Effect.Effect<never, ScenarioFailed> =>
  Effect.fail(new ScenarioFailed({ reason }));

/** Skips the scenario (the row stays "not covered"). */
export const skip = (reason: string): Effect.Effect<never, ScenarioSkipped> =>
  Effect.fail(new ScenarioSkipped({ reason }));

/** A short text of a CWMP message for reasons: `GetParameterValuesResponse`, `Fault 9005`. */
export const describeMessage = (m: CwmpMessage): string =>
  m._tag === "Fault"
    ? `Fault ${m.detail?.faultCode ?? m.faultcode}${m.detail ? ` (${m.detail.faultString})` : ""}`
    : m._tag;

/** The event codes of an Inform, with `|CommandKey` for non-empty keys. */
export const eventCodes = (events: readonly EventStruct[]): string[] =>
  events.map((e) => (e.commandKey === "" ? e.eventCode : `${e.eventCode}|${e.commandKey}`));

/** True when the Inform carries the event code `code`. */
export const hasEvent = (r: InformRecord, code: string): boolean =>
  r.inform.event.some((e) => e.eventCode === code);

/** The value of `name` in the Inform's ParameterList. */
export const informValue = (r: InformRecord, name: string): string | undefined =>
  r.inform.parameterList.find((p) => p.name === name)?.value;

const defaultCallTimeout = 5_000;

/** Sends `request` to the device and expects a response tagged `tag`. */
export const callFor = <T extends CwmpMessage["_tag"]>(
  ctx: ScenarioContext,
  request: CwmpMessage,
  tag: T,
  timeoutMs = defaultCallTimeout,
): Effect.Effect<Extract<CwmpMessage, { _tag: T }>, ScenarioFailed | TestAcsError> =>
  Effect.flatMap(ctx.acs.call(ctx.device.deviceId, request, { timeoutMs }), (answer) =>
    answer._tag === tag
      ? Effect.succeed(answer as Extract<CwmpMessage, { _tag: T }>)
      : fail(`${request._tag} answered ${describeMessage(answer)}, expected ${tag}`),
  );

/** Sends `request` and expects a CWMP fault with code `code`; yields the fault. */
export const callForFault = (
  ctx: ScenarioContext,
  request: CwmpMessage,
  code: number,
  timeoutMs = defaultCallTimeout,
): Effect.Effect<Fault, ScenarioFailed | TestAcsError> =>
  Effect.flatMap(ctx.acs.call(ctx.device.deviceId, request, { timeoutMs }), (answer) =>
    answer._tag === "Fault" && answer.detail?.faultCode === code
      ? Effect.succeed(answer)
      : fail(`${request._tag} answered ${describeMessage(answer)}, expected fault ${code}`),
  );

/** The next Inform of the device within `timeoutMs`, failing with `what` when none comes. */
export const nextInform = (
  ctx: ScenarioContext,
  what: string,
  timeoutMs = 5_000,
): Effect.Effect<InformRecord, ScenarioFailed | TestAcsError> =>
  ctx.acs.nextInform({ deviceId: ctx.device.deviceId, timeoutMs }).pipe(
    Effect.catchIf(
      (e) => e.reason === "Timeout",
      () => fail(`no Inform within ${timeoutMs} ms (${what})`),
    ),
  );

/** Succeeds when the device sends no Inform for `ms`; fails with `what` otherwise. */
export const noInformWithin = (
  ctx: ScenarioContext,
  ms: number,
  what: string,
): Effect.Effect<void, ScenarioFailed | TestAcsError> =>
  ctx.acs.nextInform({ deviceId: ctx.device.deviceId, timeoutMs: ms }).pipe(
    Effect.flatMap((r) => fail(`${what}: Inform ${eventCodes(r.inform.event).join(", ")} came`)),
    Effect.catchIf(
      (e): e is TestAcsError => e instanceof TestAcsError && e.reason === "Timeout",
      () => Effect.void,
    ),
  );

/** The first Inform of the device (its boot), failing when it does not come. */
export const bootInform = (
  ctx: ScenarioContext,
): Effect.Effect<InformRecord, ScenarioFailed | TestAcsError> => nextInform(ctx, "the boot Inform");

/** Waits for the device's session to end and expects it completed without violations. */
export const sessionCompletes = (ctx: ScenarioContext, timeoutMs = 5_000) =>
  Effect.gen(function* () {
    const s = yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs }).pipe(
      Effect.catchIf(
        (e) => e.reason === "Timeout",
        () => fail(`the session did not end within ${timeoutMs} ms`),
      ),
    );
    yield* check(s.outcome === "completed", `the session ended ${s.outcome}`);
    return s;
  });
