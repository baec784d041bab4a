import { fc, test } from "@fast-check/vitest";
import { Effect, Option, Queue, Random, Stream, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import type { XmppEvent } from "./xmpp-connection-request.js";
import * as XmppConnectionRequestSource from "./xmpp-connection-request.js";
import type { XmppConnectionRequest } from "./xmpp-connection-request-decision.js";
import {
  connectErrorReason,
  XmppConnectError,
  type XmppConnector,
  type XmppRequestAnswer,
} from "./xmpp-connector.js";
import { defaultXmppSettings, type XmppSettings, xmppRetryWaitSeconds } from "./xmpp-settings.js";

const settings: XmppSettings = {
  ...defaultXmppSettings,
  domain: "cpekit.test",
  username: "cpe",
  password: "pw",
  resource: "r",
  retryInitialSeconds: 10,
  retryMultiplier: 2000,
  retryMaxSeconds: 35,
};

const onTestClock = <A>(body: Effect.Effect<A, never, import("effect").Scope.Scope>) =>
  Effect.runPromise(
    Effect.provide(Effect.scoped(body), TestContext.TestContext).pipe(
      // A fixed random draw makes the waits exact: half of each bound.
      Effect.withRandom(Random.make("xmpp")),
    ),
  );

/** A connector whose streams the test drives: each attempt takes the next planned outcome. */
const scripted = (plan: ("fail" | "up")[]) =>
  Effect.gen(function* () {
    const drops = yield* Queue.unbounded<void>();
    const handlers: ((r: XmppConnectionRequest) => Promise<XmppRequestAnswer>)[] = [];
    let i = 0;
    const connector: XmppConnector = (_s, onRequest) => {
      const outcome = plan[i++] ?? "fail";
      if (outcome === "fail")
        return Effect.fail(new XmppConnectError({ reason: "Connect", detail: "refused" }));
      handlers.push(onRequest);
      return Effect.succeed({
        jid: `cpe@cpekit.test/r${i}`,
        secure: false,
        closed: Queue.take(drops),
      });
    };
    return { connector, drop: Queue.offer(drops, undefined), handlers };
  });

/** A source with credentials u/p that allows no sender, on `connector` and `s`. */
const sourceOn = (
  connector: XmppConnector,
  s: XmppConnectionRequestSource.XmppConnectionRequestOptions["settings"],
) =>
  XmppConnectionRequestSource.make({
    credentials: { username: "u", password: "p" },
    settings: s,
    allowedJabberIds: [],
    connector,
  });

const attemptsAt = (events: readonly XmppEvent[]) =>
  events.filter((e) => e.type === "attempt").map((e) => e.at / 1000);

describe("XMPP reconnection schedule (§1.9, TR-181 ServerRetry*)", () => {
  it("§1.9: the n-th wait lies in [0, Initial·(Multiplier/1000)^(n−1)] and is the Max once that passes it", () => {
    const s = { retryInitialSeconds: 10, retryMultiplier: 2000, retryMaxSeconds: 35 };
    expect(xmppRetryWaitSeconds(s, 1, 0.5)).toBe(5);
    expect(xmppRetryWaitSeconds(s, 2, 0.5)).toBe(10);
    expect(xmppRetryWaitSeconds(s, 3, 0.5)).toBe(35);
    expect(xmppRetryWaitSeconds(s, 9, 0.1)).toBe(35);
    expect(xmppRetryWaitSeconds(s, 1, 0)).toBe(0);
    expect(xmppRetryWaitSeconds({ ...s, retryMultiplier: 1500 }, 3, 1)).toBeCloseTo(22.5);
  });

  test.prop([
    fc.integer({ min: 1, max: 65535 }),
    fc.integer({ min: 1000, max: 65535 }),
    fc.integer({ min: 1, max: 100_000 }),
    fc.integer({ min: 1, max: 40 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ])(
    "§1.9 property: every wait is within [0, min(Initial·k^(n−1), Max)] and never above Max",
    (initial, multiplier, max, n, random) => {
      const s = { retryInitialSeconds: initial, retryMultiplier: multiplier, retryMaxSeconds: max };
      const w = xmppRetryWaitSeconds(s, n, random);
      const bound = initial * (multiplier / 1000) ** (n - 1);
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(Math.min(bound, max));
      if (bound > max) expect(w).toBe(max);
    },
  );

  it("§1.9: failed attempts back off on the test clock by the TR-181 arithmetic", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = yield* scripted(["fail", "fail", "fail", "fail", "fail"]);
        const source = yield* sourceOn(script.connector, settings);
        yield* TestClock.adjust(0);
        const waits = (yield* source.events).filter((e) => e.type === "wait");
        expect(waits).toHaveLength(1);
        // Drive the clock through the waits the loop announced, one at a time.
        for (let k = 0; k < 3; k++) {
          const events = yield* source.events;
          const last = events.filter((e) => e.type === "wait").at(-1);
          if (last?.type !== "wait") throw new Error("no wait");
          yield* TestClock.adjust(`${last.seconds} seconds`);
        }
        const events = yield* source.events;
        const planned = events.flatMap((e) => (e.type === "wait" ? [[e.attempt, e.seconds]] : []));
        // Each wait is within its bound; the third and later are the maximum (40 > 35).
        expect(planned.map(([n]) => n)).toEqual([1, 2, 3, 4]);
        const [w1, w2, w3, w4] = planned.map(([, s]) => s as number);
        expect(w1).toBeLessThanOrEqual(10);
        expect(w2).toBeLessThanOrEqual(20);
        expect(w3).toBe(35);
        expect(w4).toBe(35);
        const at = attemptsAt(events);
        const expected = [0, w1, (w1 ?? 0) + (w2 ?? 0), (w1 ?? 0) + (w2 ?? 0) + 35];
        expect(at).toHaveLength(4);
        // The clock counts milliseconds: each attempt is at the summed waits to the millisecond.
        for (const [k, t] of at.entries()) expect(t).toBeCloseTo(expected[k] ?? Number.NaN, 2);
        expect(yield* source.state).toBe("Error");
      }),
    ));

  it("§1.9: a stream that came up resets the count: the wait after it is the first one again", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = yield* scripted(["fail", "fail", "up", "up"]);
        const source = yield* sourceOn(script.connector, settings);
        yield* TestClock.adjust(0);
        yield* TestClock.adjust("60 seconds");
        expect(yield* source.state).toBe("Enabled");
        expect(yield* source.jabberId).toEqual(Option.some("cpe@cpekit.test/r3"));
        yield* script.drop;
        yield* TestClock.adjust(0);
        const waits = (yield* source.events).filter((e) => e.type === "wait");
        expect(waits.map((w) => (w.type === "wait" ? w.attempt : 0))).toEqual([1, 2, 1]);
        yield* TestClock.adjust("10 seconds");
        expect(yield* source.state).toBe("Enabled");
        // The JID is kept while reconnecting and follows the new stream.
        expect(yield* source.jabberId).toEqual(Option.some("cpe@cpekit.test/r4"));
      }),
    ));

  it("§1.9: requests are decided, coalesced into one trigger and rate-limited", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = yield* scripted(["up"]);
        const source = yield* XmppConnectionRequestSource.make({
          credentials: { username: "u", password: "p" },
          settings,
          allowedJabberIds: ["acs@cpekit.test"],
          connector: script.connector,
          rateLimit: { max: 2, window: "5 seconds" },
        });
        yield* TestClock.adjust(0);
        const ask = script.handlers[0];
        if (ask === undefined) throw new Error("not connected");
        const from = "acs@cpekit.test/x";
        const answers = [];
        answers.push(yield* Effect.promise(() => ask({ from, username: "u", password: "p" })));
        answers.push(yield* Effect.promise(() => ask({ from, username: "u", password: "q" })));
        answers.push(
          yield* Effect.promise(() =>
            ask({ from: "evil@cpekit.test/x", username: "u", password: "p" }),
          ),
        );
        answers.push(yield* Effect.promise(() => ask({ from, username: "u", password: "p" })));
        answers.push(yield* Effect.promise(() => ask({ from, username: "u", password: "p" })));
        expect(answers).toEqual([
          "accepted",
          "notAuthorized",
          "notAllowed",
          "accepted",
          "rateLimited",
        ]);
        const triggers = yield* Stream.runCollect(Stream.take(source.triggers, 1));
        expect(triggers.length).toBe(1);
        // Only one trigger was queued for the two accepted requests.
        yield* source.setSessionActive(true);
        yield* source.setSessionActive(false);
        const more = yield* Effect.timeout(
          Stream.runCollect(Stream.take(source.triggers, 1)),
          "1 second",
        ).pipe(Effect.fork);
        yield* TestClock.adjust("2 seconds");
        const late = yield* Effect.either(more.await.pipe(Effect.flatten));
        expect(late._tag).toBe("Left");
      }),
    ));
});

