/**
 * Scenarios of §1.8 (TR-069 Annex G): a UDP Connection Request is an HTTP-formatted GET in one
 * datagram, `ts`, `id`, `un`, `cn` and `sig` = hex HMAC-SHA1(`ts‖id‖un‖cn`) keyed with
 * ConnectionRequestPassword, sent to `ManagementServer.UDPConnectionRequestAddress`. The
 * datagrams are built here from the spec (the ACS's side), sent from a loopback socket.
 * @module
 */
import { createHmac, randomBytes } from "node:crypto";
import * as dgram from "node:dgram";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  eventCodes,
  hasEvent,
  nextInform,
  noInformWithin,
  sessionCompletes,
  skip,
} from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";
import { managementServer as ms } from "./parameter-paths.js";

interface Fields {
  readonly ts: string;
  readonly id: string;
  readonly un: string;
  readonly cn: string;
}

const sign = (password: string, f: Fields): string =>
  createHmac("sha1", password).update(`${f.ts}${f.id}${f.un}${f.cn}`).digest("hex");

const datagram = (host: string, port: number, f: Fields, sig: string): Buffer => {
  const q = `ts=${f.ts}&id=${f.id}&un=${encodeURIComponent(f.un)}&cn=${encodeURIComponent(f.cn)}&sig=${sig}`;
  return Buffer.from(`GET http://${host}:${port}?${q} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
};

/** Sends `payload` `times` times to `host:port` from a fresh loopback socket. */
const send = (host: string, port: number, payload: Buffer, times = 1) =>
  Effect.promise(async () => {
    const socket = dgram.createSocket("udp4");
    try {
      for (let i = 0; i < times; i++)
        await new Promise<void>((resolve, reject) =>
          socket.send(payload, port, host, (e) => (e ? reject(e) : resolve())),
        );
    } finally {
      socket.close();
    }
  });

/** `UDPConnectionRequestAddress` as host and port, skipping when the device has none. */
const udpAddress = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    const name = ms(ctx, "UDPConnectionRequestAddress");
    const { answers } = yield* drive(ctx, [{ _tag: "GetParameterValues", parameterNames: [name] }]);
    const a = answers[0];
    const value = a?._tag === "GetParameterValuesResponse" ? a.parameterList[0]?.value : undefined;
    const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(value ?? "");
    if (m === null)
      return yield* skip(
        `the device publishes no UDP Connection Request address (${value === undefined ? "no parameter" : `"${value}"`})`,
      );
    return { host: m[1] as string, port: Number(m[2]) };
  });

/** The scenarios of this file. */
export const udpConnectionRequestScenarios: readonly Scenario[] = [
  {
    ids: ["§1.8-UDP-ConnectionRequest"],
    title:
      "a signed UDP Connection Request sent 3 times gives one session with 6 CONNECTION REQUEST; the same id again, a forged sig or a stale ts give none",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { host, port } = yield* udpAddress(ctx);
        const { username, password } = ctx.device.connectionRequestCredentials;
        const fields = (tsSeconds: number): Fields => ({
          ts: String(tsSeconds),
          id: String(randomBytes(4).readUInt32BE(0)),
          un: username,
          cn: randomBytes(8).toString("hex"),
        });
        const now = () => Math.floor(Date.now() / 1000);
        const good = fields(now());
        const message = datagram(host, port, good, sign(password, good));
        // Annex G: the ACS repeats the datagram (UDP may lose it); one session follows.
        yield* send(host, port, message, 3);
        const r = yield* nextInform(ctx, "the UDP Connection Request");
        yield* check(
          hasEvent(r, "6 CONNECTION REQUEST"),
          `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
        );
        yield* sessionCompletes(ctx);
        yield* noInformWithin(ctx, 1_000, "the repeated datagrams started a second session");
        yield* send(host, port, message);
        yield* noInformWithin(ctx, 1_500, "a replayed id started a session");
        const forged = fields(now());
        yield* send(host, port, datagram(host, port, forged, sign(`${password}x`, forged)));
        yield* noInformWithin(ctx, 1_500, "a forged signature started a session");
        const stale = fields(now() - 3_600);
        yield* send(host, port, datagram(host, port, stale, sign(password, stale)));
        yield* noInformWithin(ctx, 1_500, "a message an hour old started a session");
      }),
  },
];
