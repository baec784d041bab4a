import type { FileTransferError } from "@cpekit/core";
import { Effect, Exit } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { DigestVerifier } from "./digest-verifier.js";
import * as HttpFileTransfer from "./file-transfer.js";
import { closedPort, type RecordingServer, startServer } from "./test-support/recording-server.js";

let servers: RecordingServer[] = [];
const serve = async (...args: Parameters<typeof startServer>) => {
  const s = await startServer(...args);
  servers.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const ft = HttpFileTransfer.make();
const creds = { username: "fw", password: "pw" };
const firmware = new Uint8Array(Array.from({ length: 3000 }, (_, i) => i % 251));

const faultOf = async (effect: Effect.Effect<unknown, FileTransferError>) => {
  const exit = await Effect.runPromiseExit(effect);
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail")
    throw new Error("expected a typed failure");
  return [exit.cause.error.faultCode, exit.cause.error.reason] as const;
};

/** A file server that checks Digest (MD5, qop=auth) and serves `firmware` on /fw.bin. */
const digestFileServer = () => {
  const verifier = new DigestVerifier({ realm: "files", algorithms: ["MD5"] });
  return serve((req, res) => {
    const v = verifier.verify(
      { method: req.method, target: req.url, authorization: req.headers.authorization },
      creds,
      Date.now(),
    );
    if (!v.ok) {
      res.writeHead(401, { "www-authenticate": verifier.challenges(Date.now()) });
      return res.end();
    }
    if (req.method === "GET" && req.url === "/fw.bin") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(Buffer.from(firmware));
    }
    if (req.method === "PUT" || req.method === "POST") {
      res.writeHead(req.url === "/upload" ? 201 : 500);
      return res.end();
    }
    res.writeHead(404);
    res.end();
  });
};

describe("HttpFileTransfer: download (section 1.13)", () => {
  it("downloads with Digest authentication and returns the exact bytes and times", async () => {
    const files = await digestFileServer();
    const result = await Effect.runPromise(
      ft.download({ url: `${files.url}/fw.bin`, ...creds, maxBytes: 10_000, timeout: "2 seconds" }),
    );
    expect(Buffer.from(result.bytes).equals(Buffer.from(firmware))).toBe(true);
    expect(result.contentType).toBe("application/octet-stream");
    expect(result.completeTime).toBeGreaterThanOrEqual(result.startTime);
    expect(files.requests.map((r) => r.headers.authorization !== undefined)).toEqual([false, true]);
  });

  it("a file larger than maxBytes fails with 9010, whether announced or discovered while reading", async () => {
    const files = await digestFileServer();
    const big = { url: `${files.url}/fw.bin`, ...creds, timeout: "2 seconds" as const };
    expect(await faultOf(ft.download({ ...big, maxBytes: 1000 }))).toEqual([9010, "TooLarge"]);
    const before = files.requests.length;
    expect(await faultOf(ft.download({ ...big, maxBytes: 1000, fileSize: 5000 }))).toEqual([
      9010,
      "TooLarge",
    ]);
    expect(files.requests.length).toBe(before);
    // Chunked (no Content-Length): the cap applies while reading.
    const chunked = await serve((_, res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500));
      res.end();
    });
    expect(
      await faultOf(ft.download({ url: chunked.url, maxBytes: 1000, timeout: "2 seconds" })),
    ).toEqual([9010, "TooLarge"]);
  });

  it("wrong or missing credentials fail with 9012", async () => {
    const files = await digestFileServer();
    const req = { url: `${files.url}/fw.bin`, maxBytes: 10_000, timeout: "2 seconds" as const };
    expect(await faultOf(ft.download({ ...req, username: "fw", password: "bad" }))).toEqual([
      9012,
      "Unauthorized",
    ]);
    expect(await faultOf(ft.download(req))).toEqual([9012, "Unauthorized"]);
  });

  it("an unreachable server fails with 9015, a missing file with 9016, ftp with 9013", async () => {
    const port = await closedPort();
    const base = { maxBytes: 10_000, timeout: "2 seconds" as const };
    expect(await faultOf(ft.download({ ...base, url: `http://127.0.0.1:${port}/x` }))).toEqual([
      9015,
      "Unreachable",
    ]);
    const files = await digestFileServer();
    expect(await faultOf(ft.download({ ...base, ...creds, url: `${files.url}/missing` }))).toEqual([
      9016,
      "NotAccessible",
    ]);
    expect(await faultOf(ft.download({ ...base, url: "ftp://127.0.0.1/fw.bin" }))).toEqual([
      9013,
      "UnsupportedProtocol",
    ]);
  });

  it("§1.14-9014 a multicast group URL fails with 9014 before any packet is sent", async () => {
    for (const url of ["http://239.255.0.1:8080/fw.bin", "http://[ff02::1]/fw.bin"])
      expect(
        await faultOf(ft.download({ url, maxBytes: 1000, timeout: "2 seconds" })),
        url,
      ).toEqual([9014, "MulticastUnavailable"]);
  });

  it("§1.14-9017 a server that closes the connection mid-body fails with 9017 Interrupted", async () => {
    const files = await serve((_, res) => {
      res.writeHead(200, { "content-length": "5000" });
      res.write(Buffer.alloc(100), () => res.socket?.destroy());
    });
    expect(
      await faultOf(
        ft.download({ url: `${files.url}/fw.bin`, maxBytes: 10_000, timeout: "5 seconds" }),
      ),
    ).toEqual([9017, "Interrupted"]);
  });

  it("a server that stalls mid-body fails with 9017 Timeout", async () => {
    const slow = await serve((_, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write(Buffer.alloc(10));
    });
    expect(
      await faultOf(ft.download({ url: slow.url, maxBytes: 10_000, timeout: "250 millis" })),
    ).toEqual([9017, "Timeout"]);
  });

  it("follows a redirect to the file", async () => {
    const files = await digestFileServer();
    const front = await serve((_, res) => {
      res.writeHead(302, { location: `${files.url}/fw.bin` });
      res.end();
    });
    const result = await Effect.runPromise(
      ft.download({ url: `${front.url}/latest`, ...creds, maxBytes: 10_000, timeout: "2 seconds" }),
    );
    expect(result.bytes.length).toBe(firmware.length);
  });
});

