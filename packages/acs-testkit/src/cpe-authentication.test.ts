import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { parseAuthParams } from "./http-auth.js";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { informOf, TinyCpe } from "./test-support/tiny-cpe.js";

let acs: TestAcsHandle | undefined;
let cpe: TinyCpe | undefined;
afterEach(async () => {
  await cpe?.close();
  await acs?.stop();
});

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** RFC 2617 qop=auth response, computed here independently of the testkit. */
const digestHeader = (challenge: string, user: string, password: string, uri: string): string => {
  const c = parseAuthParams(challenge.replace(/^Digest\s+/, ""));
  const ha1 = md5(`${user}:${c.realm}:${password}`);
  const ha2 = md5(`POST:${uri}`);
  const response = md5(`${ha1}:${c.nonce}:00000001:abcdef:auth:${ha2}`);
  return `Digest username="${user}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="abcdef", response="${response}"`;
};

describe("A1 A2: the ACS authenticates the CPE", () => {
  it("A2 Digest: 401 with an MD5 qop=auth challenge, then the Inform with right credentials opens the session", async () => {
    acs = await startTestAcs({ auth: { scheme: "digest", username: "cpe", password: "secret" } });
    cpe = new TinyCpe(acs.url);
    const challenged = await cpe.post(informOf());
    expect(challenged.status).toBe(401);
    const challenge = String(challenged.headers["www-authenticate"]);
    expect(challenge).toMatch(
      /^Digest realm="cpekit-testkit", qop="auth", nonce="[0-9a-f]{32}", algorithm=MD5$/,
    );
    const wrong = await cpe.post(informOf(), {
      headers: { authorization: digestHeader(challenge, "cpe", "nope", "/acs") },
    });
    expect(wrong.status).toBe(401);
    const right = await cpe.post(informOf(), {
      headers: { authorization: digestHeader(challenge, "cpe", "secret", "/acs") },
    });
    expect(right.status).toBe(200);
    expect(right.body?._tag).toBe("InformResponse");
    expect(acs.transcript.entries().map((e) => e.notes[0])).toEqual([
      "authentication: missing",
      "authentication: wrongPassword",
      "version 1.2 (strict)",
    ]);
  });

  it("A2: a nonce the ACS never issued is refused", async () => {
    acs = await startTestAcs({ auth: { scheme: "digest", username: "cpe", password: "secret" } });
    cpe = new TinyCpe(acs.url);
    const forged = digestHeader(
      'Digest realm="cpekit-testkit", nonce="00ff"',
      "cpe",
      "secret",
      "/acs",
    );
    expect((await cpe.post(informOf(), { headers: { authorization: forged } })).status).toBe(401);
    expect(acs.transcript.entries()[0]?.notes).toContain("authentication: unknownNonce");
  });

  it("A1 Basic: checked on the Inform, and again when the session resumes on a new connection", async () => {
    acs = await startTestAcs({ auth: { scheme: "basic", username: "cpe", password: "pw" } });
    cpe = new TinyCpe(acs.url);
    const basic = `Basic ${Buffer.from("cpe:pw").toString("base64")}`;
    expect((await cpe.post(informOf())).headers["www-authenticate"]).toBe(
      'Basic realm="cpekit-testkit"',
    );
    expect((await cpe.post(informOf(), { headers: { authorization: basic } })).status).toBe(200);
    expect((await cpe.post({ _tag: "GetRPCMethods" })).status).toBe(200);
    await cpe.newConnection();
    expect((await cpe.post("")).status).toBe(401);
    expect((await cpe.post("", { headers: { authorization: basic } })).status).toBe(204);
  });
});
