import { connect } from "node:net";
import { ConnectionRequests, type ConnectionRequestsService } from "@cpekit/core";
import { Effect, Option, Ref, Stream, TestClock, TestContext } from "effect";
import { Agent, request } from "undici";
import { describe, expect, it } from "vitest";
import { connectionRequestUrl, reachableHost } from "./advertised-address.js";
import * as ConnectionRequestServer from "./connection-request-server.js";
import { DigestClient, digestResponse, pickDigestChallenge } from "./digest-auth.js";
import { parseAuthHeader } from "./internal/auth-params.js";

const creds = { username: "acs", password: "cr-secret" };

/** Runs `body` against a server bound to 127.0.0.1:0 that is stopped afterwards. */
const withServer = <A>(
  options: Partial<ConnectionRequestServer.ConnectionRequestServerOptions>,
  body: (cr: ConnectionRequestsService) => Effect.Effect<A, unknown>,
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(
        ConnectionRequestServer.make({ credentials: creds, host: "127.0.0.1", ...options }),
        body,
      ),
    ),
  );

const get = (url: string, headers: Record<string, string> = {}, method: "GET" | "POST" = "GET") =>
  Effect.promise(async () => {
    const res = await request(url, { method, headers });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, body: text };
  });

/** Does the challenge round trip: a 401, then a DigestClient for its nonce. */
const challengeFor = (url: string, credentials = creds) =>
  Effect.map(get(url), (r) => {
    expect(r.status).toBe(401);
    const ch = pickDigestChallenge(
      parseAuthHeader(r.headers["www-authenticate"] as string | string[]),
    );
    if (ch === undefined) throw new Error("no usable challenge");
    return new DigestClient(ch, credentials);
  });

const target = (url: string) => new URL(url).pathname;

/** The next trigger within `ms`, or None. */
const nextTrigger = (cr: ConnectionRequestsService, ms = 150) =>
  Effect.timeoutTo(Stream.runHead(cr.triggers), {
    duration: `${ms} millis`,
    onSuccess: (o) => o,
    onTimeout: () => Option.none(),
  });

