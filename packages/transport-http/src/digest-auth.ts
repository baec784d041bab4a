/**
 * HTTP Digest authentication, client side (RFC 7616, with RFC 2617/2069 compatibility):
 * MD5, MD5-sess, SHA-256 and SHA-256-sess, `qop=auth`, `nc` counted per nonce, a fresh
 * challenge adopted on `stale=true`, and no `cnonce`/`nc`/`qop` when the server offered no qop
 * (requirement A3). The hash computations are also used by the server-side verifier.
 *
 * Hand-written on node:crypto: the maintained npm helpers we checked (http-auth-utils,
 * digest-header, @mreal/digest-auth) support MD5 only or quote `nc`/`qop`, and none has the
 * `-sess` SHA-256 variants.
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { type AuthChallenge, formatAuthParams } from "./internal/auth-params.js";

/** The Digest algorithms cpekit speaks, as written in the `algorithm` parameter. */
export type DigestAlgorithm = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess";

/** All supported algorithms, strongest first (the order a client prefers them in). */
export const digestAlgorithms: readonly DigestAlgorithm[] = [
  "SHA-256",
  "SHA-256-sess",
  "MD5",
  "MD5-sess",
];

/** Maps an `algorithm` parameter (case-insensitive, absent = MD5) to a supported algorithm. */
export const parseDigestAlgorithm = (value: string | undefined): DigestAlgorithm | undefined =>
  value === undefined
    ? "MD5"
    : digestAlgorithms.find((a) => a.toLowerCase() === value.toLowerCase());

const hashHex = (algorithm: DigestAlgorithm, text: string): string =>
  createHash(algorithm.startsWith("SHA-256") ? "sha256" : "md5")
    .update(text, "utf8")
    .digest("hex");

/** The inputs of one Digest response computation. */
export interface DigestInput {
  readonly algorithm: DigestAlgorithm;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  /** Present with `qop=auth`; absent for the RFC 2069 form. */
  readonly qop?: "auth";
  /** 8 hex digits, with qop. */
  readonly nc?: string;
  /** With qop, and with the `-sess` algorithms. */
  readonly cnonce?: string;
}

/** Computes the `response` value of a Digest exchange (RFC 7616 §3.4.1-3.4.3). */
export const digestResponse = (input: DigestInput): string => {
  const { algorithm: alg } = input;
  let ha1 = hashHex(alg, `${input.username}:${input.realm}:${input.password}`);
  if (alg.endsWith("-sess")) ha1 = hashHex(alg, `${ha1}:${input.nonce}:${input.cnonce ?? ""}`);
  const ha2 = hashHex(alg, `${input.method}:${input.uri}`);
  return input.qop === undefined
    ? hashHex(alg, `${ha1}:${input.nonce}:${ha2}`)
    : hashHex(
        alg,
        `${ha1}:${input.nonce}:${input.nc ?? ""}:${input.cnonce ?? ""}:${input.qop}:${ha2}`,
      );
};

/** Formats a nonce count as the 8 hex digits the `nc` parameter carries. */
export const formatNonceCount = (n: number): string => n.toString(16).padStart(8, "0");

/** A usable Digest challenge: the algorithm and whether `qop=auth` applies. */
export interface UsableDigestChallenge {
  readonly algorithm: DigestAlgorithm;
  readonly qop: "auth" | undefined;
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** Whether the server wrote `algorithm=` (then it is echoed back). */
  readonly algorithmExplicit: boolean;
  readonly stale: boolean;
}

/**
 * Reads a Digest challenge, or undefined when cpekit cannot answer it (unknown algorithm, only
 * `auth-int` offered, missing realm or nonce).
 */
