import * as dgram from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  makeTestAcs,
  signUdpConnectionRequest,
  udpConnectionRequestText,
} from "@cpekit/acs-testkit";
import { StunMessage } from "@cpekit/transport-http";
import { Effect, Either } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { decodeProfile } from "../profile/load-profile.js";
import { deviceSpecOf } from "./device-spec.js";
import { startDevice } from "./start-device.js";

const MS = "Device.ManagementServer.";
const base = {
  acs: { url: "http://127.0.0.1:7547/acs" },
  device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "P", serialNumber: "UDP0001" },
  dataModel: {
    root: "Device",
    profile: "cellular-module",
    values: { [`${MS}PeriodicInformEnable`]: "false" },
  },
  connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
  store: "device.json",
};
const file = "/srv/profiles/device.yaml";
const settle = (profile: unknown, at = file) =>
  Either.flatMap(decodeProfile(profile, at), (loaded) => deviceSpecOf(loaded, at));

/** A STUN server on 127.0.0.1 that reports every client as 203.0.113.7:40123 (behind a NAT). */
const startNatStun = async () => {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (bytes, from) => {
    const request = StunMessage.decodeStunMessage(bytes);
    const mapped = { family: "IPv4" as const, address: "203.0.113.7", port: 40123 };
    const answer = StunMessage.encodeStunMessage({
      type: StunMessage.StunType.BindingResponse,
      transactionId: request.transactionId,
      attributes: [
        {
          type: StunMessage.StunAttr.MappedAddress,
          value: StunMessage.encodeAddress(mapped, request.transactionId, false),
        },
      ],
    });
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  return {
    port: socket.address().port,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
};

/**
 * Sends the Annex G UDP connection request for `un`/`password` 3 times to 127.0.0.1:`port`,
 * addressed (as the ACS would) to the public binding the NAT STUN server reports.
 */
const sendUdpConnectionRequest = async (port: number, un: string, password: string) => {
  const message = signUdpConnectionRequest(un, password, Date.now() / 1000);
  const text = udpConnectionRequestText({ host: "203.0.113.7", port: 40123 }, message);
  const socket = dgram.createSocket("udp4");
  for (let i = 0; i < 3; i++)
    await new Promise<void>((resolve, reject) =>
      socket.send(Buffer.from(text), port, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
    );
  socket.close();
};

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("profile connectionRequest.udp and stun (§1.8)", () => {
  it("§1.8: without them SupportedConnReqMethods is HTTP and there is no UDP listener", () => {
    const spec = Either.getOrThrow(settle(base));
    expect(spec.udpConnectionRequest).toBeUndefined();
    expect(spec.values[`${MS}SupportedConnReqMethods`]).toBe("HTTP");
    expect(spec.schema.parameters.has(`${MS}STUNEnable`)).toBe(false);
  });

  it("§1.8: udp + stun add the Annex G parameters (UDPConnectionRequestAddress active by default), SupportedConnReqMethods HTTP,STUN and the STUN factory values", () => {
    const spec = Either.getOrThrow(
      settle({
        ...base,
        connectionRequest: { ...base.connectionRequest, udp: { port: 7548 } },
        stun: { serverAddress: "stun.example.net", maximumKeepAlivePeriod: 60, username: "su" },
      }),
    );
    expect(spec.udpConnectionRequest).toMatchObject({
      host: "127.0.0.1",
      port: 7548,
      stun: {
        enable: true,
        serverAddress: "stun.example.net",
        serverPort: 3478,
        maxKeepAliveSeconds: 60,
      },
    });
    expect(spec.values).toMatchObject({
      [`${MS}SupportedConnReqMethods`]: "HTTP,STUN",
      [`${MS}STUNEnable`]: "true",
      [`${MS}STUNServerAddress`]: "stun.example.net",
      [`${MS}STUNServerPort`]: "3478",
      [`${MS}STUNUsername`]: "su",
      [`${MS}STUNMaximumKeepAlivePeriod`]: "60",
    });
    expect(spec.schema.parameters.get(`${MS}UDPConnectionRequestAddress`)?.activeNotify).toBe(
      "forceDefaultEnabled",
    );
    expect(spec.schema.parameters.has(`${MS}NATDetected`)).toBe(true);
    // The rest of the named profile is still there.
    expect(spec.schema.parameters.has("Device.Cellular.RoamingEnabled")).toBe(true);
  });

  it("§1.8: `udp: true` listens on the HTTP port number with STUN off; a stun section alone turns UDP on; `udp: false` is off", () => {
    const on = Either.getOrThrow(
      settle({ ...base, connectionRequest: { ...base.connectionRequest, port: 7547, udp: true } }),
    );
    expect(on.udpConnectionRequest).toMatchObject({ port: 7547, stun: { enable: false } });
    expect(on.values[`${MS}STUNEnable`]).toBe("false");
    const stunOnly = Either.getOrThrow(settle({ ...base, stun: {} }));
    expect(stunOnly.udpConnectionRequest?.stun.enable).toBe(true);
    const off = Either.getOrThrow(
      settle({ ...base, connectionRequest: { ...base.connectionRequest, udp: false } }),
    );
    expect(off.udpConnectionRequest).toBeUndefined();
  });

  it("§1.8: a bad stun field is refused by name", () => {
    const r = settle({ ...base, stun: { maximumKeepAlivePeriod: -2 } });
    expect(Either.isLeft(r) ? r.left.problems.join("\n") : "").toMatch(
      /stun\.maximumKeepAlivePeriod/,
    );
  });
});

describe("cpekit device with UDP connection requests and STUN (§1.8), loopback", () => {
  it("§1.8: publishes the STUN binding to the ACS (4 VALUE CHANGE) and a UDP connection request sent 3× gives one 6 CONNECTION REQUEST session", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cpekit-udp-cli-"));
    dirs.push(dir);
    const responder = await startNatStun();
    try {
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const acs = yield* makeTestAcs();
            const at = join(dir, "device.yaml");
            const spec = Either.getOrThrow(
              settle(
                {
                  ...base,
                  acs: { url: acs.url },
                  connectionRequest: { ...base.connectionRequest, udp: { port: 0 } },
                  stun: {
                    serverAddress: "127.0.0.1",
                    serverPort: responder.port,
                    minimumKeepAlivePeriod: 30,
                    maximumKeepAlivePeriod: 60,
                  },
                },
                at,
              ),
            );
            const device = yield* startDevice(spec, () => {});
            const wait = { timeoutMs: 10_000 };
            let inform = yield* acs.nextInform(wait);
            const address = (i: typeof inform) =>
              i.inform.parameterList.find((p) => p.name === `${MS}UDPConnectionRequestAddress`)
                ?.value;
            for (let n = 0; n < 3 && address(inform) !== "203.0.113.7:40123"; n++)
              inform = yield* acs.nextInform(wait);
            expect(address(inform)).toBe("203.0.113.7:40123");
            expect(inform.inform.event.map((e) => e.eventCode)).toContain("4 VALUE CHANGE");
            const port = device.udpConnectionRequestPort as number;
            yield* Effect.promise(() => sendUdpConnectionRequest(port, "u", "p"));
            let woken = yield* acs.nextInform(wait);
            // A VALUE CHANGE session still under way may come first.
            if (!woken.inform.event.some((e) => e.eventCode === "6 CONNECTION REQUEST"))
              woken = yield* acs.nextInform(wait);
            expect(woken.inform.event.map((e) => e.eventCode)).toEqual(["6 CONNECTION REQUEST"]);
          }),
        ).pipe(
          Effect.timeoutFail({ duration: "25 seconds", onTimeout: () => new Error("timed out") }),
        ),
      );
    } finally {
      await responder.close();
    }
  }, 30_000);
});
