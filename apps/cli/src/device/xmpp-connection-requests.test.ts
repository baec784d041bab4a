import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  makeTestAcs,
  makeXmppAcsClient,
  type Prosody,
  prosodyUnavailable,
  serversRequired,
  startProsody,
} from "@cpekit/acs-testkit";
import { Effect, Either, Fiber } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProfile } from "../profile/load-profile.js";
import { deviceSpecOf } from "./device-spec.js";
import { startDevice } from "./start-device.js";

const MS = "Device.ManagementServer.";
const XC = "Device.XMPP.Connection.1.";
const base = {
  acs: { url: "http://127.0.0.1:7547/acs" },
  device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "P", serialNumber: "XMPP0001" },
  dataModel: {
    root: "Device",
    profile: "cellular-module",
    values: { [`${MS}PeriodicInformEnable`]: "false" },
  },
  connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
  store: "device.json",
};
const xmppSection = {
  domain: "cpekit.test",
  username: "cpe",
  password: "cpe-pass",
  allowedJabberIds: ["acs@cpekit.test"],
};
const file = "/srv/profiles/device.yaml";
const settle = (profile: unknown, at = file) =>
  Either.flatMap(decodeProfile(profile, at), (loaded) => deviceSpecOf(loaded, at));

describe("profile connectionRequest.xmpp (§1.9)", () => {
  it("§1.9: without it there is no XMPP object and SupportedConnReqMethods is HTTP", () => {
    const spec = Either.getOrThrow(settle(base));
    expect(spec.xmppConnectionRequest).toBeUndefined();
    expect(spec.values[`${MS}SupportedConnReqMethods`]).toBe("HTTP");
    expect(spec.schema.parameters.has(`${MS}ConnReqJabberID`)).toBe(false);
  });

  it("§1.9: it adds XMPP.Connection.1 and ConnReq*, SupportedConnReqMethods HTTP,XMPP, ConnReqJabberID active by default", () => {
    const spec = Either.getOrThrow(
      settle({
        ...base,
        connectionRequest: {
          ...base.connectionRequest,
          xmpp: {
            ...xmppSection,
            server: "127.0.0.1",
            port: 5223,
            retryInitialInterval: 7,
            connectAttempts: 5,
          },
        },
      }),
    );
    expect(spec.xmppConnectionRequest).toMatchObject({
      settings: {
        domain: "cpekit.test",
        username: "cpe",
        resource: "cwmp",
        serverAddress: "127.0.0.1",
        serverPort: 5223,
        retryInitialSeconds: 7,
        retryMultiplier: 2000,
        connectAttempts: 5,
      },
      allowedJabberIds: ["acs@cpekit.test"],
      rejectUnauthorized: true,
    });
    expect(spec.values).toMatchObject({
      [`${MS}SupportedConnReqMethods`]: "HTTP,XMPP",
      [`${MS}ConnReqXMPPConnection`]: "Device.XMPP.Connection.1",
      [`${MS}ConnReqAllowedJabberIDs`]: "acs@cpekit.test",
      [`${MS}ConnReqJabberID`]: "",
      [`${XC}Enable`]: "true",
      [`${XC}Domain`]: "cpekit.test",
      [`${XC}Username`]: "cpe",
      [`${XC}Resource`]: "cwmp",
      [`${XC}ServerConnectAlgorithm`]: "ServerTable",
      [`${XC}ServerRetryInitialInterval`]: "7",
      [`${XC}ServerConnectAttempts`]: "5",
      [`${XC}Server.1.ServerAddress`]: "127.0.0.1",
      [`${XC}Server.1.Port`]: "5223",
    });
    expect(spec.instances["Device.XMPP.Connection."]).toEqual([1]);
    // Status, LastChangeDate and Stats are in the schema, served live (not factory values).
    for (const n of ["Status", "LastChangeDate", "Stats.ReceivedMessages"]) {
      expect(spec.schema.parameters.has(`Device.XMPP.Connection.{i}.${n}`)).toBe(true);
      expect(spec.values[`${XC}${n}`]).toBeUndefined();
    }
    expect(spec.instances["Device.XMPP.Connection.1.Server."]).toEqual([1]);
    expect(spec.schema.parameters.get(`${MS}ConnReqJabberID`)?.activeNotify).toBe(
      "forceDefaultEnabled",
    );
    // The rest of the named profile is still there.
    expect(spec.schema.parameters.has("Device.Cellular.RoamingEnabled")).toBe(true);
  });

  it("§1.9: with UDP too SupportedConnReqMethods is HTTP,STUN,XMPP", () => {
    const spec = Either.getOrThrow(
      settle({
        ...base,
        connectionRequest: { ...base.connectionRequest, udp: true, xmpp: xmppSection },
      }),
    );
    expect(spec.values[`${MS}SupportedConnReqMethods`]).toBe("HTTP,STUN,XMPP");
    expect(spec.schema.parameters.has(`${MS}STUNEnable`)).toBe(true);
    expect(spec.values[`${XC}ServerConnectAlgorithm`]).toBe("DNS-SRV");
  });

  it("§1.9: the InternetGatewayDevice root and bad fields are refused by name", () => {
    const igd = settle({
      ...base,
      dataModel: { root: "InternetGatewayDevice", profile: "home-gateway" },
      connectionRequest: { ...base.connectionRequest, xmpp: xmppSection },
    });
    expect(Either.isLeft(igd) ? igd.left.problems.join("\n") : "").toMatch(
      /connectionRequest\.xmpp: .*"Device" root only/,
    );
    const bad = settle({
      ...base,
      connectionRequest: {
        ...base.connectionRequest,
        xmpp: { ...xmppSection, retryIntervalMultiplier: 999 },
      },
    });
    expect(Either.isLeft(bad) ? bad.left.problems.join("\n") : "").toMatch(
      /retryIntervalMultiplier/,
    );
    const noDomain = settle({
      ...base,
      connectionRequest: { ...base.connectionRequest, xmpp: { username: "cpe" } },
    });
    expect(Either.isLeft(noDomain) ? noDomain.left.problems.join("\n") : "").toMatch(/domain/);
  });
});