describe("ConnectionRequestServer (C1-C5)", () => {
  it("C3 C4: a valid Digest GET gets 200 with an empty body and yields one trigger", async () => {
    await withServer({}, (cr) =>
      Effect.gen(function* () {
        const client = yield* challengeFor(cr.url);
        const res = yield* get(cr.url, {
          authorization: client.authorization("GET", target(cr.url)),
        });
        expect([res.status, res.body, res.headers["content-length"]]).toEqual([200, "", "0"]);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
        expect(Option.isNone(yield* nextTrigger(cr))).toBe(true);
      }),
    );
  });

  it("C3 C4: credentials read asynchronously (a provider that waits) are checked once: 200, one trigger, and the same nc is then a replay", async () => {
    const slow = Effect.as(Effect.sleep("5 millis"), creds);
    await withServer({ credentials: slow }, (cr) =>
      Effect.gen(function* () {
        const client = yield* challengeFor(cr.url);
        const authorization = client.authorization("GET", target(cr.url));
        const res = yield* get(cr.url, { authorization });
        expect([res.status, res.body]).toEqual([200, ""]);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
        expect(Option.isNone(yield* nextTrigger(cr))).toBe(true);
        expect((yield* get(cr.url, { authorization })).status).toBe(401);
      }),
    );
  });

  it("C3: wrong password, wrong uri, replayed nc and missing qop get 401 and no trigger", async () => {
    await withServer({}, (cr) =>
      Effect.gen(function* () {
        const path = target(cr.url);
        const wrong = yield* challengeFor(cr.url, { username: "acs", password: "guess" });
        expect(
          (yield* get(cr.url, { authorization: wrong.authorization("GET", path) })).status,
        ).toBe(401);

        const client = yield* challengeFor(cr.url);
        expect(
          (yield* get(cr.url, { authorization: client.authorization("GET", "/other") })).status,
        ).toBe(401);

        const replayed = yield* challengeFor(cr.url);
        const header = replayed.authorization("GET", path);
        expect((yield* get(cr.url, { authorization: header })).status).toBe(200);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
        yield* cr.setSessionActive(true);
        yield* cr.setSessionActive(false);
        expect((yield* get(cr.url, { authorization: header })).status).toBe(401);

        const r = yield* get(cr.url);
        const nonce = parseAuthHeader(r.headers["www-authenticate"] as string)[0]!.params.nonce!;
        const noQop = `Digest username="acs", realm="cpekit", nonce="${nonce}", uri="${path}", response="${digestResponse(
          { ...creds, algorithm: "MD5", realm: "cpekit", method: "GET", uri: path, nonce },
        )}"`;
        expect((yield* get(cr.url, { authorization: noQop })).status).toBe(401);
        expect(Option.isNone(yield* nextTrigger(cr))).toBe(true);
      }),
    );
  });

  it("C3: an expired nonce gets 401 with stale=true and no trigger; the fresh nonce works", async () => {
    await withServer({ nonceLifetime: "200 millis" }, (cr) =>
      Effect.gen(function* () {
        const client = yield* challengeFor(cr.url);
        yield* Effect.sleep("300 millis");
        const res = yield* get(cr.url, {
          authorization: client.authorization("GET", target(cr.url)),
        });
        expect(res.status).toBe(401);
        const ch = pickDigestChallenge(parseAuthHeader(res.headers["www-authenticate"] as string));
        expect(ch?.stale).toBe(true);
        expect(Option.isNone(yield* nextTrigger(cr, 100))).toBe(true);
        client.adopt(ch!);
        const ok = yield* get(cr.url, {
          authorization: client.authorization("GET", target(cr.url)),
        });
        expect(ok.status).toBe(200);
      }),
    );
  });

  it("C1: non-GET gets 405 and another path 404, neither triggers", async () => {
    await withServer({ path: "/cr-path" }, (cr) =>
      Effect.gen(function* () {
        const post = yield* get(cr.url, {}, "POST");
        expect([post.status, post.headers.allow]).toEqual([405, "GET"]);
        expect((yield* get(cr.url.replace("/cr-path", "/nope"))).status).toBe(404);
        expect(Option.isNone(yield* nextTrigger(cr, 100))).toBe(true);
      }),
    );
  });

  it("C5: more valid requests than the rate limit allows get 503", async () => {
    await withServer({ rateLimit: { max: 2, window: "10 seconds" } }, (cr) =>
      Effect.gen(function* () {
        const client = yield* challengeFor(cr.url);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++)
          statuses.push(
            (yield* get(cr.url, { authorization: client.authorization("GET", target(cr.url)) }))
              .status,
          );
        expect(statuses).toEqual([200, 200, 503, 503]);
      }),
    );
  });

  it("C5: several requests before the session give one trigger; one during the session gives one trigger after it", async () => {
    await withServer({}, (cr) =>
      Effect.gen(function* () {
        const client = yield* challengeFor(cr.url);
        for (let i = 0; i < 3; i++)
          expect(
            (yield* get(cr.url, { authorization: client.authorization("GET", target(cr.url)) }))
              .status,
          ).toBe(200);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
        expect(Option.isNone(yield* nextTrigger(cr, 100))).toBe(true);
        yield* cr.setSessionActive(true);
        for (let i = 0; i < 2; i++)
          expect(
            (yield* get(cr.url, { authorization: client.authorization("GET", target(cr.url)) }))
              .status,
          ).toBe(200);
        expect(Option.isNone(yield* nextTrigger(cr, 100))).toBe(true);
        yield* cr.setSessionActive(false);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
        expect(Option.isNone(yield* nextTrigger(cr, 100))).toBe(true);
      }),
    );
  });

  it("C3: credentials are read at each request, so a change takes effect at once", async () => {
    const ref = Effect.runSync(Ref.make(creds));
    await withServer({ credentials: Ref.get(ref) }, (cr) =>
      Effect.gen(function* () {
        yield* Ref.set(ref, { username: "acs", password: "rotated" });
        const old = yield* challengeFor(cr.url);
        expect(
          (yield* get(cr.url, { authorization: old.authorization("GET", target(cr.url)) })).status,
        ).toBe(401);
        const fresh = yield* challengeFor(cr.url, { username: "acs", password: "rotated" });
        expect(
          (yield* get(cr.url, { authorization: fresh.authorization("GET", target(cr.url)) }))
            .status,
        ).toBe(200);
      }),
    );
  });

  it("C1: the URL names the bound loopback address, the port and a random path", async () => {
    const urls = await Promise.all([
      withServer({}, (cr) => Effect.succeed(cr.url)),
      withServer({}, (cr) => Effect.succeed(cr.url)),
    ]);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{20}$/);
    expect(urls[0]).not.toBe(urls[1]);
  });
});

/**
 * A slowloris client: `sockets` connections each writing one header byte every `everyMs`, never
 * finishing the header. Bounded: each stops by itself after `maxBytes` bytes. Resolves with, per
 * socket, whether the server closed it before the client's bound.
 */
