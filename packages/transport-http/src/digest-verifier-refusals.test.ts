import { describe, expect, it } from "vitest";
import { type DigestAlgorithm, digestResponse } from "./digest-auth.js";
import { DigestVerifier, type DigestVerifier as Verifier } from "./digest-verifier.js";
import { formatAuthParams } from "./internal/auth-params.js";

// Each test starts from credentials the verifier accepts and changes one thing, so the refusal
// can only come from the check the test names.

const creds = { username: "acs", password: "pw" };
const NOW = 1_000_000;

interface Fields {
  username?: string;
  realm?: string;
  nonce?: string;
  uri?: string;
  algorithm?: string;
  qop?: string;
  nc?: string;
  cnonce?: string;
  response?: string;
}

/** An `Authorization` value: good fields, with `change` applied (undefined removes a field). */
const authorization = (v: Verifier, change: Fields = {}, password = creds.password): string => {
  const f: Fields = {
    username: creds.username,
    realm: "cpekit",
    nonce: v.issueNonce(NOW),
    uri: "/cr",
    algorithm: "SHA-256",
    qop: "auth",
    nc: "00000001",
    cnonce: "c0ffee",
    ...change,
  };
  const algorithm = (
    f.algorithm === undefined
      ? "MD5"
      : f.algorithm === "sha-256"
        ? "SHA-256"
        : ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"].includes(f.algorithm)
          ? f.algorithm
          : "SHA-256"
  ) as DigestAlgorithm;
  const response =
    "response" in change
      ? change.response
      : digestResponse({
          algorithm,
          username: f.username ?? "",
          password,
          realm: f.realm ?? "",
          method: "GET",
          uri: f.uri ?? "",
          nonce: f.nonce ?? "",
          ...(f.qop === undefined ? {} : { qop: "auth" as const, nc: f.nc ?? "" }),
          ...(f.cnonce === undefined ? {} : { cnonce: f.cnonce }),
        });
  const pairs = Object.entries({ ...f, response }).filter(
    (e): e is [string, string] => e[1] !== undefined,
  );
  return `Digest ${formatAuthParams(pairs, new Set(["algorithm", "qop", "nc"]))}`;
};

const verifier = (options: Partial<ConstructorParameters<typeof DigestVerifier>[0]> = {}) =>
  new DigestVerifier({ realm: "cpekit", algorithms: ["SHA-256"], ...options });

const verify = (v: Verifier, header: string | undefined, now = NOW, target = "/cr") =>
  v.verify({ method: "GET", target, authorization: header }, creds, now);

const refused = (reason: string) => ({ ok: false, reason });
const accepted = { ok: true, username: "acs" };

