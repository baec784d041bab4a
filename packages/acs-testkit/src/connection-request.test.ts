import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAuthParams } from "./http-auth.js";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

/** A tiny CPE connection-request server: Digest (qop=auth) with fixed credentials, 200 or 204. */
const crServer = (user: string, password: string, okStatus = 204) => {
  const seen: { authorization?: string }[] = [];
  const nonce = "c0ffee";
  const server = createServer((req: IncomingMessage, res) => {
    const authorization = req.headers.authorization;
    seen.push(authorization ? { authorization } : {});
    const p = authorization ? parseAuthParams(authorization.replace(/^Digest\s+/, "")) : {};
    const ha1 = md5(`${user}:cr-realm:${password}`);
    const ha2 = md5(`GET:${p.uri}`);
    const expected = md5(`${ha1}:${nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`);
    if (p.response === expected && p.nonce === nonce && p.uri === req.url && p.qop === "auth") {
      res.writeHead(okStatus).end();
    } else {
      res
        .writeHead(401, {
          "WWW-Authenticate": `Digest realm="cr-realm", qop="auth", nonce="${nonce}"`,
        })
        .end();
    }
  });
  return { server, seen };
};

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      resolve(`http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/cr/8f3a`);
    }),
  );

let acs: TestAcsHandle;
let servers: Server[] = [];
beforeEach(async () => {
  acs = await startTestAcs();
});
afterEach(async () => {
  await acs.stop();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

describe("C1 C3 C4: connection request to the CPE", () => {
  it("C3: answers the 401 Digest challenge; the CPE verifies the Authorization and answers 204", async () => {
    const { server, seen } = crServer("acs", "crpass");
    servers.push(server);
    const url = await listen(server);
    expect(await acs.connectionRequest(url, "acs", "crpass")).toBe(204);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.authorization).toBeUndefined();
    const p = parseAuthParams(seen[1]?.authorization ?? "");
    expect(p).toMatchObject({
      username: "acs",
      realm: "cr-realm",
      nonce: "c0ffee",
      uri: "/cr/8f3a",
      qop: "auth",
      nc: "00000001",
    });
    const entry = acs.transcript.entries().at(-1);
    expect(entry).toMatchObject({
      kind: "connectionRequest",
      method: "GET",
      response: { status: 204 },
    });
  });

  it("C3: wrong credentials end with the CPE's 401", async () => {
    const { server } = crServer("acs", "crpass", 200);
    servers.push(server);
    expect(await acs.connectionRequest(await listen(server), "acs", "wrong")).toBe(401);
  });

  it("C1: a CPE that does not challenge answers the first GET", async () => {
    const server = createServer((_req, res) => res.writeHead(200).end());
    servers.push(server);
    expect(await acs.connectionRequest(await listen(server), "u", "p")).toBe(200);
  });

  it("refuses a URL that is not loopback http, without sending anything", async () => {
    await expect(acs.connectionRequest("http://192.0.2.1:7547/", "u", "p")).rejects.toMatchObject({
      reason: "BadInput",
    });
    await expect(acs.connectionRequest("not a url", "u", "p")).rejects.toMatchObject({
      reason: "BadInput",
    });
  });

  it("a closed port is a Transport error", async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise((r) => server.close(r));
    await expect(acs.connectionRequest(url, "u", "p")).rejects.toMatchObject({
      reason: "Transport",
    });
  });
});
