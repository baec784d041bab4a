/**
 * Scenarios of §1.3 (the CPE authenticating to the ACS) and of session failures and retries
 * (H10, H11, §1.6). Retry scenarios start the device with CWMPRetryMinimumWaitInterval = 1 s
 * so that the first waits are 1-2 s, 2-4 s (multiplier 2000).
 * @module
 */
import { Effect } from "effect";
import { digestResponseMd5, parseAuthParams } from "../../http-auth.js";
import type { Scenario } from "../scenario.js";
import { check, eventCodes, fail, hasEvent, nextInform } from "../scenario-checks.js";
import { exchangesOf, settled, wake } from "../session-driver.js";

const fastRetry = {
  "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1",
  "Device.ManagementServer.CWMPRetryIntervalMultiplier": "2000",
};
const acsCredentials = {
  "Device.ManagementServer.Username": "cpe",
  "Device.ManagementServer.Password": "s3cret",
};

/** Start times (ms) of the device's Inform POSTs, faulted ones included. */
const informAttempts = (entries: readonly { request: { message?: string }; startedAt: string }[]) =>
  entries.filter((e) => e.request.message === "Inform").map((e) => Date.parse(e.startedAt));

/** The scenarios of this file. */
export const authRetryScenarios: readonly Scenario[] = [
  {
    ids: ["A1", "A2"],
    title:
      "answers a Digest challenge (MD5, qop=auth with nc and cnonce) and completes the session",
    acs: { auth: { scheme: "digest", username: "cpe", password: "s3cret" } },
    settings: acsCredentials,
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = yield* exchangesOf(ctx, session);
        const authorized = entries.find((e) => e.request.headers.authorization !== undefined);
        const auth = String(authorized?.request.headers.authorization ?? "");
        yield* check(/^digest /i.test(auth), `Authorization "${auth.slice(0, 30)}"`);
        yield* check(/qop="?auth"?/.test(auth), "Digest without qop=auth");
        yield* check(
          /nc=0*1\b/.test(auth) && /cnonce="[^"]+"/.test(auth),
          "Digest without nc/cnonce",
        );
        const algorithm = /algorithm="?([\w-]+)"?/i.exec(auth)?.[1];
        yield* check(
          algorithm === undefined || /^md5(-sess)?$/i.test(algorithm),
          `algorithm ${algorithm}`,
        );
        const refused = ctx.acs.transcript.entries().filter((e) => e.response.status === 401);
        yield* check(refused.length >= 1, "the ACS never challenged (test setup)");
        // A1: over plain HTTP, credentials go only in answer to a challenge, never as Basic.
        const first = String(ctx.acs.transcript.entries()[0]?.request.headers.authorization ?? "");
        yield* check(!/^basic /i.test(first), "Basic credentials sent unasked over plain HTTP");
      }),
  },
  {
    ids: ["A1"],
    title: "answers a Basic challenge and completes the session",
    acs: { auth: { scheme: "basic", username: "cpe", password: "s3cret" } },
    settings: acsCredentials,
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = yield* exchangesOf(ctx, session);
        const auth = String(
          entries.find((e) => e.request.headers.authorization)?.request.headers.authorization ?? "",
        );
        yield* check(/^basic /i.test(auth), `Authorization "${auth.slice(0, 30)}"`);
      }),
  },
  {
    ids: ["A3"],
    title:
      "a Digest challenge without qop is answered without qop, nc and cnonce (RFC 2069 response)",
    settings: acsCredentials,
    // The first Inform is challenged by hand (no qop); the ACS itself does not authenticate,
    // so the answered retry is accepted and the Authorization it carried can be checked.
    prepare: (acs) =>
      acs.inject(
        {
          kind: "status",
          status: 401,
          headers: { "WWW-Authenticate": 'Digest realm="old-style", nonce="6e6f6e6365"' },
        },
        { message: "Inform" },
      ),
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = yield* exchangesOf(ctx, session);
        const auth = String(entries[0]?.request.headers.authorization ?? "");
        yield* check(/^digest /i.test(auth), `Authorization "${auth.slice(0, 30)}"`);
        yield* check(
          !/\b(qop|nc|cnonce)=/.test(auth),
          `qop/nc/cnonce sent to a server without qop: ${auth}`,
        );
        const params = parseAuthParams(auth.replace(/^digest\s+/i, ""));
        const expected = digestResponseMd5({
          username: "cpe",
          password: "s3cret",
          realm: "old-style",
          method: "POST",
          uri: params.uri ?? "",
          nonce: "6e6f6e6365",
        });
        yield* check(params.response === expected, "the Digest response is not MD5(HA1:nonce:HA2)");
      }),
  },
  {
    ids: ["H10", "§1.6-RetryCount"],
    title:
      "failed boot session retried with its events and RetryCount 1; RetryCount 0 after success",
    settings: fastRetry,
    prepare: (acs) => acs.inject({ kind: "status", status: 500 }, { message: "Inform" }),
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        yield* check(
          inform.inform.retryCount === 1,
          `retry Inform has RetryCount ${inform.inform.retryCount}`,
        );
        yield* check(
          hasEvent(inform, "1 BOOT"),
          `retry carried ${eventCodes(inform.inform.event).join(", ")}`,
        );
        yield* wake(ctx);
        const next = yield* nextInform(ctx, "after the Connection Request");
        yield* check(
          next.inform.retryCount === 0,
          `RetryCount ${next.inform.retryCount} after a successful session`,
        );
      }),
  },
  {
    ids: ["§1.6-RetryWait"],
    title: "retry waits within [m·k^(n-1), m·k^n] (m = 1 s, k = 2): 1-2 s then 2-4 s",
    timeoutMs: 15_000,
    settings: fastRetry,
    prepare: (acs) => acs.inject({ kind: "drop" }, { message: "Inform", times: 2 }),
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        yield* check(
          inform.inform.retryCount === 2,
          `third attempt has RetryCount ${inform.inform.retryCount}`,
        );
        const t = informAttempts(ctx.acs.transcript.entries());
        const [t0, t1, t2] = t;
        if (t0 === undefined || t1 === undefined || t2 === undefined)
          return yield* fail(`${t.length} attempts`);
        // Tolerance: the failure is seen a little after the attempt starts; timers are not exact.
        const within = (w: number, lo: number, hi: number) =>
          w >= lo * 1000 - 100 && w <= hi * 1000 + 500;
        yield* check(within(t1 - t0, 1, 2), `first wait ${t1 - t0} ms, expected 1000-2000`);
        yield* check(within(t2 - t1, 2, 4), `second wait ${t2 - t1} ms, expected 2000-4000`);
      }),
  },
  {
    ids: ["§1.6-RetryAfter"],
    title: "503 with Retry-After: 3 delays the retry at least 3 s (not the 1-2 s retry wait)",
    timeoutMs: 12_000,
    settings: fastRetry,
    prepare: (acs) =>
      acs.inject({ kind: "serviceUnavailable", retryAfterSeconds: 3 }, { message: "Inform" }),
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const [t0, t1] = informAttempts(ctx.acs.transcript.entries());
        if (t0 === undefined || t1 === undefined) return yield* fail("no retry recorded");
        yield* check(t1 - t0 >= 2_900, `retried after ${t1 - t0} ms`);
      }),
  },
  {
    ids: ["H11"],
    title: "ACS fault 8005 (Retry request) on the Inform: the Inform is sent again",
    settings: fastRetry,
    prepare: (acs) => acs.inject({ kind: "cwmpFault", code: 8005 }, { message: "Inform" }),
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const attempts = informAttempts(ctx.acs.transcript.entries());
        yield* check(attempts.length >= 2, `${attempts.length} Inform(s)`);
        yield* check(
          hasEvent(inform, "1 BOOT"),
          `resent Inform carried ${eventCodes(inform.inform.event).join(", ")}`,
        );
      }),
  },
];