const slowloris = (url: string, sockets: number, everyMs: number, maxBytes: number) => {
  const { hostname, port, pathname } = new URL(url);
  const header = `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nX-Drip: ${"a".repeat(maxBytes)}`;
  return Promise.all(
    Array.from(
      { length: sockets },
      () =>
        new Promise<boolean>((resolve) => {
          const socket = connect(Number(port), hostname);
          let sent = 0;
          let closedByServer = false;
          const timer = setInterval(() => {
            if (sent >= maxBytes) {
              clearInterval(timer);
              socket.destroy();
              return;
            }
            socket.write(header.charAt(sent++));
          }, everyMs);
          socket.on("error", () => {});
          socket.on("end", () => {
            closedByServer = true;
          });
          socket.on("close", () => {
            clearInterval(timer);
            resolve(closedByServer || sent < maxBytes);
          });
        }),
    ),
  );
};

describe("ConnectionRequestServer under a slowloris client (issue 9)", () => {
  it("C5: sockets that drip header bytes are closed once the header timeout passes; the server still answers after", async () => {
    await withServer({ headersTimeout: "300 millis" }, (cr) =>
      Effect.gen(function* () {
        // 20 sockets, one byte per 50 ms: 300 ms is about 6 bytes; the client's own bound is
        // 200 bytes (10 s), so a socket closed before it was closed by the server.
        const closed = yield* Effect.promise(() => slowloris(cr.url, 20, 50, 200));
        expect(closed).toEqual(Array.from({ length: 20 }, () => true));
        const res = yield* get(cr.url);
        expect(res.status).toBe(401);
      }),
    );
  }, 20_000);
});

describe("ConnectionRequestServer.setEnabled (C6 HTTPConnectionRequestEnable)", () => {
  /** The error code of a GET that got no HTTP answer, or "answered". */
  const refusal = (url: string) =>
    Effect.promise(() =>
      request(url).then(
        async (res) => {
          await res.body.dump();
          return "answered";
        },
        (e: { code?: string }) => e.code ?? "unknown",
      ),
    );

  it("C6: disabled, the port refuses connections; enabled again, the same URL answers and triggers", async () => {
    await withServer({}, (cr) =>
      Effect.gen(function* () {
        expect(yield* refusal(cr.url)).toBe("answered");
        yield* cr.setEnabled!(false);
        expect(yield* refusal(cr.url)).toBe("ECONNREFUSED");
        yield* cr.setEnabled!(false);
        expect(yield* refusal(cr.url)).toBe("ECONNREFUSED");
        yield* cr.setEnabled!(true);
        yield* cr.setEnabled!(true);
        const client = yield* challengeFor(cr.url);
        const res = yield* get(cr.url, {
          authorization: client.authorization("GET", target(cr.url)),
        });
        expect(res.status).toBe(200);
        expect(Option.isSome(yield* nextTrigger(cr))).toBe(true);
      }),
    );
  });

  it("C6: a keep-alive connection opened before disabling carries no further request", async () => {
    await withServer({}, (cr) =>
      Effect.gen(function* () {
        const agent = new Agent({ keepAliveTimeout: 5_000, connections: 1 });
        const send = Effect.promise(() =>
          request(cr.url, { dispatcher: agent }).then(
            async (res) => {
              await res.body.dump();
              return res.statusCode;
            },
            (e: { code?: string }) => e.code ?? "unknown",
          ),
        );
        expect(yield* send).toBe(401);
        yield* cr.setEnabled!(false);
        // No HTTP answer at all (a status code would be a number): the error code of the socket.
        expect(yield* send).toBeTypeOf("string");
        yield* Effect.promise(() => agent.close());
      }),
    );
  });
});

describe("advertised address (C1)", () => {
  const interfaces = {
    lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
    eth0: [
      { address: "fe80::1", family: "IPv6", internal: false },
      { address: "192.0.2.7", family: "IPv4", internal: false },
    ],
  };

  it("never publishes a wildcard address", () => {
    for (const bound of ["0.0.0.0", "::"]) {
      expect(reachableHost(bound, interfaces)).toBe("192.0.2.7");
      expect(reachableHost(bound, { lo: interfaces.lo })).toBe("127.0.0.1");
    }
    expect(connectionRequestUrl({ boundHost: "0.0.0.0", port: 7547, path: "/x", interfaces })).toBe(
      "http://192.0.2.7:7547/x",
    );
  });

  it("puts IPv6 literals in brackets and prefers an explicit advertised host", () => {
    expect(connectionRequestUrl({ boundHost: "::1", port: 1, path: "/p" })).toBe(
      "http://[::1]:1/p",
    );
    expect(
      connectionRequestUrl({
        boundHost: "0.0.0.0",
        port: 2,
        path: "/p",
        advertisedHost: "2001:db8::5",
      }),
    ).toBe("http://[2001:db8::5]:2/p");
    expect(
      connectionRequestUrl({
        boundHost: "0.0.0.0",
        port: 3,
        path: "/p",
        advertisedHost: "cpe.example",
      }),
    ).toBe("http://cpe.example:3/p");
  });
});

