/// <reference path="./internal/xmpp-modules.d.ts" />

import * as net from "node:net";
import {
  type Prosody,
  prosodyUnavailable,
  serversRequired,
  startProsody,
} from "@cpekit/acs-testkit";
import { client, xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { Effect, Exit, Option, Scope, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestPki, type TestPki } from "./test-support/test-pki.js";
import type {
  XmppConnectionRequestOptions,
  XmppConnectionRequestsService,
} from "./xmpp-connection-request.js";
import * as XmppConnectionRequestSource from "./xmpp-connection-request.js";
import { XMPP_CONN_REQ_NS } from "./xmpp-connection-request-decision.js";
import { defaultXmppSettings, type XmppSettings } from "./xmpp-settings.js";

const unavailable = prosodyUnavailable();
const skip = unavailable !== undefined && !serversRequired();
if (skip) console.warn(`skipping the Prosody XMPP tests: ${unavailable}`);

const CR = { username: "cr-user", password: "cr-pass" };

/** Runs the source in a scope the test closes. */
const open = async (options: XmppConnectionRequestOptions) => {
  const scope = Effect.runSync(Scope.make());
  const source = await Effect.runPromise(
    Scope.extend(XmppConnectionRequestSource.make(options), scope),
  );
  return { source, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) };
};

/** Polls `check` every 50 ms, at most `ms`. */
const until = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const isUp = (s: XmppConnectionRequestsService) => async () =>
  (await Effect.runPromise(s.state)) === "Enabled";

const upCount = async (s: XmppConnectionRequestsService) =>
  (await Effect.runPromise(s.events)).filter((e) => e.type === "up").length;

/** The ACS side: the stock `@xmpp/client`, as an ACS would use it. */
const acsClient = async (server: Prosody, user: string, password: string) => {
  const acs = client({
    service: server.service,
    domain: server.domain,
    username: user,
    password,
    resource: "acs",
  });
  acs.reconnect.stop();
  acs.on("error", () => undefined);
  await acs.start();
  return acs;
};

const connectionRequest = (to: string, username: string, password: string) =>
  xml(
    "iq",
    { type: "get", to, id: `cr-${Math.random().toString(36).slice(2)}` },
    xml(
      "connectionRequest",
      { xmlns: XMPP_CONN_REQ_NS },
      xml("username", {}, username),
      xml("password", {}, password),
    ),
  );

/** The IQ's answer: `result`, or the condition of its error. */
const answerOf = async (
  acs: Awaited<ReturnType<typeof acsClient>>,
  to: string,
  username: string,
  password: string,
): Promise<string> => {
  try {
    const reply: Element = await acs.iqCaller.request(connectionRequest(to, username, password));
    return reply.attrs.type ?? "?";
  } catch (e) {
    return (e as { condition?: string }).condition ?? String(e);
  }
};

