import * as dgram from "node:dgram";
import { signUdpConnectionRequest, udpConnectionRequestText } from "@cpekit/acs-testkit";
import { Effect, Option, Schedule, type Scope, Stream } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { findAttribute, StunAttr, verifyStunIntegrity } from "./stun-message.js";
import { defaultStunSettings, type StunSettings } from "./stun-settings.js";
import { type StunResponder, startStunResponder } from "./test-support/stun-responder.js";
import * as UdpConnectionRequest from "./udp-connection-request.js";

const creds = { username: "cpe", password: "pw" };
const nowSeconds = () => Math.floor(Date.now() / 1000);
const loopbackOnly = { lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }] };

/** Runs `body` with a UDP socket on 127.0.0.1, bounded to 15 s. */
const withUdp = <A>(
  options: Partial<UdpConnectionRequest.UdpConnectionRequestOptions>,
  body: (
    udp: UdpConnectionRequest.UdpConnectionRequestsService,
  ) => Effect.Effect<A, unknown, Scope.Scope>,
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(
        UdpConnectionRequest.make({
          credentials: creds,
          host: "127.0.0.1",
          acsHost: "127.0.0.1",
          interfaces: loopbackOnly,
          ...options,
        }),
        body,
      ),
    ).pipe(Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("timed out") })),
  );

/** Waits (bounded) until the listener has judged `n` datagrams. */
const judged = (udp: UdpConnectionRequest.UdpConnectionRequestsService, n: number) =>
  udp.outcomes.pipe(
    Effect.filterOrFail((o) => o.length >= n),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo("5 seconds"))),
  );

/** Waits (bounded) for a binding satisfying `ok`. */
const bindingWhere = (
  udp: UdpConnectionRequest.UdpConnectionRequestsService,
  ok: (address: string) => boolean,
) =>
  udp.binding.pipe(
    Effect.flatMap((b) =>
      Option.isSome(b) && ok(b.value.address) ? Effect.succeed(b.value) : Effect.fail("none"),
    ),
    Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.upTo("10 seconds"))),
  );

/** Waits (bounded) until `list` has at least `n` entries, then a little more for any extra. */
const atLeast = (list: readonly unknown[], n: number) =>
  Effect.suspend(() => (list.length >= n ? Effect.void : Effect.fail("short"))).pipe(
    Effect.retry(Schedule.spaced("5 millis").pipe(Schedule.upTo("5 seconds"))),
    Effect.zipRight(Effect.sleep("30 millis")),
    Effect.ignore,
  );

/** Collects the listener's triggers, as they come, for as long as the scope lasts. */
const collectTriggers = (udp: UdpConnectionRequest.UdpConnectionRequestsService) =>
  Effect.gen(function* () {
    const triggers: unknown[] = [];
    yield* Effect.forkScoped(
      Stream.runForEach(udp.triggers, (t) => Effect.sync(() => triggers.push(t))),
    );
    return triggers;
  });

