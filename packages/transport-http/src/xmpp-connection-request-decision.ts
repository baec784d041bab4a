/**
 * What the device answers to an XMPP Connection Request (TR-069 Annex K, requirement section
 * 1.9), as pure functions: the sender must be in ConnReqAllowedJabberIDs (else IQ error
 * `service-unavailable`), then the `username`/`password` of the `connectionRequest` element
 * must equal ConnectionRequestUsername/Password (else `not-authorized`); only then is a
 * session started. The allow-list is checked first so a sender that is not allowed learns
 * nothing about the credentials.
 * @module
 */
import type { ConnectionRequestCredentials } from "@cpekit/core";

/** The namespace of the `connectionRequest` element (`cwmp-xmppConnReq-1-0.xsd`). */
export const XMPP_CONN_REQ_NS = "urn:broadband-forum-org:cwmp:xmppConnReq-1-0";

/** A received request: the IQ's `from` and the element's credentials. */
export interface XmppConnectionRequest {
  /** The `from` attribute of the IQ (the full JID of the ACS's connection); may be empty. */
  readonly from: string;
  readonly username: string;
  readonly password: string;
}

/** The answer: `accepted` (IQ result, a session), or the reason for an IQ error. */
export type XmppConnectionRequestVerdict = "accepted" | "notAllowed" | "notAuthorized";

/** A JID split into its parts; undefined when the text is not a JID with a domain. */
export interface JidParts {
  readonly local: string;
  readonly domain: string;
  /** Undefined for a bare JID. */
  readonly resource?: string;
}

/** Splits `local@domain/resource` (local and resource optional). */
export const parseJid = (text: string): JidParts | undefined => {
  const t = text.trim();
  const slash = t.indexOf("/");
  const bare = slash < 0 ? t : t.slice(0, slash);
  const resource = slash < 0 ? undefined : t.slice(slash + 1);
  const at = bare.indexOf("@");
  const local = at < 0 ? "" : bare.slice(0, at);
  const domain = at < 0 ? bare : bare.slice(at + 1);
  if (domain === "" || domain.includes("@")) return undefined;
  if (resource === "") return undefined;
  return resource === undefined ? { local, domain } : { local, domain, resource };
};

/**
 * Whether `from` matches one entry of ConnReqAllowedJabberIDs: a full JID entry matches that
 * JID exactly, a bare JID entry matches every resource of it (TR-181). Local part and domain
 * compare case-insensitively (XMPP case-folds them), the resource exactly.
 */
export const jidMatches = (entry: string, from: string): boolean => {
  const e = parseJid(entry);
  const f = parseJid(from);
  if (e === undefined || f === undefined) return false;
  if (e.local.toLowerCase() !== f.local.toLowerCase()) return false;
  if (e.domain.toLowerCase() !== f.domain.toLowerCase()) return false;
  return e.resource === undefined || e.resource === f.resource;
};

/** The entries of a ConnReqAllowedJabberIDs value (comma-separated list, blanks dropped). */
export const allowedJabberIdList = (value: string): readonly string[] =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** Whether `from` may send Connection Requests; an empty list allows everyone (TR-181). */
export const jidAllowed = (allowed: readonly string[], from: string): boolean =>
  allowed.length === 0 || allowed.some((entry) => jidMatches(entry, from));

/** The verdict on `request` given the allowed list and the current credentials. */
export const decideXmppConnectionRequest = (
  request: XmppConnectionRequest,
  allowed: readonly string[],
  credentials: ConnectionRequestCredentials,
): XmppConnectionRequestVerdict => {
  if (!jidAllowed(allowed, request.from)) return "notAllowed";
  if (request.username !== credentials.username || request.password !== credentials.password)
    return "notAuthorized";
  return "accepted";
};