describe.skipIf(skip)("XMPP connection requests against a real Prosody on 127.0.0.1 (§1.9)", () => {
  let server: Prosody;
  const device = (overrides: Partial<XmppSettings> = {}): XmppSettings => ({
    ...defaultXmppSettings,
    domain: server.domain,
    username: "cpe",
    password: "cpe-pass",
    resource: "cwmp",
    serverAddress: "127.0.0.1",
    serverPort: server.port,
    retryInitialSeconds: 1,
    retryMultiplier: 1000,
    retryMaxSeconds: 1,
    ...overrides,
  });

  beforeAll(async () => {
    if (unavailable !== undefined) throw new Error(`CPEKIT_REQUIRE_SERVERS=1 but ${unavailable}`);
    server = await startProsody();
    await server.register("cpe", "cpe-pass");
    await server.register("acs", "acs-pass");
    await server.register("intruder", "intruder-pass");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("§1.9: the right credentials from an allowed ACS get an IQ result and one session trigger; wrong ones not-authorized; an unlisted sender service-unavailable", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device(),
      allowedJabberIds: ["acs@cpekit.test"],
    });
    const acs = await acsClient(server, "acs", "acs-pass");
    const intruder = await acsClient(server, "intruder", "intruder-pass");
    try {
      await until("the device stream", isUp(source));
      const jid = await Effect.runPromise(source.jabberId);
      expect(jid).toEqual(Option.some("cpe@cpekit.test/cwmp"));
      const to = "cpe@cpekit.test/cwmp";

      expect(await answerOf(acs, to, "cr-user", "wrong")).toBe("not-authorized");
      expect(await answerOf(acs, to, "wrong", "cr-pass")).toBe("not-authorized");
      expect(await answerOf(intruder, to, "cr-user", "cr-pass")).toBe("service-unavailable");
      const before = await Effect.runPromise(source.events);
      expect(
        before.filter((e) => e.type === "request").map((e) => e.type === "request" && e.answer),
      ).toEqual(["notAuthorized", "notAuthorized", "notAllowed"]);

      expect(await answerOf(acs, to, "cr-user", "cr-pass")).toBe("result");
      expect(await answerOf(acs, to, "cr-user", "cr-pass")).toBe("result");
      const triggers = await Effect.runPromise(
        Stream.runCollect(Stream.take(source.triggers, 1)).pipe(Effect.timeout("5 seconds")),
      );
      expect(triggers.length).toBe(1);
      // Two requests before the session: one trigger; nothing more is queued.
      const second = await Effect.runPromise(
        Effect.either(
          Stream.runCollect(Stream.take(source.triggers, 1)).pipe(Effect.timeout("300 millis")),
        ),
      );
      expect(second._tag).toBe("Left");
    } finally {
      await acs.stop().catch(() => undefined);
      await intruder.stop().catch(() => undefined);
      await close();
    }
  }, 60_000);

  it("§1.9: Status is Enabled with the stream up; Stats count the request IQs received and the answers sent, error answers apart", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device(),
      allowedJabberIds: ["acs@cpekit.test"],
    });
    const acs = await acsClient(server, "acs", "acs-pass");
    try {
      await until("the device stream", isUp(source));
      const status = await Effect.runPromise(source.status);
      const up = (await Effect.runPromise(source.events)).find((e) => e.type === "up");
      expect(status).toEqual({ state: "Enabled", since: up?.at });
      const to = "cpe@cpekit.test/cwmp";
      const before = await Effect.runPromise(source.stats);
      expect(await answerOf(acs, to, "cr-user", "cr-pass")).toBe("result");
      const accepted = await Effect.runPromise(source.stats);
      expect(accepted).toEqual({
        receivedMessages: before.receivedMessages + 1,
        transmittedMessages: before.transmittedMessages + 1,
        receivedErrorMessages: before.receivedErrorMessages,
        transmittedErrorMessages: before.transmittedErrorMessages,
      });
      expect(await answerOf(acs, to, "cr-user", "wrong")).toBe("not-authorized");
      expect(await Effect.runPromise(source.stats)).toEqual({
        ...accepted,
        receivedMessages: accepted.receivedMessages + 1,
        transmittedMessages: accepted.transmittedMessages + 1,
        transmittedErrorMessages: accepted.transmittedErrorMessages + 1,
      });
    } finally {
      await acs.stop().catch(() => undefined);
      await close();
    }
  }, 60_000);

  it("§1.9: ServerConnectAttempts 2 against a port nobody listens on: two attempts, Status ServerNotPresent, then no more", async () => {
    // A port that was free a moment ago: nothing listens on it.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, "127.0.0.1", () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const { source, close } = await open({
      credentials: CR,
      settings: device({ serverPort: closed, connectAttempts: 2 }),
      allowedJabberIds: [],
    });
    try {
      await until("the connection to give up", async () =>
        (await Effect.runPromise(source.events)).some((e) => e.type === "gaveUp"),
      );
      const events = await Effect.runPromise(source.events);
      expect(events.filter((e) => e.type === "attempt")).toHaveLength(2);
      expect(events.filter((e) => e.type === "failed")).toHaveLength(2);
      expect(await Effect.runPromise(source.state)).toBe("ServerNotPresent");
    } finally {
      await close();
    }
  }, 60_000);

  it("§1.9: when the server drops the stream the device reconnects after the retry wait and answers again", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device(),
      allowedJabberIds: [],
    });
    try {
      await until("the device stream", isUp(source));
      expect(await upCount(source)).toBe(1);
      await server.restart();
      await until("the reconnection", async () => (await upCount(source)) >= 2, 30_000);
      const events = await Effect.runPromise(source.events);
      const waits = events.filter((e) => e.type === "wait");
      expect(waits.length).toBeGreaterThanOrEqual(1);
      for (const w of waits) if (w.type === "wait") expect(w.seconds).toBeLessThanOrEqual(1);
      expect(events.some((e) => e.type === "down")).toBe(true);
      expect(await Effect.runPromise(source.jabberId)).toEqual(Option.some("cpe@cpekit.test/cwmp"));
      const acs = await acsClient(server, "acs", "acs-pass");
      try {
        expect(await answerOf(acs, "cpe@cpekit.test/cwmp", "cr-user", "cr-pass")).toBe("result");
      } finally {
        await acs.stop().catch(() => undefined);
      }
    } finally {
      await close();
    }
  }, 90_000);

  it("§1.9: a bad password for the server account fails the attempt and is retried on the schedule", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device({ password: "not-the-password" }),
      allowedJabberIds: [],
    });
    try {
      // The state says why between attempts; the next attempt sets it to Connecting again, so
      // it is watched while the attempts fail rather than read once after them.
      const states = new Set<string>();
      await until(
        "two failed attempts, the state saying why",
        async () => {
          states.add(await Effect.runPromise(source.state));
          const ev = await Effect.runPromise(source.events);
          const failed = ev.filter((e) => e.type === "failed").length;
          return failed >= 2 && states.has("Error_AuthenticationFailure");
        },
        30_000,
      );
      expect([...states].filter((s) => s !== "Connecting")).toEqual([
        "Error_AuthenticationFailure",
      ]);
      expect(await Effect.runPromise(source.jabberId)).toEqual(Option.none());
    } finally {
      await close();
    }
  }, 60_000);
});

