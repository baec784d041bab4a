/**
 * Scenarios of §1.9 (TR-069 Annex K): each starts a real XMPP server (Prosody,
 * `servers/prosody.ts`) on loopback with accounts for the device, the ACS and a stranger,
 * configures the XMPP connection that ManagementServer.ConnReqXMPPConnection names with
 * SetParameterValues (account, server, ConnReqAllowedJabberIDs = the ACS's bare JID), waits for
 * the device to publish its ConnReqJabberID, and sends `connectionRequest` IQs from the ACS's
 * own XMPP account (`xmpp-connection-request.ts`).
 * @module
 */
import { Effect } from "effect";
import { type Prosody, prosodyUnavailable, startProsody } from "../../servers/prosody.js";
import { makeXmppAcsClient } from "../../xmpp-connection-request.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  describeMessage,
  eventCodes,
  fail,
  hasEvent,
  informValue,
  nextInform,
  noInformWithin,
  sessionCompletes,
  skip,
} from "../scenario-checks.js";
import { scenarioServer } from "../scenario-servers.js";
import { drive, settled } from "../session-driver.js";
import { managementServer as ms } from "./parameter-paths.js";

const DEVICE = { username: "cpe", password: "cpe-xmpp-pass" };
const ACS = { username: "acs", password: "acs-xmpp-pass" };
const STRANGER = { username: "stranger", password: "stranger-xmpp-pass" };

/** What a scenario works with once the device's stream is up. */
interface XmppSetup {
  readonly server: Prosody;
  /** The device's ConnReqJabberID, as published. */
  readonly deviceJid: string;
}

/** Reads the connection ConnReqXMPPConnection names (`<root>XMPP.Connection.1.`). */
const xmppConnection = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    const name = ms(ctx, "ConnReqXMPPConnection");
    const { answers } = yield* drive(ctx, [{ _tag: "GetParameterValues", parameterNames: [name] }]);
    const a = answers[0];
    if (a?._tag === "Fault" && a.detail?.faultCode === 9005)
      return yield* skip("the device has no ConnReqXMPPConnection (no Annex K support)");
    if (a?._tag !== "GetParameterValuesResponse")
      return yield* fail(`GetParameterValues answered ${a ? describeMessage(a) : "nothing"}`);
    const value = a.parameterList[0]?.value ?? "";
    if (value === "") return yield* skip("ConnReqXMPPConnection names no XMPP connection");
    return value.endsWith(".") ? value : `${value}.`;
  });

/**
 * Starts Prosody with the accounts, points the device's XMPP connection at it and waits for the
 * device to publish the JID the server bound (ConnReqJabberID, active notification by default).
 */
const xmppSetup = (ctx: ScenarioContext, withStranger: boolean) =>
  Effect.gen(function* () {
    yield* settled(ctx);
    const connection = yield* xmppConnection(ctx);
    const server = yield* scenarioServer("Prosody (XMPP)", prosodyUnavailable, () =>
      startProsody(),
    );
    yield* Effect.tryPromise({
      try: async () => {
        for (const a of withStranger ? [DEVICE, ACS, STRANGER] : [DEVICE, ACS])
          await server.register(a.username, a.password);
      },
      catch: (e) => new Error(`prosodyctl register failed: ${String(e)}`),
    }).pipe(Effect.catchAll((e) => fail(e.message)));
    const c = (n: string) => `${connection}${n}`;
    const { answers } = yield* drive(ctx, [
      {
        _tag: "SetParameterValues",
        parameterList: [
          { name: c("Enable"), value: "true", type: "boolean" },
          { name: c("Domain"), value: server.domain, type: "string" },
          { name: c("Username"), value: DEVICE.username, type: "string" },
          { name: c("Password"), value: DEVICE.password, type: "string" },
          { name: c("Resource"), value: "cwmp", type: "string" },
          { name: c("ServerConnectAlgorithm"), value: "ServerTable", type: "string" },
          { name: c("ServerRetryInitialInterval"), value: "1", type: "unsignedInt" },
          { name: c("ServerRetryIntervalMultiplier"), value: "1000", type: "unsignedInt" },
          { name: c("ServerRetryMaxInterval"), value: "2", type: "unsignedInt" },
          { name: c("Server.1.Enable"), value: "true", type: "boolean" },
          { name: c("Server.1.ServerAddress"), value: server.host, type: "string" },
          { name: c("Server.1.Port"), value: String(server.port), type: "unsignedInt" },
          {
            name: ms(ctx, "ConnReqAllowedJabberIDs"),
            value: `${ACS.username}@${server.domain}`,
            type: "string",
          },
        ],
        parameterKey: "",
      },
    ]);
    const spv = answers[0];
    if (spv?._tag === "Fault" && spv.detail?.faultCode === 9005)
      return yield* skip(`the device has no ${connection}Server.1 or ConnReqAllowedJabberIDs`);
    yield* check(
      spv?._tag === "SetParameterValuesResponse",
      `SetParameterValues of the XMPP connection answered ${spv ? describeMessage(spv) : "nothing"}`,
    );
    // The stream comes up after the session; the new JID is an active notification.
    const jidName = ms(ctx, "ConnReqJabberID");
    const r = yield* nextInform(ctx, "the value change of ConnReqJabberID", 20_000);
    const deviceJid = informValue(r, jidName) ?? "";
    yield* check(
      hasEvent(r, "4 VALUE CHANGE") && deviceJid !== "",
      `after the XMPP settings, the Inform carried ${eventCodes(r.inform.event).join(", ")} with ConnReqJabberID "${deviceJid}"`,
    );
    yield* check(
      deviceJid.toLowerCase().startsWith(`${DEVICE.username}@${server.domain}`),
      `ConnReqJabberID "${deviceJid}" is not the device's account ${DEVICE.username}@${server.domain}`,
    );
    yield* sessionCompletes(ctx);
    return { server, deviceJid } satisfies XmppSetup;
  });

