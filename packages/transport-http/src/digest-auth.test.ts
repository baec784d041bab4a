import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type DigestAlgorithm,
  DigestClient,
  digestResponse,
  pickDigestChallenge,
  usableDigestChallenge,
} from "./digest-auth.js";
import { DigestVerifier } from "./digest-verifier.js";
import { formatAuthParams, parseAuthHeader } from "./internal/auth-params.js";

const rfc7616 = {
  username: "Mufasa",
  password: "Circle of Life",
  realm: "http-auth@example.org",
  method: "GET",
  uri: "/dir/index.html",
  nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
  qop: "auth" as const,
  nc: "00000001",
  cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
};

describe("digestResponse (A2)", () => {
  it("matches the RFC 7616 §3.9.1 examples for MD5 and SHA-256", () => {
    expect(digestResponse({ ...rfc7616, algorithm: "MD5" })).toBe(
      "8ca523f5e9506fed4657c9700eebdbec",
    );
    expect(digestResponse({ ...rfc7616, algorithm: "SHA-256" })).toBe(
      "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    );
  });

  it("matches the RFC 2617 §3.5 example (MD5, qop=auth)", () => {
    expect(
      digestResponse({
        algorithm: "MD5",
        username: "Mufasa",
        password: "Circle Of Life",
        realm: "testrealm@host.com",
        method: "GET",
        uri: "/dir/index.html",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        qop: "auth",
        nc: "00000001",
        cnonce: "0a4f113b",
      }),
    ).toBe("6629fae49393a05397450978507c4ef1");
  });

  it("-sess variants differ from the plain ones and depend on the cnonce", () => {
    const sess = digestResponse({ ...rfc7616, algorithm: "MD5-sess" });
    expect(sess).not.toBe(digestResponse({ ...rfc7616, algorithm: "MD5" }));
    expect(sess).not.toBe(digestResponse({ ...rfc7616, algorithm: "MD5-sess", cnonce: "x" }));
    expect(digestResponse({ ...rfc7616, algorithm: "SHA-256-sess" })).toHaveLength(64);
  });
});

describe("parseAuthHeader", () => {
  it("reads several challenges from one header value, with quoted commas and escapes", () => {
    const list = parseAuthHeader(
      'Digest realm="a, \\"b\\"", nonce="n1", qop="auth,auth-int", algorithm=SHA-256, Basic realm="x", Digest realm=r, nonce=n2',
    );
    expect(list.map((c) => c.scheme)).toEqual(["digest", "basic", "digest"]);
    expect(list[0]?.params).toEqual({
      realm: 'a, "b"',
      nonce: "n1",
      qop: "auth,auth-int",
      algorithm: "SHA-256",
    });
    expect(list[2]?.params).toEqual({ realm: "r", nonce: "n2" });
  });

  it("keeps the parameters read before an unterminated quoted value, escaped quote or not", () => {
    for (const tail of ['"open', '"open\\', '"a\\"b'])
      expect(parseAuthHeader(`Digest nonce="n1", realm=${tail}`)).toEqual([
        { scheme: "digest", params: { nonce: "n1" } },
      ]);
  });

  it("reads a token68 (Basic credentials)", () => {
    expect(parseAuthHeader("Basic dXNlcjpwYXNz==")[0]).toEqual({
      scheme: "basic",
      params: {},
      token68: "dXNlcjpwYXNz==",
    });
  });

  test.prop([
    fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.string({ maxLength: 30 }), {
      maxKeys: 6,
    }),
  ])(
    "formatting parameters and parsing them back gives the same values (quoting is lossless)",
    (params) => {
      const header = `Digest ${formatAuthParams(Object.entries(params))}`;
      expect(parseAuthHeader(header)).toEqual([{ scheme: "digest", params }]);
    },
  );

  // RFC 9110 tchar: what a token (a scheme, a name, an unquoted value) may be made of.
  const tchar = fc.constantFrom(
    ..."!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
  );
  const token = fc.string({ unit: tchar, minLength: 1, maxLength: 12 });
  const space = fc.constantFrom("", " ", "\t", " \t ");
  test.prop([
    fc.uniqueArray(fc.tuple(token, token), { maxLength: 5, selector: ([n]) => n.toLowerCase() }),
    space,
    space,
  ])(
    "names and unquoted values made of any tchar, between spaces and tabs, parse back as written",
    (pairs, before, after) => {
      const header = `Digest ${pairs.map(([n, v]) => `${before}${n}${after}=${after}${v}${before},`).join("")}`;
      const params = Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]));
      expect(parseAuthHeader(header)).toEqual([{ scheme: "digest", params }]);
    },
  );

  it("a character outside tchar ends a token: an unquoted value stops there, a name does not start", () => {
    expect(parseAuthHeader("Digest realm=a@b, nonce=n")).toEqual([
      { scheme: "digest", params: { realm: "a" } },
    ]);
    expect(parseAuthHeader("Digest nonce=n, é=x")).toEqual([
      { scheme: "digest", params: { nonce: "n" } },
    ]);
  });

  test.prop([fc.string({ maxLength: 200 })])("never throws on arbitrary header text", (text) => {
    expect(Array.isArray(parseAuthHeader(text))).toBe(true);
  });
});

