import { deflateSync, gunzipSync, gzipSync } from "node:zlib";
import { type AcsConnection, type AcsEndpoint, TransportError } from "@cpekit/core";
import { Effect, Either, Exit, Fiber, Option, TestClock, TestContext } from "effect";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as AcsClient from "./acs-client.js";
import type { DigestAlgorithm } from "./digest-auth.js";
import { DigestVerifier } from "./digest-verifier.js";
import { parseAuthHeader } from "./internal/auth-params.js";
import { closedPort, type RecordingServer, startServer } from "./test-support/recording-server.js";
import { makeTestPki, type TestPki } from "./test-support/test-pki.js";

let servers: RecordingServer[] = [];
const serve = async (...args: Parameters<typeof startServer>) => {
  const s = await startServer(...args);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Opens a session, runs `use` on it, closes the session; returns the Exit. */
const session = <A>(
  endpoint: AcsEndpoint,
  use: (c: AcsConnection) => Effect.Effect<A, TransportError>,
  options: AcsClient.AcsClientOptions = {},
) =>
  Effect.runPromiseExit(Effect.scoped(Effect.flatMap(AcsClient.make(options).open(endpoint), use)));

const failure = (exit: Exit.Exit<unknown, TransportError>): TransportError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure");
  const e = exit.cause._tag === "Fail" ? exit.cause.error : undefined;
  if (!(e instanceof TransportError)) throw new Error(`unexpected cause ${String(exit.cause)}`);
  return e;
};

const ok =
  (body = "<Envelope/>") =>
  (_: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(body);
  };