const unavailable = prosodyUnavailable();
const skip = unavailable !== undefined && !serversRequired();
if (skip) console.warn(`skipping the cpekit XMPP device test: ${unavailable}`);

describe.skipIf(skip)(
  "cpekit device with XMPP connection requests (§1.9), Prosody on loopback",
  () => {
    let server: Prosody;
    const dirs: string[] = [];
    beforeAll(async () => {
      if (unavailable !== undefined) throw new Error(`CPEKIT_REQUIRE_SERVERS=1 but ${unavailable}`);
      server = await startProsody();
      await server.register("cpe", "cpe-pass");
      await server.register("acs", "acs-pass");
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    });

    it("§1.9: the device publishes ConnReqJabberID to the ACS; an XMPP connection request with the right credentials gives one 6 CONNECTION REQUEST session, wrong ones not-authorized and no session; Status Enabled, LastChangeDate and Stats.ReceivedMessages read in a later session", async () => {
      const dir = await mkdtemp(join(tmpdir(), "cpekit-xmpp-cli-"));
      dirs.push(dir);
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const acs = yield* makeTestAcs();
            const at = join(dir, "device.yaml");
            const spec = Either.getOrThrow(
              settle(
                {
                  ...base,
                  acs: { url: acs.url },
                  connectionRequest: {
                    ...base.connectionRequest,
                    xmpp: { ...xmppSection, server: "127.0.0.1", port: server.port },
                  },
                },
                at,
              ),
            );
            yield* startDevice(spec, () => {});
            const wait = { timeoutMs: 10_000 };
            let inform = yield* acs.nextInform(wait);
            const jid = (i: typeof inform) =>
              i.inform.parameterList.find((p) => p.name === `${MS}ConnReqJabberID`)?.value;
            // The JID comes once the stream is up: in the boot Inform or a 4 VALUE CHANGE one.
            for (let n = 0; n < 3 && jid(inform) !== "cpe@cpekit.test/cwmp"; n++)
              inform = yield* acs.nextInform(wait);
            expect(jid(inform)).toBe("cpe@cpekit.test/cwmp");

            const sender = yield* makeXmppAcsClient({
              service: server.service,
              domain: server.domain,
              username: "acs",
              password: "acs-pass",
            });
            expect(
              yield* sender.connectionRequest("cpe@cpekit.test/cwmp", {
                username: "u",
                password: "x",
              }),
            ).toBe("not-authorized");
            expect(
              yield* sender.connectionRequest("cpe@cpekit.test/cwmp", {
                username: "u",
                password: "p",
              }),
            ).toBe("result");
            let woken = yield* acs.nextInform(wait);
            // A VALUE CHANGE session still under way may come first.
            if (!woken.inform.event.some((e) => e.eventCode === "6 CONNECTION REQUEST"))
              woken = yield* acs.nextInform(wait);
            expect(woken.inform.event.map((e) => e.eventCode)).toEqual(["6 CONNECTION REQUEST"]);
            // The refused request started nothing: no further session comes.
            const more = yield* Effect.either(acs.nextInform({ timeoutMs: 1_500 }));
            expect(more._tag).toBe("Left");
            // The connection's live values, read in a session woken through XMPP.
            const names = [`${XC}Status`, `${XC}LastChangeDate`, `${XC}Stats.ReceivedMessages`];
            const read = yield* Effect.fork(
              acs.call(
                woken.deviceId,
                { _tag: "GetParameterValues", parameterNames: names },
                { timeoutMs: 10_000 },
              ),
            );
            yield* Effect.yieldNow();
            expect(
              yield* sender.connectionRequest("cpe@cpekit.test/cwmp", {
                username: "u",
                password: "p",
              }),
            ).toBe("result");
            const answer = yield* Fiber.join(read);
            const values =
              answer._tag === "GetParameterValuesResponse"
                ? answer.parameterList.map((p) => p.value)
                : [];
            expect(values[0]).toBe("Enabled");
            expect(values[1]).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
            // At least the three connection-request IQs.
            expect(Number(values[2])).toBeGreaterThanOrEqual(3);
          }),
        ).pipe(
          Effect.timeoutFail({ duration: "40 seconds", onTimeout: () => new Error("timed out") }),
        ),
      );
    }, 60_000);
  },
);