describe("HttpFileTransfer: upload", () => {
  it("PUTs (or POSTs) the body with Digest authentication", async () => {
    const files = await digestFileServer();
    const body = new TextEncoder().encode("<config/>");
    const put = await Effect.runPromise(
      ft.upload({
        url: `${files.url}/upload`,
        ...creds,
        body,
        timeout: "2 seconds",
        contentType: "text/xml",
      }),
    );
    expect(put.status).toBe(201);
    const post = await Effect.runPromise(
      ft.upload({
        url: `${files.url}/upload`,
        ...creds,
        body,
        timeout: "2 seconds",
        method: "POST",
      }),
    );
    expect(post.status).toBe(201);
    const accepted = files.requests.filter((r) => r.headers.authorization !== undefined);
    expect(accepted.map((r) => [r.method, r.body])).toEqual([
      ["PUT", "<config/>"],
      ["POST", "<config/>"],
    ]);
    expect(accepted[0]?.headers["content-type"]).toBe("text/xml");
  });

  it("a refused upload fails with 9011, bad credentials with 9012", async () => {
    const files = await digestFileServer();
    const body = new Uint8Array([1, 2, 3]);
    expect(
      await faultOf(
        ft.upload({ url: `${files.url}/readonly`, ...creds, body, timeout: "2 seconds" }),
      ),
    ).toEqual([9011, "NotAccessible"]);
    expect(
      await faultOf(
        ft.upload({
          url: `${files.url}/upload`,
          username: "fw",
          password: "x",
          body,
          timeout: "2 seconds",
        }),
      ),
    ).toEqual([9012, "Unauthorized"]);
    const port = await closedPort();
    expect(
      await faultOf(ft.upload({ url: `http://127.0.0.1:${port}/u`, body, timeout: "2 seconds" })),
    ).toEqual([9011, "Unreachable"]);
  });
});
