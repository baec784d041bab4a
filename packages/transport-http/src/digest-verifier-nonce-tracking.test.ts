import { describe, expect, it } from "vitest";
import { digestResponse, formatNonceCount } from "./digest-auth.js";
import { DigestVerifier } from "./digest-verifier.js";
import { formatAuthParams, parseAuthHeader } from "./internal/auth-params.js";

// The verifier remembers the highest `nc` seen per nonce (replay detection) for a bounded number
// of nonces, least recently used first out, and forgets expired ones.

const creds = { username: "acs", password: "pw" };

const header = (nonce: string, nc: number): string => {
  const fields = {
    username: creds.username,
    realm: "cpekit",
    nonce,
    uri: "/cr",
    algorithm: "MD5",
    qop: "auth",
    nc: formatNonceCount(nc),
    cnonce: "c",
  };
  const response = digestResponse({
    ...fields,
    ...creds,
    method: "GET",
    algorithm: "MD5",
    qop: "auth",
  });
  return `Digest ${formatAuthParams(Object.entries({ ...fields, response }), new Set(["algorithm", "qop", "nc"]))}`;
};

const verifier = (maxTrackedNonces: number, nonceLifetimeMs = 60_000) =>
  new DigestVerifier({ realm: "cpekit", algorithms: ["MD5"], maxTrackedNonces, nonceLifetimeMs });

const use = (v: DigestVerifier, nonce: string, nc: number, now: number) =>
  v.verify({ method: "GET", target: "/cr", authorization: header(nonce, nc) }, creds, now).ok;

/** How many nonces the verifier holds; not visible through verify(), so read it directly. */
const tracked = (v: DigestVerifier): number =>
  (v as unknown as { lastNc: Map<string, number> }).lastNc.size;

describe("DigestVerifier nonce tracking (C3)", () => {
  it("C3 nc must grow per nonce; each nonce counts on its own", () => {
    const v = verifier(8);
    const a = v.issueNonce(0);
    const b = v.issueNonce(0);
    expect(use(v, a, 1, 0)).toBe(true);
    expect(use(v, a, 3, 0)).toBe(true);
    expect(use(v, a, 3, 0)).toBe(false);
    expect(use(v, a, 2, 0)).toBe(false);
    expect(use(v, b, 1, 0)).toBe(true);
    expect(use(v, a, 4, 0)).toBe(true);
  });

  it("C3 at most maxTrackedNonces are remembered: the least recently used is forgotten first", () => {
    const v = verifier(2);
    const [a, b, c] = [v.issueNonce(0), v.issueNonce(0), v.issueNonce(0)];
    expect(use(v, a, 1, 0)).toBe(true);
    expect(use(v, b, 1, 0)).toBe(true);
    expect(tracked(v)).toBe(2);
    // a used again: b is now the least recently used.
    expect(use(v, a, 2, 0)).toBe(true);
    expect(use(v, c, 1, 0)).toBe(true);
    expect(tracked(v)).toBe(2);
    // b was forgotten, so its old nc is no longer known to be a replay; a and c still are.
    expect(use(v, a, 2, 0)).toBe(false);
    expect(use(v, c, 1, 0)).toBe(false);
    expect(use(v, b, 1, 0)).toBe(true);
  });

  it("C3 a full table of live nonces is kept whole: exactly maxTrackedNonces are remembered", () => {
    const v = verifier(3);
    const nonces = [v.issueNonce(0), v.issueNonce(0), v.issueNonce(0)];
    for (const n of nonces) expect(use(v, n, 1, 0)).toBe(true);
    expect(tracked(v)).toBe(3);
    for (const n of nonces) expect(use(v, n, 1, 0)).toBe(false);
  });

  it("C3 expired nonces are forgotten when a new one is remembered, live ones kept", () => {
    const v = verifier(10, 1_000);
    const old = v.issueNonce(0);
    expect(use(v, old, 1, 0)).toBe(true);
    const live = v.issueNonce(900);
    expect(use(v, live, 1, 900)).toBe(true);
    expect(tracked(v)).toBe(2);
    // At 1 000 the old nonce is exactly at its lifetime: still live, still remembered.
    const fresh = v.issueNonce(1_000);
    expect(use(v, fresh, 1, 1_000)).toBe(true);
    expect(tracked(v)).toBe(3);
    // At 1 500 the old nonce has expired: the next remembered nonce drops it.
    const later = v.issueNonce(1_500);
    expect(use(v, later, 1, 1_500)).toBe(true);
    expect(tracked(v)).toBe(3);
    expect(use(v, live, 1, 1_500)).toBe(false);
  });

  it("A3 credentials without qop (RFC 2069) carry no nc, so nothing is remembered for them", () => {
    const v = new DigestVerifier({ realm: "cpekit", algorithms: ["MD5"], requireQop: false });
    const nonce = v.issueNonce(0);
    const response = digestResponse({
      ...creds,
      algorithm: "MD5",
      realm: "cpekit",
      method: "GET",
      uri: "/cr",
      nonce,
    });
    const authorization = `Digest ${formatAuthParams([
      ["username", creds.username],
      ["realm", "cpekit"],
      ["nonce", nonce],
      ["uri", "/cr"],
      ["response", response],
    ])}`;
    expect(v.verify({ method: "GET", target: "/cr", authorization }, creds, 0).ok).toBe(true);
    expect(tracked(v)).toBe(0);
  });

  it("C3 the default bound is 1024 nonces", () => {
    const v = new DigestVerifier({ realm: "cpekit", algorithms: ["MD5"] });
    for (let i = 0; i < 1_025; i++) use(v, v.issueNonce(0), 1, 0);
    expect(tracked(v)).toBe(1_024);
  });
});

describe("DigestVerifier challenges (C3, RFC 7616 §3.3)", () => {
  it("C3 one challenge per offered algorithm, in order; realm, nonce and qop quoted, algorithm and stale not", () => {
    const v = new DigestVerifier({ realm: 'cpe "kit"', algorithms: ["SHA-256", "MD5"] });
    const [sha, md5, more] = v.challenges(0);
    expect(more).toBeUndefined();
    expect(sha).toMatch(
      /^Digest realm="cpe \\"kit\\"", nonce="[A-Za-z0-9_-]{48}", algorithm=SHA-256, qop="auth"$/,
    );
    expect(md5).toMatch(/, algorithm=MD5, qop="auth"$/);
    expect(v.challenges(0, true)[0]).toMatch(/, qop="auth", stale=true$/);
    // What a client parses back is what was meant.
    expect(parseAuthHeader(sha!)[0]?.params).toMatchObject({ realm: 'cpe "kit"', qop: "auth" });
  });

  it("C3 the default offers SHA-256 then MD5; without requireQop no qop is offered", () => {
    const v = new DigestVerifier({ realm: "r", requireQop: false });
    const list = v.challenges(0);
    expect(list.map((c) => /algorithm=([^,]+)/.exec(c)?.[1])).toEqual(["SHA-256", "MD5"]);
    expect(list.every((c) => !c.includes("qop"))).toBe(true);
    expect(list.every((c) => !c.includes("stale"))).toBe(true);
  });

  it("C3 every challenge carries a fresh nonce the verifier accepts", () => {
    const v = new DigestVerifier({ realm: "cpekit", algorithms: ["MD5", "MD5"] });
    const nonces = v.challenges(0).map((c) => parseAuthHeader(c)[0]?.params.nonce ?? "");
    expect(new Set(nonces).size).toBe(2);
    for (const n of nonces) expect(use(v, n, 1, 0)).toBe(true);
  });
});