export const usableDigestChallenge = (c: AuthChallenge): UsableDigestChallenge | undefined => {
  if (c.scheme !== "digest") return undefined;
  const { realm, nonce } = c.params;
  const algorithm = parseDigestAlgorithm(c.params.algorithm);
  if (realm === undefined || nonce === undefined || algorithm === undefined) return undefined;
  const qops = c.params.qop?.split(",").map((q) => q.trim().toLowerCase());
  if (qops !== undefined && !qops.includes("auth")) return undefined;
  return {
    algorithm,
    qop: qops === undefined ? undefined : "auth",
    realm,
    nonce,
    ...(c.params.opaque === undefined ? {} : { opaque: c.params.opaque }),
    algorithmExplicit: c.params.algorithm !== undefined,
    stale: c.params.stale?.toLowerCase() === "true",
  };
};

/** Picks the strongest challenge cpekit can answer among those a server offered. */
export const pickDigestChallenge = (
  challenges: readonly AuthChallenge[],
): UsableDigestChallenge | undefined => {
  const usable = challenges.flatMap((c) => {
    const u = usableDigestChallenge(c);
    return u ? [u] : [];
  });
  usable.sort(
    (a, b) => digestAlgorithms.indexOf(a.algorithm) - digestAlgorithms.indexOf(b.algorithm),
  );
  return usable[0];
};

/**
 * The Digest state of one client connection: the current challenge and the nonce count.
 * One instance per session (never shared), so the counter needs no synchronisation.
 */
export class DigestClient {
  private challenge: UsableDigestChallenge;
  private nonceCount = 0;
  private cnonce: string;

  constructor(
    challenge: UsableDigestChallenge,
    private readonly credentials: { readonly username: string; readonly password: string },
    private readonly makeCnonce: () => string = () => randomBytes(16).toString("hex"),
  ) {
    this.challenge = challenge;
    this.cnonce = makeCnonce();
  }

  /** Adopts a new challenge (after `stale=true` or a new nonce); the count restarts at 1. */
  adopt(challenge: UsableDigestChallenge): void {
    this.challenge = challenge;
    this.nonceCount = 0;
    this.cnonce = this.makeCnonce();
  }

  /** The nonce of the current challenge. */
  get nonce(): string {
    return this.challenge.nonce;
  }

  /** Builds the next `Authorization` header value, counting one use of the nonce. */
  authorization(method: string, uri: string): string {
    const ch = this.challenge;
    this.nonceCount++;
    const nc = formatNonceCount(this.nonceCount);
    // One cnonce per nonce: the -sess HA1 depends on it, so it must not change between requests.
    const withQop = ch.qop !== undefined;
    const sess = ch.algorithm.endsWith("-sess");
    const response = digestResponse({
      algorithm: ch.algorithm,
      username: this.credentials.username,
      password: this.credentials.password,
      realm: ch.realm,
      method,
      uri,
      nonce: ch.nonce,
      ...(withQop ? { qop: "auth" as const, nc } : {}),
      ...(withQop || sess ? { cnonce: this.cnonce } : {}),
    });
    const params: Array<readonly [string, string]> = [
      ["username", this.credentials.username],
      ["realm", ch.realm],
      ["nonce", ch.nonce],
      ["uri", uri],
      ["response", response],
    ];
    if (ch.algorithmExplicit) params.push(["algorithm", ch.algorithm]);
    if (ch.opaque !== undefined) params.push(["opaque", ch.opaque]);
    // A3: no qop from the server means no qop, nc or cnonce from us (RFC 2069 form); the -sess
    // algorithms cannot be computed without a cnonce, so they keep it.
    if (withQop) params.push(["qop", "auth"], ["nc", nc], ["cnonce", this.cnonce]);
    else if (sess) params.push(["cnonce", this.cnonce]);
    return `Digest ${formatAuthParams(params, unquotedParams)}`;
  }
}

const unquotedParams: ReadonlySet<string> = new Set(["algorithm", "qop", "nc"]);

/** The `Authorization` value of HTTP Basic (RFC 7617), UTF-8 encoded. */
export const basicAuthorization = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