describe("DigestVerifier refusals, one check at a time (C3)", () => {
  it("C3 accepts the unchanged credentials these tests start from", () => {
    const v = verifier();
    expect(verify(v, authorization(v))).toEqual(accepted);
  });

  it("C3 no Authorization, an empty one or another scheme is Missing", () => {
    const v = verifier();
    expect(verify(v, undefined)).toEqual(refused("Missing"));
    expect(verify(v, "")).toEqual(refused("Missing"));
    expect(verify(v, "Basic YWNzOnB3")).toEqual(refused("Missing"));
    // The parameters of a Digest header under another scheme name are not Digest credentials.
    expect(verify(v, authorization(v).replace(/^Digest/, "Bearer"))).toEqual(refused("Missing"));
  });

  it.each(["username", "realm", "nonce", "uri", "response"] as const)(
    "C3 credentials without %s are Malformed",
    (field) => {
      const v = verifier();
      expect(verify(v, authorization(v, { [field]: undefined }))).toEqual(refused("Malformed"));
    },
  );

  it("C3 an empty nonce or an empty response is Malformed, not a bad nonce or password", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { nonce: "" }))).toEqual(refused("Malformed"));
    expect(verify(v, authorization(v, { response: "" }))).toEqual(refused("Malformed"));
  });

  it("C3 an empty username or realm is a value, not a missing field", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { username: "" }))).toEqual(refused("BadCredentials"));
    expect(verify(v, authorization(v, { realm: "" }))).toEqual(refused("WrongRealm"));
  });

  it("C3 another realm is WrongRealm even with a response computed for it", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { realm: "other" }))).toEqual(refused("WrongRealm"));
  });

  it("C3 a uri naming another target is WrongUri", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { uri: "/cr?x=1" }))).toEqual(refused("WrongUri"));
  });

  it("C3 an unsupported algorithm, or one this verifier does not offer, is refused as Algorithm", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { algorithm: "SHA-512" }))).toEqual(refused("Algorithm"));
    expect(verify(v, authorization(v, { algorithm: "MD5" }))).toEqual(refused("Algorithm"));
    // No algorithm parameter means MD5 (RFC 7616 §3.3), which this verifier does not offer.
    expect(verify(v, authorization(v, { algorithm: undefined }))).toEqual(refused("Algorithm"));
    const md5 = verifier({ algorithms: ["MD5"] });
    expect(verify(md5, authorization(md5, { algorithm: undefined }))).toEqual(accepted);
    // The algorithm name is case-insensitive.
    expect(verify(v, authorization(v, { algorithm: "sha-256" }))).toEqual(accepted);
  });

  it("C3 a qop other than auth is Malformed", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { qop: "auth-int" }))).toEqual(refused("Malformed"));
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["7 digits", "0000001"],
    ["9 digits", "000000001"],
    ["a non-hex digit", "0000000g"],
    ["a leading non-hex character", "g00000001"],
  ])("C3 with qop, an nc that is %s is Malformed", (_why, nc) => {
    const v = verifier();
    expect(verify(v, authorization(v, { nc }))).toEqual(refused("Malformed"));
  });

  it("C3 with qop, an nc in upper-case hex is accepted", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { nc: "0000000A" }))).toEqual(accepted);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
  ])("C3 with qop, a cnonce that is %s is Malformed", (_why, cnonce) => {
    const v = verifier();
    expect(verify(v, authorization(v, { cnonce }))).toEqual(refused("Malformed"));
  });

  it("A3 without requireQop, the RFC 2069 form (no qop, nc, cnonce) is accepted and may repeat", () => {
    const v = verifier({ requireQop: false });
    const header = authorization(v, { qop: undefined, nc: undefined, cnonce: undefined });
    expect(verify(v, header)).toEqual(accepted);
    // Without nc there is no replay check to make.
    expect(verify(v, header)).toEqual(accepted);
    // A client that sends qop is still held to it.
    expect(verify(v, authorization(v))).toEqual(accepted);
    expect(verify(v, authorization(v, { nc: "1" }))).toEqual(refused("Malformed"));
  });

  it("C3 a nonce of the wrong length, or with a changed MAC, is UnknownNonce", () => {
    const v = verifier();
    const nonce = v.issueNonce(NOW);
    // 36 bytes: 48 base64url characters.
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{48}$/);
    expect(verify(v, authorization(v, { nonce }))).toEqual(accepted);
    expect(verify(v, authorization(v, { nonce: `${nonce}AAAA` }))).toEqual(refused("UnknownNonce"));
    expect(verify(v, authorization(v, { nonce: nonce.slice(0, 44) }))).toEqual(
      refused("UnknownNonce"),
    );
    const last = nonce.at(-1) === "A" ? "B" : "A";
    expect(verify(v, authorization(v, { nonce: `${nonce.slice(0, -1)}${last}` }))).toEqual(
      refused("UnknownNonce"),
    );
    // A nonce another verifier issued (another secret) is not one of ours.
    const other = verifier();
    expect(verify(v, authorization(v, { nonce: other.issueNonce(NOW) }))).toEqual(
      refused("UnknownNonce"),
    );
  });

  it("C3 a nonce made with the same secret is recognised by another verifier instance", () => {
    const secret = new Uint8Array(32).fill(7);
    const a = verifier({ secret });
    const b = verifier({ secret });
    expect(verify(b, authorization(b, { nonce: a.issueNonce(NOW) }))).toEqual(accepted);
  });

  it("C3 another username, or a response of the wrong length, is BadCredentials", () => {
    const v = verifier();
    expect(verify(v, authorization(v, { username: "intruder" }))).toEqual(
      refused("BadCredentials"),
    );
    const good = authorization(v);
    const response = /response="([0-9a-f]+)"/.exec(good)?.[1] ?? "";
    expect(response).toHaveLength(64);
    expect(verify(v, authorization(v, { response: `${response}0` }))).toEqual(
      refused("BadCredentials"),
    );
    expect(verify(v, authorization(v, { response: response.slice(1) }))).toEqual(
      refused("BadCredentials"),
    );
    // Hex digits compare without regard to case.
    expect(verify(v, good.replace(response, response.toUpperCase()))).toEqual(accepted);
  });

  it("C3 a response computed for the expected user under another username is BadCredentials", () => {
    const v = verifier();
    const nonce = v.issueNonce(NOW);
    const forRightUser = /response="([0-9a-f]+)"/.exec(authorization(v, { nonce }))?.[1];
    expect(
      verify(v, authorization(v, { nonce, username: "intruder", response: forRightUser })),
    ).toEqual(refused("BadCredentials"));
  });

  it("C3 the nonce lifetime bounds both ways: past and future issue times are StaleNonce", () => {
    const lifetime = 1_000;
    const v = verifier({ nonceLifetimeMs: lifetime });
    const at = (issued: number, now: number) =>
      verify(v, authorization(v, { nonce: v.issueNonce(issued) }), now);
    expect(at(NOW, NOW + lifetime)).toEqual(accepted);
    expect(at(NOW, NOW + lifetime + 1)).toEqual(refused("StaleNonce"));
    expect(at(NOW + lifetime, NOW)).toEqual(accepted);
    expect(at(NOW + lifetime + 1, NOW)).toEqual(refused("StaleNonce"));
  });

  it("C3 the default nonce lifetime is five minutes", () => {
    const v = verifier();
    const at = (now: number) => verify(v, authorization(v), now);
    expect(at(NOW + 300_000)).toEqual(accepted);
    expect(at(NOW + 300_001)).toEqual(refused("StaleNonce"));
  });

  it("C3 a stale nonce with a wrong password is BadCredentials: staleness is told only to who proved the password", () => {
    const v = verifier({ nonceLifetimeMs: 1_000 });
    expect(verify(v, authorization(v, {}, "wrong"), NOW + 5_000)).toEqual(
      refused("BadCredentials"),
    );
  });

  it("C3 issue times are whole non-negative milliseconds", () => {
    const v = verifier({ nonceLifetimeMs: 1_000 });
    // Before the epoch counts as the epoch.
    const early = v.issueNonce(-5_000);
    expect(verify(v, authorization(v, { nonce: early }), 1_000)).toEqual(accepted);
    expect(verify(v, authorization(v, { nonce: early }), 1_001)).toEqual(refused("StaleNonce"));
    const fractional = v.issueNonce(NOW + 0.9);
    expect(verify(v, authorization(v, { nonce: fractional }), NOW + 1_000)).toEqual(accepted);
  });
});
