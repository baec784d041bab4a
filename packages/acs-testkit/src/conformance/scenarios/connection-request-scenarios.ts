/**
 * Scenarios of §1.7 (HTTP Connection Request, C1-C7) and the `6 CONNECTION REQUEST` event.
 * @module
 */
import { Effect } from "effect";
import type { InformRecord } from "../../acs-session.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  eventCodes,
  fail,
  hasEvent,
  informValue,
  nextInform,
  noInformWithin,
} from "../scenario-checks.js";
import { drive, settled, wake } from "../session-driver.js";

const connectionRequestEvent = "6 CONNECTION REQUEST";
const crUrlName = (ctx: ScenarioContext) =>
  `${ctx.device.root}ManagementServer.ConnectionRequestURL`;

/** Sends a Connection Request with the given password; yields the final status. */
const crWith = (ctx: ScenarioContext, password: string) =>
  ctx.acs.connectionRequest(
    ctx.device.connectionRequestUrl,
    ctx.device.connectionRequestCredentials.username,
    password,
  );

const crEntries = (ctx: ScenarioContext) =>
  ctx.acs.transcript.entries().filter((e) => e.kind === "connectionRequest");

/** Informs that arrive within `ms`, stopping at the first gap of `ms`. */
const informsWithin = (ctx: ScenarioContext, ms: number) =>
  Effect.gen(function* () {
    const out: InformRecord[] = [];
    for (;;) {
      const r = yield* Effect.either(
        ctx.acs.nextInform({ deviceId: ctx.device.deviceId, timeoutMs: ms }),
      );
      if (r._tag === "Left") {
        if (r.left.reason === "Timeout") return out;
        return yield* Effect.fail(r.left);
      }
      out.push(r.right);
    }
  });

