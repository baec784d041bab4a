/**
 * How scenarios get RPCs to the device: wait for the boot session to end, queue the calls, then
 * wake the device with a Connection Request so that one session carries them in order. Calls
 * that depend on an earlier answer go in a later session (another Connection Request): the
 * ACS ends a session as soon as its queue is empty, as a real ACS does.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect, Fiber } from "effect";
import type { InformRecord, SessionRecord } from "../acs-session.js";
import type { TestAcsError } from "../testkit-error.js";
import type { TranscriptEntry } from "../transcript.js";
import type { ScenarioContext, ScenarioFailed } from "./scenario.js";
import { check, fail, nextInform, sessionCompletes } from "./scenario-checks.js";

/** The boot Inform and its completed session: the device is idle afterwards. */
export const settled = (
  ctx: ScenarioContext,
): Effect.Effect<{ inform: InformRecord; session: SessionRecord }, ScenarioFailed | TestAcsError> =>
  Effect.gen(function* () {
    const inform = yield* nextInform(ctx, "the boot Inform", 8_000);
    const session = yield* sessionCompletes(ctx);
    return { inform, session };
  });

/** Sends a Connection Request with the device's credentials; expects 200 or 204 (C4). */
export const wake = (ctx: ScenarioContext): Effect.Effect<number, ScenarioFailed | TestAcsError> =>
  Effect.gen(function* () {
    const { username, password } = ctx.device.connectionRequestCredentials;
    const status = yield* ctx.acs.connectionRequest(
      ctx.device.connectionRequestUrl,
      username,
      password,
    );
    yield* check(
      status === 200 || status === 204,
      `Connection Request answered ${status}, expected 200 or 204`,
    );
    return status;
  });

/** What one woken session did. */
export interface DrivenSession {
  readonly inform: InformRecord;
  /** The answers to the calls, in order (a Fault is an answer). */
  readonly answers: readonly CwmpMessage[];
  readonly session: SessionRecord;
}

/**
 * Queues `requests`, wakes the device and waits for the session carrying them to complete.
 * The device must be idle (see {@link settled}).
 */
export const drive = (
  ctx: ScenarioContext,
  requests: readonly CwmpMessage[],
  timeoutMs = 5_000,
): Effect.Effect<DrivenSession, ScenarioFailed | TestAcsError> =>
  Effect.gen(function* () {
    const calls: Fiber.RuntimeFiber<CwmpMessage, TestAcsError>[] = [];
    // Forked one by one, each started before the next: the queue keeps their order.
    for (const r of requests) {
      calls.push(yield* Effect.fork(ctx.acs.call(ctx.device.deviceId, r, { timeoutMs })));
      yield* Effect.yieldNow();
    }
    yield* wake(ctx);
    const inform = yield* nextInform(ctx, "the session woken by a Connection Request");
    const answers: CwmpMessage[] = [];
    for (const f of calls) answers.push(yield* Fiber.join(f));
    const session = yield* sessionCompletes(ctx, timeoutMs);
    return { inform, answers, session };
  });

/** Like {@link drive} with one request, expecting an answer tagged `tag`. */
export const driveOne = <T extends CwmpMessage["_tag"]>(
  ctx: ScenarioContext,
  request: CwmpMessage,
  tag: T,
): Effect.Effect<Extract<CwmpMessage, { _tag: T }>, ScenarioFailed | TestAcsError> =>
  Effect.flatMap(drive(ctx, [request]), ({ answers }) => {
    const a = answers[0];
    return a !== undefined && a._tag === tag
      ? Effect.succeed(a as Extract<CwmpMessage, { _tag: T }>)
      : fail(`${request._tag} answered ${a ? describeAnswer(a) : "nothing"}, expected ${tag}`);
  });

/** Like {@link drive} with one request, expecting the CWMP fault `code`. */
export const driveFault = (
  ctx: ScenarioContext,
  request: CwmpMessage,
  code: number,
): Effect.Effect<Extract<CwmpMessage, { _tag: "Fault" }>, ScenarioFailed | TestAcsError> =>
  Effect.flatMap(drive(ctx, [request]), ({ answers }) => {
    const a = answers[0];
    return a?._tag === "Fault" && a.detail?.faultCode === code
      ? Effect.succeed(a)
      : fail(
          `${request._tag} answered ${a ? describeAnswer(a) : "nothing"}, expected fault ${code}`,
        );
  });

const describeAnswer = (m: CwmpMessage): string =>
  m._tag === "Fault" ? `fault ${m.detail?.faultCode ?? m.faultcode}` : m._tag;

/**
 * The CWMP exchanges of an ended session, in order. The transcript records an exchange once
 * its answer is written, which can be just after the session record is out: this waits (up to
 * a second) until every HTTP request of the session is there.
 */
export const exchangesOf = (
  ctx: ScenarioContext,
  session: SessionRecord,
): Effect.Effect<TranscriptEntry[]> =>
  Effect.gen(function* () {
    const read = () =>
      ctx.acs.transcript
        .entries()
        .filter((e) => e.kind === "cwmp" && e.sessionId === session.sessionId);
    for (let i = 0; i < 50; i++) {
      const entries = read();
      if (entries.length >= session.httpRequests) return entries;
      yield* Effect.sleep("20 millis");
    }
    return read();
  });

/** The transcript entry of an Inform (waiting up to a second for it to be recorded). */
export const informExchange = (
  ctx: ScenarioContext,
  inform: InformRecord,
): Effect.Effect<TranscriptEntry | undefined> =>
  Effect.gen(function* () {
    const find = () =>
      ctx.acs.transcript
        .entries()
        .find((e) => e.sessionId === inform.sessionId && e.request.message === "Inform");
    for (let i = 0; i < 50; i++) {
      const e = find();
      if (e !== undefined) return e;
      yield* Effect.sleep("20 millis");
    }
    return find();
  });