/** Sends datagrams from a socket that also collects anything sent back to it. */
const sender = async () => {
  const socket = dgram.createSocket("udp4");
  const received: Buffer[] = [];
  socket.on("message", (m) => received.push(m));
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  return {
    received,
    send: (port: number, text: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(Buffer.from(text), port, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
      ),
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
};

describe("UDP connection request listener (§1.8, Annex G) over loopback", () => {
  it("§1.8: one valid request sent 3× gives one trigger; the copies are dropped as replays; nothing is ever answered", async () => {
    const s = await sender();
    try {
      await withUdp({}, (udp) =>
        Effect.gen(function* () {
          const triggers = yield* collectTriggers(udp);
          const text = udpConnectionRequestText(
            { host: "127.0.0.1", port: udp.local.port },
            signUdpConnectionRequest("cpe", "pw", nowSeconds()),
          );
          for (let i = 0; i < 3; i++) yield* Effect.promise(() => s.send(udp.local.port, text));
          expect(yield* judged(udp, 3)).toEqual(["accepted", "replayed", "replayed"]);
          yield* atLeast(triggers, 1);
          expect(triggers).toHaveLength(1);
          expect(s.received).toEqual([]);
        }),
      );
    } finally {
      await s.close();
    }
  });

  it("§1.8: a forged signature, a wrong username, a stale ts and a malformed datagram start nothing and get no answer", async () => {
    const s = await sender();
    try {
      await withUdp({}, (udp) =>
        Effect.gen(function* () {
          const triggers = yield* collectTriggers(udp);
          const to = { host: "127.0.0.1", port: udp.local.port };
          const now = nowSeconds();
          for (const text of [
            udpConnectionRequestText(to, signUdpConnectionRequest("cpe", "guess", now)),
            udpConnectionRequestText(to, signUdpConnectionRequest("root", "pw", now)),
            udpConnectionRequestText(to, signUdpConnectionRequest("cpe", "pw", now - 3600)),
            "GET / HTTP/1.1\r\n\r\n",
          ])
            yield* Effect.promise(() => s.send(udp.local.port, text));
          expect(yield* judged(udp, 4)).toEqual([
            "badSignature",
            "wrongUsername",
            "stale",
            "malformed",
          ]);
          yield* Effect.sleep("50 millis");
          expect(triggers).toEqual([]);
          expect(s.received).toEqual([]);
        }),
      );
    } finally {
      await s.close();
    }
  });

  it("§1.8 C5: distinct valid requests before the session give one trigger; one during the session gives one more after it; beyond the rate limit they are dropped", async () => {
    const s = await sender();
    try {
      await withUdp({ rateLimit: { max: 3, window: "1 hour" } }, (udp) =>
        Effect.gen(function* () {
          const triggers = yield* collectTriggers(udp);
          const to = { host: "127.0.0.1", port: udp.local.port };
          const send = () =>
            Effect.promise(() =>
              s.send(
                udp.local.port,
                udpConnectionRequestText(to, signUdpConnectionRequest("cpe", "pw", nowSeconds())),
              ),
            );
          yield* send();
          yield* send();
          yield* judged(udp, 2);
          yield* atLeast(triggers, 1);
          expect(triggers).toHaveLength(1);
          yield* udp.setSessionActive(true);
          yield* send();
          yield* judged(udp, 3);
          yield* atLeast(triggers, 1);
          expect(triggers).toHaveLength(1);
          yield* udp.setSessionActive(false);
          yield* atLeast(triggers, 2);
          expect(triggers).toHaveLength(2);
          yield* send();
          expect((yield* judged(udp, 4)).at(-1)).toBe("rateLimited");
        }),
      );
    } finally {
      await s.close();
    }
  });
});

describe("STUN client on the shared socket (§1.8) against an in-test STUN responder", () => {
  let responder: StunResponder | undefined;
  afterEach(async () => {
    await responder?.close();
    responder = undefined;
  });
  const stunOn = (port: number, extra: Partial<StunSettings> = {}): StunSettings => ({
    ...defaultStunSettings,
    enable: true,
    serverAddress: "127.0.0.1",
    serverPort: port,
    minKeepAliveSeconds: 30,
    maxKeepAliveSeconds: 60,
    ...extra,
  });

  it("§1.8: with STUN off the binding is the local address, NATDetected false, and no Binding Request goes out", async () => {
    const r = await startStunResponder();
    responder = r;
    await withUdp({ stun: { ...stunOn(r.port), enable: false } }, (udp) =>
      Effect.gen(function* () {
        const b = yield* bindingWhere(udp, () => true);
        expect(b).toEqual({
          address: `127.0.0.1:${udp.local.port}`,
          natDetected: false,
          viaStun: false,
        });
        yield* Effect.sleep("100 millis");
        expect(r.requests).toHaveLength(0);
      }),
    );
  });

  it("§1.8: Binding Requests leave the Connection Request socket with CONNECTION-REQUEST-BINDING; an empty STUNServerAddress means the ACS host; a mapped address that is not ours sets NATDetected", async () => {
    const r = await startStunResponder({
      mapped: () => ({ family: "IPv4", address: "203.0.113.5", port: 40001 }),
    });
    responder = r;
    await withUdp({ stun: stunOn(r.port, { serverAddress: "" }), acsHost: "127.0.0.1" }, (udp) =>
      Effect.gen(function* () {
        const b = yield* bindingWhere(udp, (a) => a === "203.0.113.5:40001");
        expect(b.natDetected).toBe(true);
        const first = r.requests[0];
        expect(first?.from.port).toBe(udp.local.port);
        expect(findAttribute(first!.message, StunAttr.ConnectionRequestBinding)).toBeDefined();
        expect(findAttribute(first!.message, StunAttr.BindingChange)).toBeUndefined();
        expect(findAttribute(first!.message, StunAttr.MessageIntegrity)).toBeUndefined();
      }),
    );
  });

  it("§1.8: when the server answers 401 the request is repeated with USERNAME and MESSAGE-INTEGRITY from STUNUsername/STUNPassword", async () => {
    const r = await startStunResponder({
      requireIntegrity: { password: "stun-pw", style: "rfc3489" },
    });
    responder = r;
    await withUdp({ stun: stunOn(r.port, { username: "stun-user", password: "stun-pw" }) }, (udp) =>
      Effect.gen(function* () {
        const b = yield* bindingWhere(udp, (a) => a.endsWith(`:${udp.local.port}`));
        expect(b).toEqual({
          address: `127.0.0.1:${udp.local.port}`,
          natDetected: false,
          viaStun: true,
        });
        const [unsigned, signed] = r.requests;
        expect(findAttribute(unsigned!.message, StunAttr.MessageIntegrity)).toBeUndefined();
        expect(
          Buffer.from(findAttribute(signed!.message, StunAttr.Username)?.value ?? []).toString(),
        ).toBe("stun-user");
        expect(verifyStunIntegrity(signed!.bytes, { key: "stun-pw", style: "rfc3489" })).toBe(true);
        expect(findAttribute(signed!.message, StunAttr.ConnectionRequestBinding)).toBeDefined();
      }),
    );
  });

  it("§1.8: when the mapping changes the binding follows and a Binding Request with BINDING-CHANGE goes out at once", async () => {
    let port = 40001;
    const r = await startStunResponder({
      mapped: () => ({ family: "IPv4", address: "198.51.100.9", port }),
    });
    responder = r;
    await withUdp({ stun: stunOn(r.port) }, (udp) =>
      Effect.gen(function* () {
        yield* bindingWhere(udp, (a) => a === "198.51.100.9:40001");
        const before = r.requests.length;
        port = 40002;
        yield* udp.refresh;
        yield* bindingWhere(udp, (a) => a === "198.51.100.9:40002");
        yield* Effect.promise(() => r.waitForRequests(before + 2));
        const [probe, change] = r.requests.slice(before);
        expect(findAttribute(probe!.message, StunAttr.BindingChange)).toBeUndefined();
        expect(findAttribute(change!.message, StunAttr.BindingChange)).toBeDefined();
        expect(findAttribute(change!.message, StunAttr.ConnectionRequestBinding)).toBeDefined();
      }),
    );
  });
});
