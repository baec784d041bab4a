import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAuthParams } from "./http-auth.js";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";

let acs: TestAcsHandle;
beforeEach(async () => {
  acs = await startTestAcs();
});
afterEach(async () => {
  await acs.stop();
});

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const firmware = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]);

describe("§1.13 files for Download and Upload", () => {
  it("serves a file for Download at the URL serveFile returns", async () => {
    const url = await acs.serveFile("/fw/image.bin", firmware);
    expect(url).toBe(`${acs.baseUrl}/fw/image.bin`);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(firmware);
    expect(acs.transcript.entries()[0]).toMatchObject({
      kind: "fileDownload",
      response: { status: 200, body: "(6 bytes)" },
    });
  });

  it("behind Digest: 401 first, then the file with a valid GET Digest", async () => {
    const url = await acs.serveFile("/cfg.xml", firmware, {
      scheme: "digest",
      username: "dl",
      password: "pw",
      realm: "files",
    });
    const first = await fetch(url);
    expect(first.status).toBe(401);
    const c = parseAuthParams(first.headers.get("www-authenticate") ?? "");
    const response = md5(
      `${md5(`dl:files:pw`)}:${c.nonce}:00000001:xyz:auth:${md5("GET:/cfg.xml")}`,
    );
    const authorization = `Digest username="dl", realm="files", nonce="${c.nonce}", uri="/cfg.xml", qop=auth, nc=00000001, cnonce="xyz", response="${response}"`;
    const second = await fetch(url, { headers: { authorization } });
    expect(second.status).toBe(200);
    expect(new Uint8Array(await second.arrayBuffer())).toEqual(firmware);
  });

  it("§1.14-9017 breakOffAfterBytes: the whole length announced, part sent, the connection closed", async () => {
    const url = await acs.serveFile("/broken.bin", new Uint8Array(1000).fill(7), undefined, {
      breakOffAfterBytes: 10,
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("1000");
    await expect(res.arrayBuffer()).rejects.toThrow();
    expect(acs.transcript.entries().at(-1)?.notes).toContain("broken off after 10 bytes");
  });

  it("§1.14-9020 §1.14-9021 holdMs: the file is answered after the hold, whole", async () => {
    const url = await acs.serveFile("/slow.bin", firmware, undefined, { holdMs: 300 });
    const res = await fetch(url);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(firmware);
    expect(acs.transcript.entries().at(-1)?.notes).toContain("held 300 ms");
  });

  it("refuses paths that are not absolute or collide with uploads", async () => {
    await expect(acs.serveFile("fw.bin", firmware)).rejects.toMatchObject({ reason: "BadInput" });
    await expect(acs.serveFile("/upload/x", firmware)).rejects.toMatchObject({
      reason: "BadInput",
    });
  });

  it("accepts an Upload (PUT) and reports it through uploads() and nextUpload()", async () => {
    const url = acs.uploadUrl("log 1.txt");
    expect(url).toBe(`${acs.baseUrl}/upload/log%201.txt`);
    const waiting = acs.nextUpload({ timeoutMs: 1_000 });
    const res = await fetch(url, {
      method: "PUT",
      body: "hello",
      headers: { "content-type": "text/plain" },
    });
    expect(res.status).toBe(200);
    const up = await waiting;
    expect(Buffer.from(up.bytes).toString()).toBe("hello");
    expect(up).toMatchObject({
      path: "/upload/log%201.txt",
      method: "PUT",
      contentType: "text/plain",
    });
    expect(acs.uploads()).toHaveLength(1);
  });

  it("an Upload behind Basic is refused without credentials and kept with them", async () => {
    const url = acs.uploadUrl("cfg", { scheme: "basic", username: "up", password: "pw" });
    expect((await fetch(url, { method: "POST", body: "x" })).status).toBe(401);
    const ok = await fetch(url, {
      method: "POST",
      body: "x",
      headers: { authorization: `Basic ${Buffer.from("up:pw").toString("base64")}` },
    });
    expect(ok.status).toBe(200);
    expect(acs.uploads().map((u) => u.method)).toEqual(["POST"]);
  });
});
