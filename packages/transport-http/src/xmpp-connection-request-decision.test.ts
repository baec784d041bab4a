import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  allowedJabberIdList,
  decideXmppConnectionRequest,
  jidAllowed,
  jidMatches,
  parseJid,
  XMPP_CONN_REQ_NS,
} from "./xmpp-connection-request-decision.js";

const creds = { username: "cr-user", password: "cr-pass" };
const acs = "acs@xmpp.example.com/genieacs";
const good = { from: acs, username: "cr-user", password: "cr-pass" };

describe("XMPP Connection Request decision (§1.9, Annex K)", () => {
  it("§1.9: matching credentials from an allowed sender are accepted", () => {
    expect(decideXmppConnectionRequest(good, ["acs@xmpp.example.com"], creds)).toBe("accepted");
  });

  it("§1.9: a wrong username alone is not-authorized", () => {
    expect(decideXmppConnectionRequest({ ...good, username: "cr-usex" }, [], creds)).toBe(
      "notAuthorized",
    );
  });

  it("§1.9: a wrong password alone is not-authorized", () => {
    expect(decideXmppConnectionRequest({ ...good, password: "cr-pasS" }, [], creds)).toBe(
      "notAuthorized",
    );
  });

  it("§1.9: empty credentials match only empty configured credentials", () => {
    const empty = { ...good, username: "", password: "" };
    expect(decideXmppConnectionRequest(empty, [], creds)).toBe("notAuthorized");
    expect(decideXmppConnectionRequest(empty, [], { username: "", password: "" })).toBe("accepted");
  });

  it("§1.9: a sender outside ConnReqAllowedJabberIDs is refused even with the right credentials", () => {
    expect(decideXmppConnectionRequest(good, ["other@xmpp.example.com"], creds)).toBe("notAllowed");
  });

  it("§1.9: the allow-list is checked before the credentials (service-unavailable wins)", () => {
    expect(
      decideXmppConnectionRequest({ ...good, password: "x" }, ["other@xmpp.example.com"], creds),
    ).toBe("notAllowed");
  });

  it("§1.9: an empty allow-list allows every sender", () => {
    expect(jidAllowed([], "anyone@anywhere/r")).toBe(true);
    expect(jidAllowed([], "")).toBe(true);
  });

  it("§1.9: a bare JID entry matches every resource of that JID", () => {
    expect(jidMatches("acs@xmpp.example.com", "acs@xmpp.example.com/r1")).toBe(true);
    expect(jidMatches("acs@xmpp.example.com", "acs@xmpp.example.com/r2")).toBe(true);
    expect(jidMatches("acs@xmpp.example.com", "acs@xmpp.example.com")).toBe(true);
  });

  it("§1.9: a full JID entry matches only that resource", () => {
    expect(jidMatches("acs@xmpp.example.com/r1", "acs@xmpp.example.com/r1")).toBe(true);
    expect(jidMatches("acs@xmpp.example.com/r1", "acs@xmpp.example.com/r2")).toBe(false);
    expect(jidMatches("acs@xmpp.example.com/r1", "acs@xmpp.example.com")).toBe(false);
    expect(jidMatches("acs@xmpp.example.com/r1", "acs@xmpp.example.com/R1")).toBe(false);
  });

  it("§1.9: the TR-181 example: ACS2@tr-069 (another domain) does not match ACS2@tr069", () => {
    const allowed = allowedJabberIdList(
      "ACS1@tr069.example.com, ACS2@tr-069.example.com/resource1",
    );
    expect(jidAllowed(allowed, "ACS1@tr069.example.com/resource1")).toBe(true);
    expect(jidAllowed(allowed, "ACS1@tr069.example.com/resource2")).toBe(true);
    expect(jidAllowed(allowed, "ACS2@tr-069.example.com/resource1")).toBe(true);
    expect(jidAllowed(allowed, "ACS2@tr069.example.com/resource1")).toBe(false);
    expect(jidAllowed(allowed, "ACS2@tr-069.example.com/resource2")).toBe(false);
  });

  it("§1.9: local part and domain differ alone → no match; they compare case-insensitively", () => {
    expect(jidMatches("acs@xmpp.example.com", "acx@xmpp.example.com/r")).toBe(false);
    expect(jidMatches("acs@xmpp.example.com", "acs@xmpp.example.org/r")).toBe(false);
    expect(jidMatches("ACS@XMPP.example.com", "acs@xmpp.EXAMPLE.com/r")).toBe(true);
    expect(jidMatches("xmpp.example.com", "acs@xmpp.example.com/r")).toBe(false);
  });

  it("§1.9: a sender without a JID is refused by a non-empty list", () => {
    expect(jidAllowed(["acs@xmpp.example.com"], "")).toBe(false);
    expect(jidAllowed(["acs@xmpp.example.com"], "@/")).toBe(false);
  });

  it("§1.9: JIDs parse into local part, domain and resource", () => {
    expect(parseJid("a@b/c/d")).toEqual({ local: "a", domain: "b", resource: "c/d" });
    expect(parseJid("b")).toEqual({ local: "", domain: "b" });
    expect(parseJid("a@b")).toEqual({ local: "a", domain: "b" });
    expect(parseJid("a@b/")).toBeUndefined();
    expect(parseJid("a@")).toBeUndefined();
    expect(parseJid("a@b@c")).toBeUndefined();
  });

  it("§1.9: JIDs are trimmed; an empty local part or domain before '@' or '/' parses strictly", () => {
    expect(parseJid(" a@b/r ")).toStrictEqual({ local: "a", domain: "b", resource: "r" });
    expect(parseJid("example.com")).toStrictEqual({ local: "", domain: "example.com" });
    expect(parseJid("a@example.com")).toStrictEqual({ local: "a", domain: "example.com" });
    expect(parseJid("@b")).toStrictEqual({ local: "", domain: "b" });
    expect(parseJid("/r")).toBeUndefined();
  });

  it("§1.9: an allow-list entry that is no JID matches nothing (and does not throw)", () => {
    expect(jidMatches("a@", "a@b/r")).toBe(false);
    expect(jidMatches("a@b", "a@")).toBe(false);
    expect(jidAllowed(["a@", "/x"], "a@b/r")).toBe(false);
  });

  it("§1.9: the element's namespace is the one of cwmp-xmppConnReq-1-0.xsd", () => {
    expect(XMPP_CONN_REQ_NS).toBe("urn:broadband-forum-org:cwmp:xmppConnReq-1-0");
  });

  it("§1.9: list entries are split on commas with blanks dropped", () => {
    expect(allowedJabberIdList(" a@b , ,c@d/r,")).toEqual(["a@b", "c@d/r"]);
    expect(allowedJabberIdList("")).toEqual([]);
  });

  const part = fc.stringMatching(/^[a-z0-9]{1,8}$/);
  const jid = fc.record({ local: part, domain: part, resource: part });
  const full = (j: { local: string; domain: string; resource: string }) =>
    `${j.local}@${j.domain}/${j.resource}`;

  test.prop([jid, fc.string(), fc.string(), fc.string(), fc.string()])(
    "§1.9 property: accepted iff the sender is allowed and both credentials are equal",
    (sender, u, p, cu, cp) => {
      const from = full(sender);
      const allowed = [`${sender.local}@${sender.domain}`];
      const verdict = decideXmppConnectionRequest({ from, username: u, password: p }, allowed, {
        username: cu,
        password: cp,
      });
      expect(verdict === "accepted").toBe(u === cu && p === cp);
      expect(verdict).not.toBe("notAllowed");
    },
  );

  test.prop([jid, jid, fc.string(), fc.string()])(
    "§1.9 property: a sender matching no entry is notAllowed whatever the credentials",
    (sender, entry, u, p) => {
      fc.pre(sender.local !== entry.local || sender.domain !== entry.domain);
      const verdict = decideXmppConnectionRequest(
        { from: full(sender), username: u, password: p },
        [`${entry.local}@${entry.domain}`, full(entry)],
        { username: u, password: p },
      );
      expect(verdict).toBe("notAllowed");
    },
  );

  test.prop([jid, part])(
    "§1.9 property: a bare entry allows every resource, a full entry only its own",
    (sender, otherResource) => {
      const bare = `${sender.local}@${sender.domain}`;
      expect(jidMatches(bare, `${bare}/${otherResource}`)).toBe(true);
      expect(jidMatches(full(sender), `${bare}/${otherResource}`)).toBe(
        otherResource === sender.resource,
      );
    },
  );
});