describe.skipIf(skip)("XMPP over STARTTLS against Prosody (§1.9)", () => {
  let server: Prosody;
  let pki: TestPki;
  const device = (): XmppSettings => ({
    ...defaultXmppSettings,
    domain: "localhost",
    username: "cpe",
    password: "cpe-pass",
    resource: "cwmp",
    serverAddress: "127.0.0.1",
    serverPort: server.port,
    retryInitialSeconds: 1,
    retryMultiplier: 1000,
    retryMaxSeconds: 1,
  });

  beforeAll(async () => {
    if (unavailable !== undefined) throw new Error(`CPEKIT_REQUIRE_SERVERS=1 but ${unavailable}`);
    pki = makeTestPki();
    server = await startProsody({
      domain: "localhost",
      tls: { key: pki.serverKey, cert: pki.serverCert },
    });
    await server.register("cpe", "cpe-pass");
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    pki?.cleanup();
  });

  it("§1.9: TLS is used when the server offers it, with the given CA trusted", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: { ...device(), useTls: true },
      allowedJabberIds: [],
      tls: { ca: pki.ca },
    });
    try {
      await until("the device stream", isUp(source));
      const up = (await Effect.runPromise(source.events)).find((e) => e.type === "up");
      expect(up?.type === "up" && up.secure).toBe(true);
    } finally {
      await close();
    }
  }, 60_000);

  it("§1.9: verification is on by default: a certificate from an unknown CA fails the attempt", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device(),
      allowedJabberIds: [],
    });
    try {
      await until("a failed attempt", async () =>
        (await Effect.runPromise(source.events)).some((e) => e.type === "failed"),
      );
      const failed = (await Effect.runPromise(source.events)).find((e) => e.type === "failed");
      expect(failed?.type === "failed" && failed.detail).toMatch(/certificate|self.signed|issuer/i);
      expect(await upCount(source)).toBe(0);
    } finally {
      await close();
    }
  }, 60_000);

  it("§1.9: verification can be turned off (tests only)", async () => {
    const { source, close } = await open({
      credentials: CR,
      settings: device(),
      allowedJabberIds: [],
      tls: { rejectUnauthorized: false },
    });
    try {
      await until("the device stream", isUp(source));
    } finally {
      await close();
    }
  }, 60_000);
});