describe("ConnectionRequestServer.makeHandler (in memory, test clock)", () => {
  it("C3 C4: answers 401, then 200 and one trigger; after the nonce lifetime the same client gets stale=true", async () => {
    await Effect.runPromise(
      Effect.gen(function* () {
        const h = yield* ConnectionRequestServer.makeHandler({ credentials: creds, path: "/cr" });
        const first = yield* h.handle({ method: "GET", target: "/cr", authorization: undefined });
        expect(first.status).toBe(401);
        const client = new DigestClient(
          pickDigestChallenge(parseAuthHeader(first.headers["www-authenticate"] as string[]))!,
          creds,
        );
        const ok = yield* h.handle({
          method: "GET",
          target: "/cr",
          authorization: client.authorization("GET", "/cr"),
        });
        expect(ok).toEqual({ status: 200, headers: { "content-length": "0" } });
        yield* h.afterAnswer(ok);
        expect(
          (yield* Stream.runHead(h.service.triggers)).pipe(Option.map((t) => t.receivedAt)),
        ).toEqual(Option.some(0));
        yield* TestClock.adjust("6 minutes");
        const stale = yield* h.handle({
          method: "GET",
          target: "/cr",
          authorization: client.authorization("GET", "/cr"),
        });
        expect(stale.status).toBe(401);
        expect(
          pickDigestChallenge(parseAuthHeader(stale.headers["www-authenticate"] as string[]))
            ?.stale,
        ).toBe(true);
      }).pipe(Effect.provide(TestContext.TestContext)),
    );
  });

  it("layerTest serves on 127.0.0.1", async () => {
    const url = await Effect.runPromise(
      Effect.scoped(
        Effect.map(ConnectionRequests, (cr) => cr.url).pipe(
          Effect.provide(ConnectionRequestServer.layerTest(creds)),
        ),
      ),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it("C3 C4: with plain credentials handleNow answers as handle does (401, 200, stale after the nonce lifetime on the handler's clock) and afterAnswerNow triggers once; with a credentials provider there is no handleNow", async () => {
    await Effect.runPromise(
      Effect.gen(function* () {
        const h = yield* ConnectionRequestServer.makeHandler({ credentials: creds, path: "/cr" });
        const handleNow = h.handleNow;
        const afterAnswerNow = h.afterAnswerNow;
        if (handleNow === undefined) throw new Error("plain credentials offer handleNow");
        expect(
          handleNow({ method: "POST", target: "/cr", authorization: undefined }).answer.status,
        ).toBe(405);
        expect(
          handleNow({ method: "GET", target: "/other", authorization: undefined }).answer.status,
        ).toBe(404);
        const first = handleNow({ method: "GET", target: "/cr", authorization: undefined });
        expect(first.answer.status).toBe(401);
        expect(first.refused).toBeDefined();
        const client = new DigestClient(
          pickDigestChallenge(
            parseAuthHeader(first.answer.headers["www-authenticate"] as string[]),
          )!,
          creds,
        );
        const ok = handleNow({
          method: "GET",
          target: "/cr",
          authorization: client.authorization("GET", "/cr"),
        });
        expect(ok).toEqual({ answer: { status: 200, headers: { "content-length": "0" } } });
        yield* TestClock.adjust("1 second");
        afterAnswerNow(ok.answer);
        // A second accepted request before the session: coalesced, no second trigger (C5).
        afterAnswerNow(ok.answer);
        const triggered: number[] = [];
        const onTrigger = h.service.onTrigger;
        if (onTrigger === undefined) throw new Error("the server offers onTrigger");
        yield* Effect.scoped(onTrigger((t) => triggered.push(t.receivedAt)));
        expect(triggered).toEqual([1000]);
        yield* TestClock.adjust("6 minutes");
        const stale = handleNow({
          method: "GET",
          target: "/cr",
          authorization: client.authorization("GET", "/cr"),
        });
        expect(stale.answer.status).toBe(401);
        expect(stale.refused).toBe("StaleNonce");

        const viaProvider = yield* ConnectionRequestServer.makeHandler({
          credentials: Effect.succeed(creds),
          path: "/cr",
        });
        expect(viaProvider.handleNow).toBeUndefined();
      }).pipe(Effect.provide(TestContext.TestContext)),
    );
  });
});