/** The ACS-side XMPP account `account` on `server`. */
const acsClient = (server: Prosody, account: typeof ACS) =>
  makeXmppAcsClient({
    service: server.service,
    domain: server.domain,
    username: account.username,
    password: account.password,
  }).pipe(Effect.catchAll((e) => fail(`the ACS's XMPP account did not connect: ${e.message}`)));

/** The scenarios of this file. */
export const xmppConnectionRequestScenarios: readonly Scenario[] = [
  {
    ids: ["§1.9-XMPP-ConnectionRequest"],
    title:
      "XMPP connection set by SPV (Prosody on loopback): ConnReqJabberID published; an IQ connectionRequest with the right credentials from an allowed JID gets an IQ result and one session with 6 CONNECTION REQUEST",
    timeoutMs: 90_000,
    run: (ctx) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { server, deviceJid } = yield* xmppSetup(ctx, false);
          const acs = yield* acsClient(server, ACS);
          const answer = yield* acs.connectionRequest(
            deviceJid,
            ctx.device.connectionRequestCredentials,
          );
          yield* check(answer === "result", `the IQ was answered ${answer}, expected result`);
          const r = yield* nextInform(ctx, "the XMPP Connection Request");
          yield* check(
            hasEvent(r, "6 CONNECTION REQUEST"),
            `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
          );
          yield* sessionCompletes(ctx);
          yield* noInformWithin(ctx, 1_500, "one XMPP Connection Request started a second session");
        }),
      ),
  },
  {
    ids: ["§1.9-XMPP-Refusals"],
    title:
      "XMPP Connection Requests with a wrong password or username get not-authorized, one from a JID outside ConnReqAllowedJabberIDs (right credentials) service-unavailable; none starts a session",
    timeoutMs: 90_000,
    run: (ctx) =>
      Effect.scoped(
        Effect.gen(function* () {
          const { server, deviceJid } = yield* xmppSetup(ctx, true);
          const acs = yield* acsClient(server, ACS);
          const stranger = yield* acsClient(server, STRANGER);
          const { username, password } = ctx.device.connectionRequestCredentials;
          const wrongPassword = yield* acs.connectionRequest(deviceJid, {
            username,
            password: `${password}x`,
          });
          yield* check(
            wrongPassword === "not-authorized",
            `a wrong password was answered ${wrongPassword}, expected not-authorized`,
          );
          const wrongUsername = yield* acs.connectionRequest(deviceJid, {
            username: `${username}x`,
            password,
          });
          yield* check(
            wrongUsername === "not-authorized",
            `a wrong username was answered ${wrongUsername}, expected not-authorized`,
          );
          const notAllowed = yield* stranger.connectionRequest(deviceJid, { username, password });
          yield* check(
            notAllowed === "service-unavailable",
            `a sender outside ConnReqAllowedJabberIDs was answered ${notAllowed}, expected service-unavailable`,
          );
          yield* noInformWithin(ctx, 2_000, "a refused XMPP Connection Request started a session");
        }),
      ),
  },
];
