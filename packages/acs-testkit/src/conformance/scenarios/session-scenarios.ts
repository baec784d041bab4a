/**
 * Scenarios of §1.1 (versions, namespaces, headers) and §1.2 (HTTP session rules), checked on
 * the wire through the ACS's transcript.
 * @module
 */
import { Effect } from "effect";
import { strictProfile } from "../../strict-profile.js";
import type { TranscriptEntry } from "../../transcript.js";
import type { Scenario } from "../scenario.js";
import { check, skip } from "../scenario-checks.js";
import { drive, exchangesOf, settled } from "../session-driver.js";

const header = (e: TranscriptEntry, name: string): string | undefined => {
  const v = e.request.headers[name];
  return Array.isArray(v) ? v.join(", ") : (v as string | undefined);
};

const getRpcMethods = { _tag: "GetRPCMethods" } as const;

/** The scenarios of this file. */
export const sessionScenarios: readonly Scenario[] = [
  {
    ids: ["H1"],
    title: "first POST of every session is an Inform; no CPE request before InformResponse",
    run: (ctx) =>
      Effect.gen(function* () {
        const boot = yield* settled(ctx);
        const again = yield* drive(ctx, [getRpcMethods]);
        for (const s of [boot.session, again.session]) {
          const entries = yield* exchangesOf(ctx, s);
          yield* check(
            entries[0]?.request.message === "Inform",
            `session began with ${entries[0]?.request.message}`,
          );
          const h1 = s.violations.filter((v) => v.startsWith("H1"));
          yield* check(h1.length === 0, h1.join("; "));
        }
        const stray = ctx.acs.transcript
          .entries()
          .filter(
            (e) => e.kind === "cwmp" && e.sessionId === undefined && e.request.message !== "Inform",
          );
        yield* check(
          stray.length === 0,
          `${stray.length} POST(s) outside a session (${stray[0]?.request.message})`,
        );
      }),
  },
  {
    ids: ["H2"],
    title: "empty POST after the Inform; ACS requests answered one per POST",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { session } = yield* drive(ctx, [
          getRpcMethods,
          {
            _tag: "GetParameterValues",
            parameterNames: [`${ctx.device.root}DeviceInfo.SerialNumber`],
          },
        ]);
        const seq = (yield* exchangesOf(ctx, session)).map((e) => e.request.message ?? "?");
        const expected = ["Inform", "empty", "GetRPCMethodsResponse", "GetParameterValuesResponse"];
        yield* check(
          JSON.stringify(seq) === JSON.stringify(expected),
          `POSTs were ${seq.join(" → ")}, expected ${expected.join(" → ")}`,
        );
        const h2 = session.violations.filter((v) => v.startsWith("H2"));
        yield* check(h2.length === 0, h2.join("; "));
      }),
  },
  {
    ids: ["H3"],
    title: "after the ACS's 204 the CPE sends nothing more in that session",
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = yield* exchangesOf(ctx, session);
        const last = entries.at(-1);
        yield* check(
          last?.response.status === 204,
          `last answer was ${last?.response.status}, expected 204`,
        );
        const cwmpCount = () =>
          ctx.acs.transcript.entries().filter((e) => e.kind === "cwmp").length;
        const before = cwmpCount();
        yield* Effect.sleep("500 millis");
        yield* check(cwmpCount() === before, `${cwmpCount() - before} POST(s) after the 204`);
        yield* check(ctx.acs.openSessions() === 0, "a session is still open after the 204");
      }),
  },
  {
    ids: ["H4"],
    title: "Inform MaxEnvelopes is 1",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        yield* check(
          inform.inform.maxEnvelopes === 1,
          `MaxEnvelopes ${inform.inform.maxEnvelopes}`,
        );
      }),
  },
  {
    ids: ["H5"],
    title: "one persistent TCP connection per session; next POST only after the previous answer",
    acs: { profile: "strict" },
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        // A slow InformResponse: a pipelining CPE would post again before it arrives.
        ctx.acs.inject(
          { kind: "delay", ms: 300 },
          { message: "Inform", deviceId: ctx.device.deviceId },
        );
        const { session } = yield* drive(ctx, [getRpcMethods]);
        yield* check(
          session.connections.length === 1,
          `session used ${session.connections.length} TCP connections`,
        );
        const entries = yield* exchangesOf(ctx, session);
        for (let i = 1; i < entries.length; i++) {
          const prev = entries[i - 1];
          const cur = entries[i];
          if (prev === undefined || cur === undefined) continue;
          const answeredAt = Date.parse(prev.startedAt) + prev.durationMs;
          yield* check(
            Date.parse(cur.startedAt) + 5 >= answeredAt,
            `POST #${cur.seq} arrived before the answer to #${prev.seq} was sent (pipelining)`,
          );
        }
      }),
  },
  {
    ids: ["H6"],
    title: "session cookie returned on every later POST of the session",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { session } = yield* drive(ctx, [getRpcMethods]);
        const entries = (yield* exchangesOf(ctx, session)).slice(1);
        yield* check(entries.length >= 2, `only ${entries.length} POSTs after the Inform`);
        for (const e of entries) {
          const cookie = header(e, "cookie") ?? "";
          yield* check(
            cookie.includes(`${ctx.acs.profile.cookieName}=${session.sessionId}`),
            `POST #${e.seq} (${e.request.message}) carried cookie "${cookie}"`,
          );
        }
      }),
  },
  {
    ids: ["H9"],
    title:
      "a 307 redirect of the session's first POST is followed; the session runs at the new URL",
    prepare: (acs) =>
      acs.inject(
        { kind: "status", status: 307, headers: { Location: `${acs.url}?redirected=1` } },
        { message: "Inform" },
      ),
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = yield* exchangesOf(ctx, session);
        yield* check(entries.length >= 2, `${entries.length} POSTs in the redirected session`);
        const off = entries.filter((e) => !e.url.includes("redirected=1"));
        yield* check(
          off.length === 0,
          `POST #${off[0]?.seq} went to ${off[0]?.url}, not the redirect target`,
        );
        const redirected = ctx.acs.transcript.entries().filter((e) => e.response.status === 307);
        yield* check(
          redirected.length === 1,
          `${redirected.length} redirect(s) answered (test setup)`,
        );
      }),
  },
  {
    ids: ["H7"],
    title: 'Content-Type text/xml; charset="utf-8" and a SOAPAction header on CWMP POSTs',
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const entries = (yield* exchangesOf(ctx, session)).filter(
          (e) => e.request.message !== "empty",
        );
        yield* check(entries.length > 0, "no CWMP POST with a body");
        for (const e of entries) {
          const type = (header(e, "content-type") ?? "").toLowerCase();
          yield* check(
            type.startsWith("text/xml") && /charset="?utf-8"?/.test(type),
            `POST #${e.seq} Content-Type "${type}"`,
          );
          yield* check(
            header(e, "soapaction") !== undefined,
            `POST #${e.seq} has no SOAPAction header`,
          );
        }
      }),
  },
  {
    ids: ["V1"],
    title: "informs in a version 1.0-1.4; completes sessions with an ACS limited to 1.0-1.2",
    acs: { profile: strictProfile({ acsVersions: ["1.0", "1.1", "1.2"] }) },
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        yield* check(
          ["1.0", "1.1", "1.2"].includes(inform.version),
          `the ACS settled version ${inform.version}`,
        );
        const { answers } = yield* drive(ctx, [getRpcMethods]);
        yield* check(
          answers[0]?._tag === "GetRPCMethodsResponse",
          "no GetRPCMethodsResponse in 1.2",
        );
      }),
  },
  {
    ids: ["V2"],
    title: "cwmp namespace is urn:dslforum-org:cwmp-1-0/1-1/1-2 (1.3/1.4 use cwmp-1-2)",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const ns = inform.cpeNamespaceUri ?? "";
        const expected =
          inform.version === "1.0"
            ? "urn:dslforum-org:cwmp-1-0"
            : inform.version === "1.1"
              ? "urn:dslforum-org:cwmp-1-1"
              : "urn:dslforum-org:cwmp-1-2";
        yield* check(ns === expected, `namespace "${ns}" for version ${inform.version}`);
      }),
  },
  {
    ids: ["V3"],
    title: "SOAP 1.1 envelope namespace; soap-enc:arrayType on EventList and ParameterList",
    run: (ctx) =>
      Effect.gen(function* () {
        const { session } = yield* settled(ctx);
        const body = (yield* exchangesOf(ctx, session))[0]?.request.body ?? "";
        yield* check(
          body.includes("http://schemas.xmlsoap.org/soap/envelope/"),
          "no SOAP 1.1 envelope namespace in the Inform",
        );
        yield* check(
          body.includes("http://schemas.xmlsoap.org/soap/encoding/"),
          "no SOAP encoding namespace",
        );
        yield* check(
          /arrayType="[^"]*EventStruct\[\d+\]"/.test(body),
          "Event has no arrayType EventStruct[n]",
        );
        yield* check(
          /arrayType="[^"]*ParameterValueStruct\[\d+\]"/.test(body),
          "ParameterList has no arrayType ParameterValueStruct[n]",
        );
      }),
  },
  {
    ids: ["V4"],
    title: "cwmp:ID of each ACS request echoed in the CPE's response",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { session } = yield* drive(ctx, [getRpcMethods, getRpcMethods]);
        const v4 = session.violations.filter((v) => v.startsWith("V4"));
        yield* check(v4.length === 0, v4.join("; "));
        const entries = yield* exchangesOf(ctx, session);
        for (let i = 1; i < entries.length; i++) {
          const sent = entries[i - 1]?.response.envelope;
          const answer = entries[i]?.request.envelope;
          if (sent === undefined || sent.body._tag === "InformResponse" || answer === undefined)
            continue;
          yield* check(
            answer.header.id === sent.header.id,
            `ID ${answer.header.id} answers request ID ${sent.header.id}`,
          );
        }
        yield* check(
          session.acsRequests.every((r) => r.response !== undefined),
          "a request went unanswered",
        );
      }),
  },
  {
    ids: ["V6"],
    title: "cwmp:SessionTimeout (1.3+), when sent, is a positive unsignedInt",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const t = inform.header.sessionTimeout;
        if (t === undefined) {
          if (inform.version === "1.3" || inform.version === "1.4")
            return yield* skip("the CPE sends no SessionTimeout (optional)");
          return yield* skip(`version ${inform.version} has no SessionTimeout`);
        }
        yield* check(Number.isInteger(t) && t > 0, `SessionTimeout ${t}`);
      }),
  },
  {
    ids: ["V7"],
    title: "SupportedCWMPVersions in the 1.4 Inform; UseCWMPVersion from the ACS accepted",
    acs: { profile: "strict" },
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform, session } = yield* settled(ctx);
        if (inform.version !== "1.4" && inform.header.supportedCwmpVersions === undefined)
          return yield* skip(`CPE informs in ${inform.version} without SupportedCWMPVersions`);
        const list = (inform.header.supportedCwmpVersions ?? "").split(",").map((v) => v.trim());
        yield* check(
          list.length > 0 && list.every((v) => /^1\.[0-4]$/.test(v)),
          `SupportedCWMPVersions "${inform.header.supportedCwmpVersions}" is not a list of 1.0..1.4`,
        );
        const raw = (yield* exchangesOf(ctx, session))[0]?.request.body ?? "";
        const m = /<[^>]*SupportedCWMPVersions[^>]*mustUnderstand="([01])"/.exec(raw);
        if (m !== null) yield* check(m[1] === "0", "SupportedCWMPVersions has mustUnderstand=1");
        const answer = (yield* exchangesOf(ctx, session))[0]?.response.envelope;
        yield* check(answer?.header.useCwmpVersion !== undefined, "the ACS sent no UseCWMPVersion");
        yield* check(
          session.outcome === "completed",
          "session with UseCWMPVersion did not complete",
        );
      }),
  },
];
