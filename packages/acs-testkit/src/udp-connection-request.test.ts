import { createHmac } from "node:crypto";
import * as dgram from "node:dgram";
import { Effect } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { parseUdpTarget, sendUdpConnectionRequest } from "./udp-connection-request.js";

/** A UDP socket on 127.0.0.1 that keeps every datagram it receives. */
const listenUdp = async () => {
  const socket = dgram.createSocket("udp4");
  const received: string[] = [];
  socket.on("message", (m) => received.push(m.toString("utf8")));
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    received,
    waitFor: async (count: number) => {
      for (let i = 0; i < 200 && received.length < count; i++)
        await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
};

const queryOf = (datagram: string) => {
  const target = /^GET (\S+) HTTP\/1\.1\r\n/.exec(datagram)?.[1] ?? "";
  return new URL(target).searchParams;
};

let acs: TestAcsHandle;
beforeEach(async () => {
  acs = await startTestAcs();
});
afterEach(async () => {
  await acs.stop();
});

describe("UDP connection request, the ACS side (Annex G)", () => {
  it("§1.8: sends the signed HTTP-formatted GET three times with one id, sig = HMAC-SHA1(password, ts‖id‖un‖cn), and records it", async () => {
    const cpe = await listenUdp();
    try {
      const sent = await acs.udpConnectionRequest(`127.0.0.1:${cpe.port}`, "cr user", "secret");
      const got = await cpe.waitFor(3);
      expect(got).toHaveLength(3);
      expect(new Set(got).size).toBe(1);
      const datagram = got[0] ?? "";
      expect(datagram).toMatch(
        new RegExp(
          `^GET http://127\\.0\\.0\\.1:${cpe.port}\\?\\S+ HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:${cpe.port}\\r\\n\\r\\n$`,
        ),
      );
      const q = queryOf(datagram);
      expect(q.get("un")).toBe("cr user");
      expect(q.get("id")).toBe(sent.id);
      expect(Math.abs(Number(q.get("ts")) - Date.now() / 1000)).toBeLessThan(60);
      const expected = createHmac("sha1", "secret")
        .update(`${q.get("ts")}${q.get("id")}cr user${q.get("cn")}`)
        .digest("hex");
      expect(q.get("sig")).toBe(expected);
      const entry = acs.transcript.entries().at(-1);
      expect(entry).toMatchObject({ kind: "connectionRequest", method: "UDP" });
      expect(entry?.url).toBe(`udp://127.0.0.1:${cpe.port}`);
      // UDP carries no answer: the transcript says so instead of inventing an HTTP status.
      expect(entry?.response.status).toBe("none");
      expect(acs.transcript.toText()).toContain("<- no answer");
    } finally {
      await cpe.close();
    }
  });

  it("two requests carry different ids and cnonces (a CPE drops a repeated id)", async () => {
    const cpe = await listenUdp();
    try {
      const a = await acs.udpConnectionRequest(`127.0.0.1:${cpe.port}`, "u", "p", { times: 1 });
      const b = await acs.udpConnectionRequest(`127.0.0.1:${cpe.port}`, "u", "p", { times: 1 });
      expect(await cpe.waitFor(2)).toHaveLength(2);
      expect(a.id).not.toBe(b.id);
      expect(a.cn).not.toBe(b.cn);
    } finally {
      await cpe.close();
    }
  });

  it("refuses an address that is not host:port, and a target that is not loopback, sending nothing", async () => {
    await expect(acs.udpConnectionRequest("127.0.0.1", "u", "p")).rejects.toMatchObject({
      reason: "BadInput",
    });
    await expect(acs.udpConnectionRequest("127.0.0.1:70000", "u", "p")).rejects.toMatchObject({
      reason: "BadInput",
    });
    const exit = await Effect.runPromiseExit(
      sendUdpConnectionRequest({ host: "192.0.2.1", port: 7547 }, "u", "p"),
    );
    expect(exit._tag).toBe("Failure");
    expect(JSON.stringify(exit)).toContain("loopback targets only");
    expect(acs.transcript.entries()).toHaveLength(0);
  });

  it("reads host:port, IPv6 in brackets included", () => {
    expect(parseUdpTarget("127.0.0.1:7547")).toEqual({ host: "127.0.0.1", port: 7547 });
    expect(parseUdpTarget("[::1]:7547")).toEqual({ host: "::1", port: 7547 });
    expect(parseUdpTarget("127.0.0.1:0")).toBeUndefined();
    expect(parseUdpTarget("cpe.example.net")).toBeUndefined();
  });
});