describe("challenge selection", () => {
  it("prefers SHA-256 over MD5 and skips unknown algorithms and auth-int only", () => {
    const picked = pickDigestChallenge(
      parseAuthHeader([
        'Digest realm="r", nonce="1", algorithm=MD5, qop="auth"',
        'Digest realm="r", nonce="2", algorithm=SHA-512-256, qop="auth"',
        'Digest realm="r", nonce="3", algorithm=SHA-256, qop="auth"',
        'Digest realm="r", nonce="4", algorithm=SHA-256, qop="auth-int"',
      ]),
    );
    expect(picked?.nonce).toBe("3");
    expect(picked?.algorithm).toBe("SHA-256");
  });

  it("treats a missing algorithm as MD5", () => {
    const c = parseAuthHeader('Digest realm="r", nonce="1"')[0]!;
    expect(usableDigestChallenge(c)?.algorithm).toBe("MD5");
  });
});

describe("DigestClient", () => {
  const challenge = (header: string) => usableDigestChallenge(parseAuthHeader(header)[0]!)!;
  const creds = { username: "cpe", password: "secret" };

  it("A2: counts nc per nonce and restarts it on a new challenge", () => {
    const client = new DigestClient(challenge('Digest realm="r", nonce="n", qop="auth"'), creds);
    const nc = (h: string) => parseAuthHeader(h)[0]?.params.nc;
    expect(nc(client.authorization("POST", "/acs"))).toBe("00000001");
    expect(nc(client.authorization("POST", "/acs"))).toBe("00000002");
    client.adopt(challenge('Digest realm="r", nonce="m", qop="auth", stale=true'));
    const h = client.authorization("POST", "/acs");
    expect(nc(h)).toBe("00000001");
    expect(parseAuthHeader(h)[0]?.params.nonce).toBe("m");
  });

  it("A3: sends no qop, nc or cnonce when the server offered no qop", () => {
    const client = new DigestClient(challenge('Digest realm="r", nonce="n"'), creds);
    const p = parseAuthHeader(client.authorization("POST", "/acs"))[0]!.params;
    expect(p.qop).toBeUndefined();
    expect(p.nc).toBeUndefined();
    expect(p.cnonce).toBeUndefined();
    expect(p.response).toBe(
      digestResponse({
        ...creds,
        algorithm: "MD5",
        realm: "r",
        method: "POST",
        uri: "/acs",
        nonce: "n",
      }),
    );
  });

  it("writes nc, qop and algorithm unquoted (RFC 7616 §3.4)", () => {
    const client = new DigestClient(
      challenge('Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256'),
      creds,
    );
    const h = client.authorization("POST", "/acs");
    expect(h).toMatch(/ nc=00000001(,|$)/);
    expect(h).toMatch(/ qop=auth(,|$)/);
    expect(h).toMatch(/ algorithm=SHA-256(,|$)/);
  });
});

describe("DigestVerifier (C3)", () => {
  const algorithms: DigestAlgorithm[] = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"];
  const answer = (v: DigestVerifier, creds: { username: string; password: string }) => {
    const ch = pickDigestChallenge(parseAuthHeader(v.challenges(1_000)))!;
    return new DigestClient(ch, creds);
  };

  test.prop([
    fc.constantFrom(...algorithms),
    fc.string({ maxLength: 20 }),
    fc.string({ maxLength: 20 }),
    fc.webPath(),
  ])(
    "a client with the right password is accepted and one with another password is not",
    (algorithm, username, password, path) => {
      const uri = path === "" ? "/" : path;
      const v = new DigestVerifier({ realm: "cpekit", algorithms: [algorithm] });
      const good = answer(v, { username, password }).authorization("GET", uri);
      expect(
        v.verify(
          { method: "GET", target: uri, authorization: good },
          { username, password },
          1_000,
        ),
      ).toEqual({
        ok: true,
        username,
      });
      const bad = answer(v, { username, password: `${password}x` }).authorization("GET", uri);
      expect(
        v.verify({ method: "GET", target: uri, authorization: bad }, { username, password }, 1_000),
      ).toEqual({
        ok: false,
        reason: "BadCredentials",
      });
    },
  );

  it("refuses a replayed nc, a foreign nonce, a wrong uri and an expired nonce (stale)", () => {
    const creds = { username: "acs", password: "pw" };
    const v = new DigestVerifier({ realm: "cpekit", nonceLifetimeMs: 1_000 });
    const client = answer(v, creds);
    const first = client.authorization("GET", "/cr");
    const check = (authorization: string, target = "/cr", now = 1_000) =>
      v.verify({ method: "GET", target, authorization }, creds, now);
    expect(check(first).ok).toBe(true);
    expect(check(first)).toEqual({ ok: false, reason: "Replay" });
    expect(check(client.authorization("GET", "/other"))).toEqual({ ok: false, reason: "WrongUri" });
    expect(check(client.authorization("GET", "/cr"), "/cr", 2_001)).toEqual({
      ok: false,
      reason: "StaleNonce",
    });
    const foreign = new DigestVerifier({ realm: "cpekit" });
    expect(check(answer(foreign, creds).authorization("GET", "/cr"))).toEqual({
      ok: false,
      reason: "UnknownNonce",
    });
  });

  it("refuses a response without qop when qop is required", () => {
    const creds = { username: "acs", password: "pw" };
    const v = new DigestVerifier({ realm: "cpekit", algorithms: ["MD5"] });
    const nonce = v.issueNonce(1_000);
    const noQop = new DigestClient(
      usableDigestChallenge(parseAuthHeader(`Digest realm="cpekit", nonce="${nonce}"`)[0]!)!,
      creds,
    );
    expect(
      v.verify(
        { method: "GET", target: "/", authorization: noQop.authorization("GET", "/") },
        creds,
        1_000,
      ),
    ).toEqual({
      ok: false,
      reason: "QopRequired",
    });
  });
});
