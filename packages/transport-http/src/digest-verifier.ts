/**
 * HTTP Digest authentication, server side: stateless nonces the server can check (an HMAC over
 * their issue time), expiry answered with `stale=true`, `nc` replay detection per nonce, and
 * a check that the `uri` parameter names the request's own target. Used by the Connection
 * Request server (requirement C3) and by test servers.
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type DigestAlgorithm, digestResponse, parseDigestAlgorithm } from "./digest-auth.js";
import { formatAuthParams, parseAuthHeader } from "./internal/auth-params.js";

/** How a verifier challenges and what it accepts. */
export interface DigestVerifierOptions {
  readonly realm: string;
  /** Algorithms offered, one challenge each, in this order. Default `["SHA-256", "MD5"]`. */
  readonly algorithms?: readonly DigestAlgorithm[];
  /** Offer and require `qop=auth`. Default true; false offers the RFC 2069 form (no replay check). */
  readonly requireQop?: boolean;
  /** Nonce lifetime in milliseconds. Default 5 minutes. */
  readonly nonceLifetimeMs?: number;
  /** Most nonces whose `nc` is remembered; the oldest are forgotten first. Default 1024. */
  readonly maxTrackedNonces?: number;
  /** HMAC key of the nonces; random per verifier by default. */
  readonly secret?: Uint8Array;
}

/** Why a request was refused. */
export type DigestRefusal =
  | "Missing"
  | "Malformed"
  | "WrongRealm"
  | "WrongUri"
  | "Algorithm"
  | "QopRequired"
  | "UnknownNonce"
  | "BadCredentials"
  | "StaleNonce"
  | "Replay";

/** The outcome of {@link DigestVerifier.verify}. */
export type DigestVerdict =
  | { readonly ok: true; readonly username: string }
  | { readonly ok: false; readonly reason: DigestRefusal };

/** What the verifier needs to know of a request. */
export interface DigestRequest {
  readonly method: string;
  /** The request-target exactly as received (path and query). */
  readonly target: string;
  readonly authorization: string | undefined;
}

const ncPattern = /^[0-9a-fA-F]{8}$/;

/**
 * Issues challenges and verifies Digest credentials. Holds the per-nonce `nc` high-water
 * marks, so use one instance per server.
 */
export class DigestVerifier {
  private readonly secret: Uint8Array;
  private readonly algorithms: readonly DigestAlgorithm[];
  private readonly requireQop: boolean;
  private readonly lifetime: number;
  private readonly maxTracked: number;
  private readonly lastNc = new Map<string, number>();

  constructor(private readonly options: DigestVerifierOptions) {
    this.secret = options.secret ?? randomBytes(32);
    this.algorithms = options.algorithms ?? ["SHA-256", "MD5"];
    this.requireQop = options.requireQop ?? true;
    this.lifetime = options.nonceLifetimeMs ?? 300_000;
    this.maxTracked = options.maxTrackedNonces ?? 1024;
  }

  /** A new nonce: issue time, random bytes and a truncated HMAC of both, base64url. */
  issueNonce(nowMs: number): string {
    const body = Buffer.alloc(20);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(nowMs))), 0);
    randomBytes(12).copy(body, 8);
    return Buffer.concat([body, this.mac(body)]).toString("base64url");
  }

  /** The `WWW-Authenticate` values of a 401 (one per offered algorithm). */
  challenges(nowMs: number, stale = false): string[] {
    return this.algorithms.map((algorithm) => {
      const params: Array<readonly [string, string]> = [
        ["realm", this.options.realm],
        ["nonce", this.issueNonce(nowMs)],
        ["algorithm", algorithm],
      ];
      if (this.requireQop) params.push(["qop", "auth"]);
      if (stale) params.push(["stale", "true"]);
      return `Digest ${formatAuthParams(params, new Set(["algorithm", "stale"]))}`;
    });
  }

  /** Checks a request's `Authorization` against the expected credentials. */
  verify(
    request: DigestRequest,
    credentials: { readonly username: string; readonly password: string },
    nowMs: number,
  ): DigestVerdict {
    const refuse = (reason: DigestRefusal): DigestVerdict => ({ ok: false, reason });
    if (request.authorization === undefined) return refuse("Missing");
    const cred = parseAuthHeader(request.authorization)[0];
    if (cred === undefined || cred.scheme !== "digest") return refuse("Missing");
    const p = cred.params;
    const { username, realm, nonce, uri, response } = p;
    if (username === undefined || realm === undefined || !nonce || uri === undefined || !response)
      return refuse("Malformed");
    if (realm !== this.options.realm) return refuse("WrongRealm");
    // The uri parameter must name this very request, or a captured header could be replayed elsewhere.
    if (uri !== request.target) return refuse("WrongUri");
    const algorithm = parseDigestAlgorithm(p.algorithm);
    if (algorithm === undefined || !this.algorithms.includes(algorithm)) return refuse("Algorithm");
    const withQop = p.qop !== undefined;
    if (withQop && (p.qop !== "auth" || !p.nc || !ncPattern.test(p.nc) || !p.cnonce))
      return refuse("Malformed");
    if (this.requireQop && !withQop) return refuse("QopRequired");
    // A tracked nonce passed the MAC check when it was first used: its time is read as is.
    const issuedAt = this.lastNc.has(nonce) ? this.issuedAt(nonce) : this.nonceTime(nonce);
    if (issuedAt === undefined) return refuse("UnknownNonce");
    const expected = digestResponse({
      algorithm,
      username: credentials.username,
      password: credentials.password,
      realm,
      method: request.method,
      uri,
      nonce,
      ...(withQop ? { qop: "auth" as const, nc: p.nc! } : {}),
      ...(p.cnonce === undefined ? {} : { cnonce: p.cnonce }),
    });
    if (username !== credentials.username || !sameText(expected, response.toLowerCase()))
      return refuse("BadCredentials");
    // Staleness is told only to a client that proved the password (RFC 7616 §3.3 "stale").
    if (nowMs - issuedAt > this.lifetime || issuedAt - nowMs > this.lifetime)
      return refuse("StaleNonce");
    if (withQop) {
      const nc = Number.parseInt(p.nc!, 16);
      const last = this.lastNc.get(nonce) ?? 0;
      if (nc <= last) return refuse("Replay");
      this.remember(nonce, nc, nowMs);
    }
    return { ok: true, username };
  }

  private mac(body: Uint8Array): Buffer {
    return createHmac("sha256", this.secret).update(body).digest().subarray(0, 16);
  }

  /** The issue time of a nonce this verifier made, or undefined for a forged or foreign one. */
  private nonceTime(nonce: string): number | undefined {
    const raw = Buffer.from(nonce, "base64url");
    if (raw.length !== 36) return undefined;
    const body = raw.subarray(0, 20);
    if (!timingSafeEqual(raw.subarray(20), this.mac(body))) return undefined;
    return Number(body.readBigUInt64BE(0));
  }

  /** The issue time written in a nonce already verified (tracked in `lastNc`). */
  private issuedAt(nonce: string): number {
    return Number(Buffer.from(nonce, "base64url").readBigUInt64BE(0));
  }

  private remember(nonce: string, nc: number, nowMs: number): void {
    // Delete and re-insert so Map order is least-recently-used first.
    this.lastNc.delete(nonce);
    this.lastNc.set(nonce, nc);
    for (const [n] of this.lastNc) {
      if (this.lastNc.size <= this.maxTracked) {
        if (nowMs - this.issuedAt(n) <= this.lifetime) break;
      }
      // Expired nonces are refused as stale anyway, so forgetting them loses nothing.
      this.lastNc.delete(n);
    }
  }
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