/** The scenarios of this file. */
export const connectionRequestScenarios: readonly Scenario[] = [
  {
    ids: ["C1"],
    title:
      "ConnectionRequestURL http://host:port/path in the Inform; a GET with credentials starts a session",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const url = informValue(inform, crUrlName(ctx));
        yield* check(url !== undefined, `no ${crUrlName(ctx)} in the Inform`);
        yield* check(
          url === ctx.device.connectionRequestUrl,
          `Inform has ${url}, device listens on ${ctx.device.connectionRequestUrl}`,
        );
        const parsed = URL.canParse(url ?? "") ? new URL(url ?? "") : undefined;
        yield* check(
          parsed !== undefined && parsed.port !== "" && parsed.pathname.length > 1,
          `URL ${url} is not http://host:port/path`,
        );
        yield* wake(ctx);
        const next = yield* nextInform(ctx, "after the Connection Request");
        yield* check(
          hasEvent(next, connectionRequestEvent),
          `Inform carried ${eventCodes(next.inform.event).join(", ")}`,
        );
      }),
  },
  {
    ids: ["C2"],
    title: "ConnectionRequestURL uses http, not https",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const url = informValue(inform, crUrlName(ctx)) ?? "";
        yield* check(url.startsWith("http://"), `ConnectionRequestURL "${url}"`);
      }),
  },
  {
    ids: ["C3"],
    title:
      "Digest required: no credentials or a wrong password get 401 and no session; right ones a session",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const wrong = yield* crWith(ctx, `${ctx.device.connectionRequestCredentials.password}x`);
        yield* check(wrong === 401, `wrong password answered ${wrong}`);
        const challenge = crEntries(ctx).at(-1);
        const auth = String(challenge?.request.headers.authorization ?? "");
        yield* check(
          challenge?.notes.some((n) => n.startsWith("challenged")) === true,
          "a GET without credentials was not challenged (401)",
        );
        yield* check(/^digest /i.test(auth), "the CPE offered no Digest challenge");
        yield* noInformWithin(
          ctx,
          1_500,
          "a Connection Request with a wrong password started a session",
        );
        yield* wake(ctx);
        const next = yield* nextInform(ctx, "after an authenticated Connection Request");
        yield* check(
          hasEvent(next, connectionRequestEvent),
          `Inform carried ${eventCodes(next.inform.event).join(", ")}`,
        );
      }),
  },
  {
    ids: ["C4"],
    title: "answered 200/204 before the session starts",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* wake(ctx);
        const next = yield* nextInform(ctx, "after the Connection Request");
        const cr = crEntries(ctx).at(-1);
        if (cr === undefined) return yield* fail("no Connection Request in the transcript");
        const answeredAt = Date.parse(cr.startedAt) + cr.durationMs;
        yield* check(
          Date.parse(next.receivedAt) + 5 >= answeredAt,
          `the Inform (${next.receivedAt}) came before the Connection Request was answered`,
        );
      }),
  },
  {
    ids: ["C5"],
    title:
      "a burst of Connection Requests gives one session (two if one arrives during it), within 30 s, with 6 CONNECTION REQUEST",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { username, password } = ctx.device.connectionRequestCredentials;
        const statuses = yield* Effect.all(
          [1, 2, 3].map(() =>
            ctx.acs.connectionRequest(ctx.device.connectionRequestUrl, username, password),
          ),
          { concurrency: "unbounded" },
        );
        yield* check(
          statuses.every((s) => s === 200 || s === 204 || s === 503),
          `statuses ${statuses.join(", ")}`,
        );
        const informs = yield* informsWithin(ctx, 2_000);
        const first = informs[0];
        if (first === undefined) return yield* fail("no session after the burst");
        yield* check(
          hasEvent(first, connectionRequestEvent),
          `Inform carried ${eventCodes(first.inform.event).join(", ")}`,
        );
        const late = crEntries(ctx).filter(
          (e) => Date.parse(e.startedAt) > Date.parse(first.receivedAt),
        );
        const allowed = late.length > 0 ? 2 : 1;
        yield* check(
          informs.length <= allowed,
          `${informs.length} sessions for one burst (${late.length} request(s) during the session)`,
        );
      }),
  },
  {
    ids: ["C5"],
    title: "a Connection Request during a session does not end it (queued after it, or 503)",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        // The ACS takes its time answering the empty POST: the session stays open meanwhile.
        ctx.acs.inject(
          { kind: "delay", ms: 800 },
          { message: "empty", deviceId: ctx.device.deviceId },
        );
        yield* wake(ctx);
        const first = yield* nextInform(ctx, "the first session");
        yield* Effect.sleep("200 millis");
        const during = yield* crWith(ctx, ctx.device.connectionRequestCredentials.password);
        yield* check(
          during === 200 || during === 204 || during === 503,
          `answered ${during} during the session`,
        );
        const s = yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
        yield* check(
          s.sessionId === first.sessionId && s.outcome === "completed",
          `the session ended ${s.outcome}`,
        );
        if (during !== 503) {
          const after = yield* nextInform(ctx, "the session queued by the Connection Request");
          yield* check(
            hasEvent(after, connectionRequestEvent),
            `Inform carried ${eventCodes(after.inform.event).join(", ")}`,
          );
        }
      }),
  },
  {
    ids: ["C5"],
    title: "Connection Requests are rate-limited: a flood gets 503",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { username, password } = ctx.device.connectionRequestCredentials;
        const statuses: number[] = [];
        for (let i = 0; i < 120 && !statuses.includes(503); i++)
          statuses.push(
            yield* ctx.acs.connectionRequest(ctx.device.connectionRequestUrl, username, password),
          );
        yield* check(
          statuses.includes(503),
          `${statuses.length} Connection Requests, none refused with 503`,
        );
      }),
  },
  {
    ids: ["C6"],
    title:
      "HTTPConnectionRequestEnable=false closes the Connection Request port (URL emptiness not checked)",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = `${ctx.device.root}ManagementServer.HTTPConnectionRequestEnable`;
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [{ name, value: "false", type: "boolean" }],
            parameterKey: "c6",
          },
        ]);
        yield* check(
          answers[0]?._tag === "SetParameterValuesResponse",
          `SetParameterValues of ${name} answered ${answers[0]?._tag}`,
        );
        yield* Effect.sleep("300 millis");
        const status = yield* Effect.either(
          crWith(ctx, ctx.device.connectionRequestCredentials.password),
        );
        yield* check(
          status._tag === "Left",
          `the port still answers (${status._tag === "Right" ? status.right : ""})`,
        );
      }),
  },
  {
    ids: ["C7"],
    title: "ConnectionRequestURL in every Inform and active notification by default",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const { inform: second, answers } = yield* drive(ctx, [
          { _tag: "GetParameterAttributes", parameterNames: [crUrlName(ctx)] },
        ]);
        for (const r of [inform, second])
          yield* check(
            informValue(r, crUrlName(ctx)) !== undefined,
            `Inform ${eventCodes(r.inform.event).join(", ")} lacks ConnectionRequestURL`,
          );
        const a = answers[0];
        if (a?._tag !== "GetParameterAttributesResponse")
          return yield* fail(`GetParameterAttributes answered ${a?._tag}`);
        const n = a.parameterList.find((p) => p.name === crUrlName(ctx))?.notification;
        yield* check(
          n === 2,
          `Notification of ConnectionRequestURL is ${n}, expected 2 (forceDefaultEnabled)`,
        );
      }),
  },
  {
    ids: ["§1.5-6-CONNECTION-REQUEST"],
    title: "6 CONNECTION REQUEST in the woken Inform, not retried after a failed session",
    settings: { "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "1" },
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* wake(ctx);
        const ok = yield* nextInform(ctx, "after the Connection Request");
        yield* check(
          hasEvent(ok, connectionRequestEvent),
          `Inform carried ${eventCodes(ok.inform.event).join(", ")}`,
        );
        yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
        // The next session fails at its Inform; its retry must not carry the event again.
        ctx.acs.inject(
          { kind: "status", status: 500 },
          { message: "Inform", deviceId: ctx.device.deviceId },
        );
        yield* wake(ctx);
        const retries = yield* informsWithin(ctx, 3_000);
        const again = retries.filter((r) => hasEvent(r, connectionRequestEvent));
        yield* check(
          again.length === 0,
          `the retry carried 6 CONNECTION REQUEST (${again.length} time(s))`,
        );
      }),
  },
];
