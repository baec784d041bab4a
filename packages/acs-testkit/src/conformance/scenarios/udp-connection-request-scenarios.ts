/**
 * Scenarios of §1.8 (TR-069 Annex G): a UDP Connection Request is an HTTP-formatted GET in one
 * datagram, `ts`, `id`, `un`, `cn` and `sig` = hex HMAC-SHA1(`ts‖id‖un‖cn`) keyed with
 * ConnectionRequestPassword, sent to `ManagementServer.UDPConnectionRequestAddress`. The
 * datagrams are the testkit ACS's (`udp-connection-request.ts`), sent from a loopback socket.
 * @module
 */
import * as dgram from "node:dgram";
import { Effect } from "effect";
import {
  signUdpConnectionRequest,
  type UdpConnectionRequestMessage,
  udpConnectionRequestText,
} from "../../udp-connection-request.js";
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

/** The datagram of `message` addressed to `host:port`. */
const datagram = (host: string, port: number, message: UdpConnectionRequestMessage): Buffer =>
  Buffer.from(udpConnectionRequestText({ host, port }, message));

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
        const now = () => Math.floor(Date.now() / 1000);
        const message = datagram(host, port, signUdpConnectionRequest(username, password, now()));
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
        // Signed with another password: the signature does not match the device's.
        const forged = signUdpConnectionRequest(username, `${password}x`, now());
        yield* send(host, port, datagram(host, port, forged));
        yield* noInformWithin(ctx, 1_500, "a forged signature started a session");
        const stale = signUdpConnectionRequest(username, password, now() - 3_600);
        yield* send(host, port, datagram(host, port, stale));
        yield* noInformWithin(ctx, 1_500, "a message an hour old started a session");
      }),
  },
];
