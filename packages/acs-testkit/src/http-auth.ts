/**
 * HTTP Basic and Digest (RFC 7617, RFC 7616 with MD5 and `qop=auth`) as the testkit needs them:
 * the ACS challenges and checks the CPE, and it answers the CPE's challenge when it sends a
 * connection request. Only the MD5 family: it is what CWMP devices implement (A2).
 *
 * Hand-written on node:crypto: `@cpekit/transport-http` has a fuller Digest client, but the
 * testkit must be able to check what a CPE sends independently of it (a shared bug would pass).
 * @module
 */
import { createHash, randomBytes } from "node:crypto";

/** How the ACS authenticates the CPE (server side), or the credentials of a served file. */
export interface HttpAuthOptions {
  readonly scheme: "basic" | "digest";
  readonly username: string;
  readonly password: string;
  /** Digest/Basic realm; `"cpekit-testkit"` by default. */
  readonly realm?: string;
}

const md5 = (text: string): string => createHash("md5").update(text, "utf8").digest("hex");

/** Parses the `name=value` pairs of an `Authorization` or `WWW-Authenticate` header. */
export const parseAuthParams = (value: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const name = (m[1] ?? "").toLowerCase();
    out[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
  }
  return out;
};

/** The Digest `response` for MD5 / MD5-sess, with or without `qop=auth`. */
export const digestResponseMd5 = (p: {
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  readonly algorithm?: string;
  readonly qop?: string;
  readonly nc?: string;
  readonly cnonce?: string;
}): string => {
  let ha1 = md5(`${p.username}:${p.realm}:${p.password}`);
  if (p.algorithm?.toLowerCase() === "md5-sess") ha1 = md5(`${ha1}:${p.nonce}:${p.cnonce ?? ""}`);
  const ha2 = md5(`${p.method}:${p.uri}`);
  return p.qop
    ? md5(`${ha1}:${p.nonce}:${p.nc ?? ""}:${p.cnonce ?? ""}:${p.qop}:${ha2}`)
    : md5(`${ha1}:${p.nonce}:${ha2}`);
};

/** The nonces one server has issued (one instance per ACS; a nonce is valid until stop). */
export class NonceBook {
  private readonly issued = new Set<string>();

  /** Issues a fresh nonce. */
  issue(): string {
    const nonce = randomBytes(16).toString("hex");
    this.issued.add(nonce);
    return nonce;
  }

  /** True when this server issued `nonce`. */
  knows(nonce: string): boolean {
    return this.issued.has(nonce);
  }
}

/** The `WWW-Authenticate` value challenging a client under `auth`. */
export const challengeFor = (auth: HttpAuthOptions, nonces: NonceBook): string => {
  const realm = auth.realm ?? "cpekit-testkit";
  return auth.scheme === "basic"
    ? `Basic realm="${realm}"`
    : `Digest realm="${realm}", qop="auth", nonce="${nonces.issue()}", algorithm=MD5`;
};

/** Why credentials were refused, or `"ok"`. Recorded in the transcript's notes. */
export type AuthVerdict =
  | "ok"
  | "missing"
  | "wrongScheme"
  | "wrongUser"
  | "wrongPassword"
  | "unknownNonce"
  | "missingQopFields";

/** Checks an `Authorization` header value against `auth` for a request `method`. */
export const verifyAuthorization = (
  header: string | undefined,
  method: string,
  auth: HttpAuthOptions,
  nonces: NonceBook,
): AuthVerdict => {
  if (header === undefined || header.trim() === "") return "missing";
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const rest = space < 0 ? "" : header.slice(space + 1).trim();
  if (scheme !== auth.scheme) return "wrongScheme";
  if (auth.scheme === "basic") {
    const decoded = Buffer.from(rest, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0 || decoded.slice(0, colon) !== auth.username) return "wrongUser";
    return decoded.slice(colon + 1) === auth.password ? "ok" : "wrongPassword";
  }
  const p = parseAuthParams(rest);
  if (p.username !== auth.username) return "wrongUser";
  if (p.nonce === undefined || !nonces.knows(p.nonce)) return "unknownNonce";
  if (p.qop !== undefined && (p.nc === undefined || p.cnonce === undefined))
    return "missingQopFields";
  const expected = digestResponseMd5({
    username: auth.username,
    password: auth.password,
    realm: p.realm ?? "",
    method,
    uri: p.uri ?? "",
    nonce: p.nonce,
    algorithm: p.algorithm,
    qop: p.qop,
    nc: p.nc,
    cnonce: p.cnonce,
  });
  return expected === p.response && (p.realm ?? "") === (auth.realm ?? "cpekit-testkit")
    ? "ok"
    : "wrongPassword";
};

/** The `Authorization` value answering a Digest challenge (client side, first use of nonce). */
export const digestAuthorization = (p: {
  readonly challenge: Record<string, string>;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
}): string => {
  const { challenge: c } = p;
  const realm = c.realm ?? "";
  const nonce = c.nonce ?? "";
  const offersAuth = c.qop?.split(",").some((q) => q.trim().toLowerCase() === "auth") ?? false;
  const nc = "00000001";
  const cnonce = randomBytes(8).toString("hex");
  const sess = c.algorithm?.toLowerCase() === "md5-sess";
  const response = digestResponseMd5({
    username: p.username,
    password: p.password,
    realm,
    method: p.method,
    uri: p.uri,
    nonce,
    algorithm: c.algorithm,
    ...(offersAuth ? { qop: "auth", nc } : {}),
    ...(offersAuth || sess ? { cnonce } : {}),
  });
  const parts = [
    `username="${p.username}"`,
    `realm="${realm}"`,
    `nonce="${nonce}"`,
    `uri="${p.uri}"`,
    `response="${response}"`,
  ];
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  if (c.opaque !== undefined) parts.push(`opaque="${c.opaque}"`);
  // A3: without a qop from the server, no qop/nc/cnonce (RFC 2069 form).
  if (offersAuth) parts.push("qop=auth", `nc=${nc}`, `cnonce="${cnonce}"`);
  else if (sess) parts.push(`cnonce="${cnonce}"`);
  return `Digest ${parts.join(", ")}`;
};

/** The `Authorization` value of HTTP Basic. */
export const basicAuthorization = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