/** A connector failing with `reason` every time, counting its attempts. */
const failing = (reason: XmppConnectError["reason"]) => {
  let attempts = 0;
  const connector: XmppConnector = () => {
    attempts++;
    return Effect.fail(new XmppConnectError({ reason, detail: reason }));
  };
  return { connector, attempts: () => attempts };
};

describe("XMPP connection Status, ServerConnectAttempts and Stats (§1.9, TR-181)", () => {
  it("§1.9: ServerConnectAttempts 3: three failed attempts in a row, then none until the settings change; then it tries again", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = failing("Connect");
        let current: XmppSettings = { ...settings, connectAttempts: 3 };
        const source = yield* sourceOn(
          script.connector,
          Effect.sync(() => current),
        );
        yield* TestClock.adjust("1000 seconds");
        yield* TestClock.adjust("1000 seconds");
        expect(script.attempts()).toBe(3);
        const events = yield* source.events;
        expect(events.filter((e) => e.type === "wait")).toHaveLength(2);
        expect(events.at(-1)).toMatchObject({ type: "gaveUp", failures: 3 });
        expect(yield* source.state).toBe("Error");
        // Unchanged settings do not wake it.
        yield* source.applySettings;
        yield* TestClock.adjust("1000 seconds");
        expect(script.attempts()).toBe(3);
        current = { ...current, connectAttempts: 2 };
        yield* source.applySettings;
        yield* TestClock.adjust("1000 seconds");
        expect(script.attempts()).toBe(5);
      }),
    ));

  it("§1.9: ServerConnectAttempts 0 sets no limit: it keeps trying past 16", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = failing("Connect");
        const source = yield* sourceOn(script.connector, {
          ...settings,
          connectAttempts: 0,
          retryMaxSeconds: 1,
          retryInitialSeconds: 1,
        });
        for (let i = 0; i < 40; i++) yield* TestClock.adjust("1 second");
        expect(script.attempts()).toBeGreaterThan(16);
        expect((yield* source.events).some((e) => e.type === "gaveUp")).toBe(false);
      }),
    ));

  it("§1.9: ServerConnectAttempts 1 gives up after the first failure (a limit of one is the first attempt)", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = failing("ServerNotPresent");
        const source = yield* sourceOn(script.connector, { ...settings, connectAttempts: 1 });
        yield* TestClock.adjust("1000 seconds");
        expect(script.attempts()).toBe(1);
        expect(yield* source.state).toBe("ServerNotPresent");
      }),
    ));

  it("§1.9: Status names the failure: ServerNotPresent, Error_AuthenticationFailure (retried), Error_Misconfigured (not retried)", () =>
    onTestClock(
      Effect.gen(function* () {
        const states: string[] = [];
        const retried: number[] = [];
        for (const reason of ["ServerNotPresent", "Authentication", "Misconfigured"] as const) {
          const script = failing(reason);
          const source = yield* sourceOn(script.connector, settings);
          yield* TestClock.adjust("100 seconds");
          states.push(yield* source.state);
          retried.push(script.attempts());
        }
        expect(states).toEqual([
          "ServerNotPresent",
          "Error_AuthenticationFailure",
          "Error_Misconfigured",
        ]);
        expect(retried[0]).toBeGreaterThan(1);
        expect(retried[1]).toBeGreaterThan(1);
        expect(retried[2]).toBe(1);
      }),
    ));

  it("§1.9: a disabled connection makes no attempt (Status Disabled) until enabled", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = yield* scripted(["up"]);
        let current: XmppSettings = { ...settings, enable: false };
        const source = yield* sourceOn(
          script.connector,
          Effect.sync(() => current),
        );
        yield* TestClock.adjust("1000 seconds");
        expect(script.handlers).toHaveLength(0);
        expect(yield* source.state).toBe("Disabled");
        expect((yield* source.events).filter((e) => e.type === "attempt")).toEqual([]);
        current = { ...current, enable: true };
        yield* source.applySettings;
        yield* TestClock.adjust(0);
        expect(script.handlers).toHaveLength(1);
        expect(yield* source.state).toBe("Enabled");
      }),
    ));

  it("§1.9: LastChangeDate is the time of the last Status change: Error after the failed first attempt, Enabled when up, Connecting at the drop", () =>
    onTestClock(
      Effect.gen(function* () {
        const script = yield* scripted(["fail", "up"]);
        const source = yield* sourceOn(script.connector, settings);
        yield* TestClock.adjust(0);
        expect(yield* source.status).toEqual({ state: "Error", since: 0 });
        yield* TestClock.adjust("60 seconds");
        const up = (yield* source.events).find((e) => e.type === "up");
        expect(yield* source.status).toEqual({ state: "Enabled", since: up?.at });
        expect(up?.at).toBeGreaterThan(0);
        yield* TestClock.adjust("30 seconds");
        // No change, no new date.
        expect((yield* source.status).since).toBe(up?.at);
        yield* script.drop;
        yield* TestClock.adjust(0);
        expect(yield* source.status).toEqual({
          state: "Connecting",
          since: 90_000, // the drop: 0 + 60 + 30 s on the test clock
        });
      }),
    ));

  it("§1.9: Stats count the stanzas the stream reports, received and transmitted, error ones apart, across streams", () =>
    onTestClock(
      Effect.gen(function* () {
        const drops = yield* Queue.unbounded<void>();
        const connector: XmppConnector = (_s, _onRequest, traffic) => {
          traffic?.("received", false);
          traffic?.("received", true);
          traffic?.("received", false);
          traffic?.("transmitted", true);
          traffic?.("transmitted", false);
          return Effect.succeed({
            jid: "cpe@cpekit.test/r",
            secure: false,
            closed: Queue.take(drops),
          });
        };
        const source = yield* sourceOn(connector, settings);
        yield* TestClock.adjust(0);
        expect(yield* source.stats).toEqual({
          receivedMessages: 3,
          transmittedMessages: 2,
          receivedErrorMessages: 1,
          transmittedErrorMessages: 1,
        });
        yield* Queue.offer(drops, undefined);
        yield* TestClock.adjust("60 seconds");
        expect(yield* source.stats).toEqual({
          receivedMessages: 6,
          transmittedMessages: 4,
          receivedErrorMessages: 2,
          transmittedErrorMessages: 2,
        });
      }),
    ));
});

describe("why an XMPP connection failed (§1.9, TR-181 Status)", () => {
  it("§1.9: a SASL failure is Authentication, socket errors of an absent server ServerNotPresent, the rest Connect", () => {
    expect(connectErrorReason({ name: "SASLError", code: "ECONNREFUSED" })).toBe("Authentication");
    for (const code of [
      "ECONNREFUSED",
      "ENOTFOUND",
      "EHOSTUNREACH",
      "ENETUNREACH",
      "ETIMEDOUT",
      "EAI_AGAIN",
    ])
      expect(connectErrorReason({ code })).toBe("ServerNotPresent");
    expect(connectErrorReason({ code: "ECONNRESET" })).toBe("Connect");
    expect(connectErrorReason({ name: "Error" })).toBe("Connect");
    expect(connectErrorReason(null)).toBe("Connect");
    expect(connectErrorReason({ code: 111 })).toBe("Connect");
  });
});