describe("AcsClient: HTTP session rules", () => {
  it("H5 H7: all POSTs of a session share one connection; SOAP POSTs carry Content-Type and an empty SOAPAction, the empty POST neither", async () => {
    const acs = await serve(ok());
    const exit = await session({ url: `${acs.url}/acs` }, (c) =>
      Effect.all([c.post("<Inform/>"), c.post(null), c.post("<GetRPCMethodsResponse/>")]),
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    const [inform, empty, third] = acs.requests;
    expect(inform?.headers["content-type"]).toBe('text/xml; charset="utf-8"');
    expect(inform?.headers.soapaction).toBe("");
    expect(inform?.body).toBe("<Inform/>");
    expect(empty?.headers["content-length"]).toBe("0");
    expect(empty?.headers.soapaction).toBeUndefined();
    expect(empty?.body).toBe("");
    expect(new Set(acs.requests.map((r) => r.clientPort)).size).toBe(1);
    expect(third?.url).toBe("/acs");
  });

  it("H6: cookies set by the ACS (several, over 512 bytes) are sent on every later POST, also on a new TCP connection after Connection: close", async () => {
    const big = "n".repeat(600);
    const acs = await serve((req, res) => {
      const headers: Record<string, string | string[]> = {};
      if (acs.requests.length === 1)
        headers["set-cookie"] = ["session=abc123; Path=/", `lb=${big}`];
      headers.connection = "close";
      res.writeHead(200, headers);
      res.end(req.body === "" ? "" : "<x/>");
    });
    const exit = await session({ url: `${acs.url}/acs` }, (c) =>
      Effect.all([c.post("<Inform/>"), c.post(null), c.post("<x/>")]),
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    const [first, second, third] = acs.requests;
    expect(first?.headers.cookie).toBeUndefined();
    expect(second?.clientPort).not.toBe(first?.clientPort);
    expect(second?.headers.cookie).toBe(`session=abc123; lb=${big}`);
    expect(third?.headers.cookie).toBe(`session=abc123; lb=${big}`);
  });

  it("H8: gzip and deflate responses are decoded", async () => {
    const acs = await serve((_, res) => {
      const body = "<InformResponse>compressed</InformResponse>";
      const deflate = acs.requests.length === 2;
      res.writeHead(200, { "content-encoding": deflate ? "deflate" : "gzip" });
      res.end(deflate ? deflateSync(body) : gzipSync(body));
    });
    const exit = await session({ url: acs.url }, (c) =>
      Effect.all([c.post("<a/>"), c.post("<b/>")]),
    );
    expect(Exit.isSuccess(exit) && exit.value.map((r) => r.body)).toEqual([
      "<InformResponse>compressed</InformResponse>",
      "<InformResponse>compressed</InformResponse>",
    ]);
    expect(acs.requests[0]?.headers["accept-encoding"]).toBe("gzip, deflate");
  });

  it("H9: a redirect of the first POST is followed and later POSTs go to the new URL", async () => {
    const target = await serve(ok());
    const acs = await serve((_, res) => {
      res.writeHead(307, { location: `${target.url}/acs2` });
      res.end();
    });
    const exit = await session({ url: `${acs.url}/acs` }, (c) =>
      Effect.gen(function* () {
        yield* c.post("<Inform/>");
        yield* c.post(null);
        return yield* c.url;
      }),
    );
    expect(exit).toEqual(Exit.succeed(`${target.url}/acs2`));
    expect(acs.requests).toHaveLength(1);
    expect(target.requests.map((r) => [r.url, r.body])).toEqual([
      ["/acs2", "<Inform/>"],
      ["/acs2", ""],
    ]);
  });

  it("H9: redirects are bounded, and a redirect of a later POST is an error", async () => {
    const loop = await serve((req, res) => {
      res.writeHead(302, { location: `/r${req.url.length}` });
      res.end();
    });
    const e = failure(
      await session({ url: loop.url }, (c) => c.post("<Inform/>"), { maxRedirects: 3 }),
    );
    expect(e.reason).toBe("Redirect");
    expect(loop.requests).toHaveLength(4);

    const later = await serve((_, res) => {
      if (later.requests.length === 1) return ok()(_, res);
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const e2 = failure(
      await session({ url: later.url }, (c) => Effect.zipRight(c.post("<Inform/>"), c.post(null))),
    );
    expect(e2.reason).toBe("Redirect");
    expect(later.requests).toHaveLength(2);
  });

  it("a 503 with Retry-After fails with reason HttpStatus and retryAfter in seconds", async () => {
    const acs = await serve((_, res) => {
      res.writeHead(503, { "retry-after": "60" });
      res.end();
    });
    const e = failure(await session({ url: acs.url }, (c) => c.post("<Inform/>")));
    expect([e.reason, e.status, e.retryAfter]).toEqual(["HttpStatus", 503, 60]);
  });

  it("reports a silent ACS as reason Timeout", async () => {
    const acs = await serve(() => {});
    const e = failure(
      await session({ url: acs.url }, (c) => c.post("<Inform/>"), { requestTimeout: "250 millis" }),
    );
    expect(e.reason).toBe("Timeout");
  });

  it("on a TestClock the request timeout follows virtual time: a silent ACS times out once the clock passes it (Timeout, with the URL)", async () => {
    const acs = await serve(() => {});
    const program = Effect.scoped(
      Effect.gen(function* () {
        const c = yield* AcsClient.make({ requestTimeout: "1 hour" }).open({ url: acs.url });
        const fiber = yield* Effect.fork(Effect.either(c.post("<Inform/>")));
        // Real time passes without a timeout; the virtual hour ends it.
        yield* Effect.promise(() => new Promise((r) => setTimeout(r, 100)));
        const early = yield* Fiber.poll(fiber);
        yield* TestClock.adjust("61 minutes");
        return { early, result: yield* Fiber.join(fiber) };
      }),
    );
    const { early, result } = await Effect.runPromise(
      Effect.provide(program, TestContext.TestContext),
    );
    expect(Option.isNone(early)).toBe(true);
    expect(result).toMatchObject({ _tag: "Left", left: { reason: "Timeout" } });
    expect(Either.isLeft(result) && result.left.message).toContain(acs.url);
  });

  it("H8: auto mode sends plain bodies until the ACS answers with gzip, then gzip bodies that decode to the same text", async () => {
    const acs = await serve((req, res) => {
      // The first answer advertises gzip (RFC 7694 Accept-Encoding in a response).
      res.writeHead(200, acs.requests.length === 1 ? { "accept-encoding": "gzip" } : {});
      res.end(req.body === "" ? "" : "<x/>");
    });
    const client = AcsClient.make();
    const run = (use: (c: AcsConnection) => Effect.Effect<unknown, TransportError>) =>
      Effect.runPromise(Effect.scoped(Effect.flatMap(client.open({ url: acs.url }), use)));
    await run((c) => Effect.all([c.post("<Inform/>"), c.post(null), c.post("<Second/>")]));
    // A later session of the same client still knows.
    await run((c) => c.post("<NextInform/>"));
    const [first, empty, second, third] = acs.requests;
    expect(first?.headers["content-encoding"]).toBeUndefined();
    expect(first?.body).toBe("<Inform/>");
    expect(empty?.headers["content-encoding"]).toBeUndefined();
    expect(second?.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(second?.bytes ?? new Uint8Array()).toString()).toBe("<Second/>");
    expect(third?.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(third?.bytes ?? new Uint8Array()).toString()).toBe("<NextInform/>");
  });

  it("H8: an ACS that never shows gzip gets plain bodies; requestCompression none ignores an ACS that does", async () => {
    for (const [mode, advertise] of [
      ["auto", false],
      ["none", true],
    ] as const) {
      const acs = await serve((_, res) => {
        res.writeHead(200, advertise ? { "content-encoding": "gzip" } : {});
        res.end(advertise ? gzipSync("<x/>") : "<x/>");
      });
      const exit = await session(
        { url: acs.url },
        (c) => Effect.all([c.post("<A/>"), c.post("<B/>")]),
        { requestCompression: mode },
      );
      expect(Exit.isSuccess(exit), mode).toBe(true);
      expect(
        acs.requests.map((r) => `${r.headers["content-encoding"] ?? "plain"}:${r.body}`),
        mode,
      ).toEqual(["plain:<A/>", "plain:<B/>"]);
    }
  });

  it("H8: requestCompression gzip compresses the first POST; a 415 sends the same body plain, and plain from then on", async () => {
    const acs = await serve((req, res) => {
      if (req.headers["content-encoding"] === "gzip") {
        res.writeHead(415);
        res.end();
        return;
      }
      res.writeHead(200);
      res.end("<x/>");
    });
    const exit = await session(
      { url: acs.url },
      (c) => Effect.all([c.post("<Inform/>"), c.post("<B/>")]),
      { requestCompression: "gzip" },
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(acs.requests.map((r) => r.headers["content-encoding"] ?? "plain")).toEqual([
      "gzip",
      "plain",
      "plain",
    ]);
    expect(gunzipSync(acs.requests[0]?.bytes ?? new Uint8Array()).toString()).toBe("<Inform/>");
    expect(acs.requests[1]?.body).toBe("<Inform/>");
  });

  it("H8: a gzip bomb from the ACS fails with TooLarge naming the limit, not an out-of-memory", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const acs = await serve((_, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end(bomb);
    });
    const e = failure(await session({ url: acs.url }, (c) => c.post("<a/>")));
    expect(e.reason).toBe("TooLarge");
    expect(e.message).toContain(`more than ${4 * 1024 * 1024} bytes`);
  });

  it("refuses a body over the size limit (TooLarge), also when it only grows by decompression", async () => {
    const acs = await serve((_, res) => {
      if (acs.requests.length === 1) {
        res.writeHead(200);
        res.end("x".repeat(5000));
      } else {
        res.writeHead(200, { "content-encoding": "gzip" });
        res.end(gzipSync("y".repeat(100_000)));
      }
    });
    const opts = { maxResponseBytes: 1000 };
    expect(failure(await session({ url: acs.url }, (c) => c.post("<a/>"), opts)).reason).toBe(
      "TooLarge",
    );
    expect(failure(await session({ url: acs.url }, (c) => c.post("<a/>"), opts)).reason).toBe(
      "TooLarge",
    );
  });

  it("reports a refused connection as ConnectFailed and a non-http URL as InvalidConfig", async () => {
    const port = await closedPort();
    expect(
      failure(await session({ url: `http://127.0.0.1:${port}/` }, (c) => c.post("<a/>"))).reason,
    ).toBe("ConnectFailed");
    expect(failure(await session({ url: "ftp://127.0.0.1/" }, (c) => c.post("<a/>"))).reason).toBe(
      "InvalidConfig",
    );
  });
});

describe("AcsClient: authentication (A1-A3)", () => {
  const creds = { username: "cpe-1", password: "s3cret" };

  it("A1: answers a Basic challenge once, then sends Basic on every later POST", async () => {
    const expected = `Basic ${Buffer.from("cpe-1:s3cret").toString("base64")}`;
    const acs = await serve((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="acs"' });
        return res.end();
      }
      ok()(req, res);
    });
    const exit = await session({ url: acs.url, ...creds }, (c) =>
      Effect.all([c.post("<a/>"), c.post(null)]),
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(acs.requests.map((r) => r.headers.authorization === expected)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it("A1: with preemptiveBasic the first POST already carries Basic credentials", async () => {
    const acs = await serve(ok());
    const exit = await session({ url: acs.url, ...creds }, (c) => c.post("<a/>"), {
      preemptiveBasic: true,
    });
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(acs.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("cpe-1:s3cret").toString("base64")}`,
    );
  });

  /** An ACS that really checks Digest with the given algorithm, with or without qop. */
  const digestAcs = (algorithm: DigestAlgorithm, requireQop: boolean, clock = { now: 1_000 }) => {
    const verifier = new DigestVerifier({
      realm: "acs",
      algorithms: [algorithm],
      requireQop,
      nonceLifetimeMs: 60_000,
    });
    const verdicts: string[] = [];
    return {
      verdicts,
      clock,
      start: () =>
        serve((req, res) => {
          const v = verifier.verify(
            { method: req.method, target: req.url, authorization: req.headers.authorization },
            creds,
            clock.now,
          );
          verdicts.push(v.ok ? "ok" : v.reason);
          if (v.ok) return ok()(req, res);
          res.writeHead(401, {
            "www-authenticate": verifier.challenges(clock.now, v.reason === "StaleNonce"),
          });
          res.end();
        }),
    };
  };

  for (const algorithm of ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"] as const) {
    for (const qop of [true, false]) {
      it(`A2${qop ? "" : " A3"}: Digest ${algorithm} ${qop ? "qop=auth" : "without qop"} is answered and kept for later POSTs${qop ? " with nc incremented" : ""}`, async () => {
        const d = digestAcs(algorithm, qop);
        const acs = await d.start();
        const exit = await session({ url: `${acs.url}/cwmp?x=1`, ...creds }, (c) =>
          Effect.all([c.post("<a/>"), c.post("<b/>"), c.post(null)]),
        );
        expect(Exit.isSuccess(exit)).toBe(true);
        expect(d.verdicts).toEqual(["Missing", "ok", "ok", "ok"]);
        const params = acs.requests
          .slice(1)
          .map((r) => parseAuthHeader(r.headers.authorization)[0]!.params);
        expect(params.map((p) => p.uri)).toEqual(["/cwmp?x=1", "/cwmp?x=1", "/cwmp?x=1"]);
        if (qop) expect(params.map((p) => p.nc)).toEqual(["00000001", "00000002", "00000003"]);
        else
          expect(params.map((p) => [p.qop, p.nc])).toEqual([
            [undefined, undefined],
            [undefined, undefined],
            [undefined, undefined],
          ]);
      });
    }
  }

  it("A2: a stale=true challenge mid-session is answered once with the new nonce", async () => {
    const d = digestAcs("SHA-256", true);
    const acs = await d.start();
    const exit = await session({ url: acs.url, ...creds }, (c) =>
      Effect.gen(function* () {
        yield* c.post("<a/>");
        d.clock.now += 120_000; // the nonce expires
        yield* c.post("<b/>");
        yield* c.post(null);
      }),
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(d.verdicts).toEqual(["Missing", "ok", "StaleNonce", "ok", "ok"]);
    const last = parseAuthHeader(acs.requests[4]?.headers.authorization)[0]!.params;
    expect(last.nc).toBe("00000002");
  });

  it("A2: a wrong password ends in Unauthorized after one answer (no loop)", async () => {
    const d = digestAcs("MD5", true);
    const acs = await d.start();
    const e = failure(
      await session({ url: acs.url, username: "cpe-1", password: "nope" }, (c) => c.post("<a/>")),
    );
    expect([e.reason, e.status]).toEqual(["Unauthorized", 401]);
    expect(acs.requests).toHaveLength(2);
  });

  it("A2: an ACS answering stale=true forever is given up on after a bounded number of tries", async () => {
    const acs = await serve((_, res) => {
      res.writeHead(401, {
        "www-authenticate": `Digest realm="acs", nonce="n${acs.requests.length}", qop="auth", stale=true`,
      });
      res.end();
    });
    const e = failure(await session({ url: acs.url, ...creds }, (c) => c.post("<a/>")));
    expect(e.reason).toBe("Unauthorized");
    expect(acs.requests).toHaveLength(3);
  });

  /** An ACS at one origin redirecting the first POST to `target` (another port: another origin). */
  const redirectingTo = (target: RecordingServer) =>
    serve((_, res) => {
      res.writeHead(307, { location: `${target.url}/acs2` });
      res.end();
    });
  const basicTarget = () =>
    serve((req, res) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="elsewhere"' });
        return res.end();
      }
      ok()(req, res);
    });

  it("A1 H9 (issue 9): another origin reached by a redirect never gets the ACS password, even when it asks with Basic over plain HTTP", async () => {
    const target = await basicTarget();
    const acs = await redirectingTo(target);
    const e = failure(await session({ url: acs.url, ...creds }, (c) => c.post("<a/>")));
    expect(e.reason).toBe("Unauthorized");
    expect(e.message).toContain("reached by a redirect");
    expect(target.requests).toHaveLength(1);
    expect(target.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  it("A1 H9: preemptive Basic is not carried over to the origin a redirect leads to", async () => {
    const target = await serve(ok());
    const acs = await redirectingTo(target);
    const exit = await session({ url: acs.url, ...creds }, (c) => c.post("<a/>"), {
      preemptiveBasic: true,
    });
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(acs.requests[0]?.headers.authorization).toMatch(/^Basic /);
    expect(target.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("A1 H9: a Digest challenge of a redirected origin is answered only when credentialsOnRedirect allows it", async () => {
    const denied = digestAcs("MD5", true);
    const deniedTarget = await denied.start();
    const e = failure(
      await session({ url: (await redirectingTo(deniedTarget)).url, ...creds }, (c) =>
        c.post("<a/>"),
      ),
    );
    expect(e.reason).toBe("Unauthorized");
    expect(deniedTarget.requests.map((r) => r.headers.authorization)).toEqual([undefined]);

    const allowed = digestAcs("MD5", true);
    const allowedTarget = await allowed.start();
    const exit = await session(
      { url: (await redirectingTo(allowedTarget)).url, ...creds },
      (c) => c.post("<a/>"),
      { credentialsOnRedirect: true },
    );
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(allowed.verdicts.at(-1)).toBe("ok");
  });

  it("A1 H9: with credentialsOnRedirect, Basic is still never sent over plain HTTP to a redirected origin", async () => {
    const target = await basicTarget();
    const acs = await redirectingTo(target);
    const e = failure(
      await session({ url: acs.url, ...creds }, (c) => c.post("<a/>"), {
        credentialsOnRedirect: true,
      }),
    );
    expect(e.reason).toBe("Unauthorized");
    expect(e.message).toContain("never sent there");
    expect(target.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  it("A1 H9: a redirect within the configured origin keeps the credentials", async () => {
    const expected = `Basic ${Buffer.from("cpe-1:s3cret").toString("base64")}`;
    const acs = await serve((req, res) => {
      if (req.url === "/acs") {
        res.writeHead(307, { location: "/acs2" });
        return res.end();
      }
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "www-authenticate": 'Basic realm="acs"' });
        return res.end();
      }
      ok()(req, res);
    });
    const exit = await session({ url: `${acs.url}/acs`, ...creds }, (c) => c.post("<a/>"));
    expect(Exit.isSuccess(exit)).toBe(true);
    expect(acs.requests.at(-1)?.headers.authorization).toBe(expected);
  });

  it("without configured credentials a 401 is Unauthorized at once", async () => {
    const acs = await serve((_, res) => {
      res.writeHead(401, { "www-authenticate": 'Basic realm="acs"' });
      res.end();
    });
    expect(failure(await session({ url: acs.url }, (c) => c.post("<a/>"))).reason).toBe(
      "Unauthorized",
    );
    expect(acs.requests).toHaveLength(1);
  });
});

describe("AcsClient: HTTPS (A1)", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki.cleanup());

  it("verifies the ACS certificate by default: an unknown CA fails with Tls, the right CA file passes", async () => {
    const acs = await serve(ok(), { key: pki.serverKey, cert: pki.serverCert });
    expect(failure(await session({ url: acs.url }, (c) => c.post("<a/>"))).reason).toBe("Tls");
    expect(
      failure(await session({ url: acs.url }, (c) => c.post("<a/>"), { caFile: pki.otherCaFile }))
        .reason,
    ).toBe("Tls");
    const exit = await session({ url: acs.url }, (c) => c.post("<a/>"), { caFile: pki.caFile });
    expect(Exit.isSuccess(exit)).toBe(true);
  });

  it("presents the client certificate when configured, to an ACS that requires one", async () => {
    const acs = await serve(
      (_, res, raw) => {
        const peer = (raw.socket as import("node:tls").TLSSocket).getPeerCertificate();
        res.writeHead(200);
        res.end(peer.subject?.CN ?? "none");
      },
      {
        key: pki.serverKey,
        cert: pki.serverCert,
        ca: pki.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
    );
    const withoutCert = await session({ url: acs.url }, (c) => c.post("<a/>"), {
      caFile: pki.caFile,
    });
    expect(Exit.isFailure(withoutCert)).toBe(true);
    const exit = await session({ url: acs.url }, (c) => c.post("<a/>"), {
      caFile: pki.caFile,
      certFile: pki.clientCertFile,
      keyFile: pki.clientKeyFile,
    });
    expect(Exit.isSuccess(exit) && exit.value.body).toBe("cpe-000001");
  });

  it("an unreadable CA file fails the open with InvalidConfig", async () => {
    expect(
      failure(
        await session({ url: "https://127.0.0.1:1/" }, (c) => c.post("<a/>"), {
          caFile: `${pki.dir}/missing.pem`,
        }),
      ).reason,
    ).toBe("InvalidConfig");
  });
});

describe("AcsClient: the plain POST (postNow)", () => {
  /** One `postNow`, as a promise of what it reported. */
  const postNow = (c: AcsConnection, body: string | null) =>
    new Promise<{ readonly done?: unknown; readonly failed?: unknown }>((resolve) => {
      if (c.postNow === undefined) throw new Error("no postNow on the live clock");
      c.postNow(body, { done: (done) => resolve({ done }), fail: (failed) => resolve({ failed }) });
    });

  it("H5 H6: on the live clock it answers as post does: one connection, the session's cookies sent back, the body as received", async () => {
    const acs = await serve((req, res) => {
      res.writeHead(200, acs.requests.length === 1 ? { "set-cookie": "s=1; Path=/" } : {});
      res.end(req.body === "" ? "" : "<Envelope/>");
    });
    const exit = await session({ url: `${acs.url}/acs` }, (c) =>
      Effect.promise(async () => [await postNow(c, "<Inform/>"), await postNow(c, null)]),
    );
    expect(Exit.isSuccess(exit) && exit.value).toMatchObject([
      { done: { status: 200, body: "<Envelope/>" } },
      { done: { status: 200, body: "" } },
    ]);
    expect(acs.requests.map((r) => r.body)).toEqual(["<Inform/>", ""]);
    expect(acs.requests[1]?.headers.cookie).toBe("s=1");
    expect(new Set(acs.requests.map((r) => r.clientPort)).size).toBe(1);
  });

  it("H10: a 503 fails with HttpStatus and its Retry-After, and a closed port with ConnectFailed, as TransportErrors", async () => {
    const acs = await serve((_req, res) => {
      res.writeHead(503, { "retry-after": "120" });
      res.end();
    });
    const busy = await session({ url: acs.url }, (c) => Effect.promise(() => postNow(c, "<x/>")));
    expect(Exit.isSuccess(busy) && busy.value.failed).toMatchObject({
      _tag: "TransportError",
      reason: "HttpStatus",
      status: 503,
      retryAfter: 120,
    });
    const port = await closedPort();
    const refused = await session({ url: `http://127.0.0.1:${port}/acs` }, (c) =>
      Effect.promise(() => postNow(c, "<x/>")),
    );
    const failed = Exit.isSuccess(refused) ? refused.value.failed : undefined;
    expect(failed).toBeInstanceOf(TransportError);
    expect(failed).toMatchObject({ reason: "ConnectFailed" });
  });

  it("on a TestClock the connection offers none: POSTs go through post, in virtual time", async () => {
    const acs = await serve(ok());
    const offered = await Effect.runPromise(
      Effect.provide(
        Effect.scoped(
          Effect.map(AcsClient.make().open({ url: acs.url }), (c) => c.postNow !== undefined),
        ),
        TestContext.TestContext,
      ),
    );
    expect(offered).toBe(false);
  });
});
