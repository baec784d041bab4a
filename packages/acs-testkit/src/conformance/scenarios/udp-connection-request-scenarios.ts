/**
 * Scenarios of §1.8 (TR-069 Annex G): a UDP Connection Request is an HTTP-formatted GET in one
 * datagram, `ts`, `id`, `un`, `cn` and `sig` = hex HMAC-SHA1(`ts‖id‖un‖cn`) keyed with
 * ConnectionRequestPassword, sent to `ManagementServer.UDPConnectionRequestAddress`. The
 * datagrams are the testkit ACS's (`udp-connection-request.ts`), sent from a loopback socket.
 * The STUN scenario starts a real STUN server (coturn, `servers/coturn.ts`) on loopback and
 * turns the device's STUN client on with SetParameterValues, as an ACS would.
 * @module
 */
import * as dgram from "node:dgram";
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import { coturnUnavailable, startCoturn } from "../../servers/coturn.js";
import {
  signUdpConnectionRequest,
  type UdpConnectionRequestMessage,
  udpConnectionRequestText,
} from "../../udp-connection-request.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  describeMessage,
  eventCodes,
  fail,
  hasEvent,
  nextInform,
  noInformWithin,
  sessionCompletes,
  skip,
} from "../scenario-checks.js";
import { scenarioServer } from "../scenario-servers.js";
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

/** The device's UDPConnectionRequestAddress and NATDetected, read with one GetParameterValues. */
const publishedBinding = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    const names = [ms(ctx, "UDPConnectionRequestAddress"), ms(ctx, "NATDetected")];
    const { answers } = yield* drive(ctx, [{ _tag: "GetParameterValues", parameterNames: names }]);
    const a = answers[0];
    if (a?._tag !== "GetParameterValuesResponse")
      return yield* fail(`GetParameterValues answered ${a ? describeMessage(a) : "nothing"}`);
    const value = (n: string) => a.parameterList.find((p) => p.name === n)?.value;
    return { address: value(names[0] as string), natDetected: value(names[1] as string) };
  });

/** A fault saying the parameters do not exist: 9005, or 9003 with only 9005 entries. */
const lacksParameters = (f: Extract<CwmpMessage, { _tag: "Fault" }>): boolean => {
  const entries = f.detail?.setParameterValuesFaults ?? [];
  return (
    f.detail?.faultCode === 9005 ||
    (f.detail?.faultCode === 9003 &&
      entries.length > 0 &&
      entries.every((e) => e.faultCode === 9005))
  );
};

/** A fault with its per-parameter entries, for reasons. */
const faultText = (m: CwmpMessage): string =>
  m._tag === "Fault"
    ? `${describeMessage(m)}${(m.detail?.setParameterValuesFaults ?? []).map((e) => ` ${e.parameterName}: ${e.faultCode}`).join(",")}`
    : describeMessage(m);

// Keep-alive period the scenario asks for (STUNMinimum/MaximumKeepAlivePeriod), and how many
// Binding Requests from the binding show that it is kept alive.
const KEEP_ALIVE_SECONDS = 1;
const KEPT_ALIVE_REQUESTS = 3;

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
  {
    ids: ["§1.8-STUN"],
    title: `STUN on (coturn on loopback, keep-alive ${KEEP_ALIVE_SECONDS} s): UDPConnectionRequestAddress is the binding the server saw, NATDetected false, Binding Requests repeat from it; a UDP Connection Request to it starts one session`,
    timeoutMs: 45_000,
    run: (ctx) =>
      Effect.scoped(
        Effect.gen(function* () {
          yield* settled(ctx);
          const stun = yield* scenarioServer("coturn (STUN)", coturnUnavailable, startCoturn);
          const { answers } = yield* drive(ctx, [
            {
              _tag: "SetParameterValues",
              parameterList: [
                { name: ms(ctx, "STUNEnable"), value: "true", type: "boolean" },
                { name: ms(ctx, "STUNServerAddress"), value: stun.host, type: "string" },
                { name: ms(ctx, "STUNServerPort"), value: String(stun.port), type: "unsignedInt" },
                {
                  name: ms(ctx, "STUNMinimumKeepAlivePeriod"),
                  value: String(KEEP_ALIVE_SECONDS),
                  type: "unsignedInt",
                },
                {
                  name: ms(ctx, "STUNMaximumKeepAlivePeriod"),
                  value: String(KEEP_ALIVE_SECONDS),
                  type: "int",
                },
              ],
              parameterKey: "",
            },
          ]);
          const spv = answers[0];
          if (spv?._tag === "Fault" && lacksParameters(spv))
            return yield* skip("the device has no STUN parameters (Annex G)");
          yield* check(
            spv?._tag === "SetParameterValuesResponse",
            `SetParameterValues of STUN* answered ${spv ? faultText(spv) : "nothing"}`,
          );
          // The settings apply after the session: wait (bounded) until the server has seen
          // Binding Requests from one address often enough to call the binding kept alive.
          const fromBinding = (seen: readonly string[]) => {
            const counts = new Map<string, number>();
            for (const a of seen) counts.set(a, (counts.get(a) ?? 0) + 1);
            return [...counts].find(([, n]) => n >= KEPT_ALIVE_REQUESTS)?.[0];
          };
          let seen: readonly string[] = [];
          for (let i = 0; i < 100 && fromBinding(seen) === undefined; i++) {
            yield* Effect.sleep("100 millis");
            seen = yield* Effect.promise(stun.clientsSeen);
          }
          const binding = fromBinding(seen);
          if (binding === undefined)
            return yield* fail(
              `the STUN server saw ${seen.length} Binding Request(s) in 10 s (${[...new Set(seen)].join(", ") || "none"}), expected ${KEPT_ALIVE_REQUESTS} from one binding (keep-alive ${KEEP_ALIVE_SECONDS} s)`,
            );
          const published = yield* publishedBinding(ctx);
          yield* check(
            published.address === binding,
            `UDPConnectionRequestAddress is "${published.address}", the STUN server saw ${binding}`,
          );
          // Loopback has no NAT: the mapped address is the device's own.
          yield* check(
            published.natDetected === "false" || published.natDetected === "0",
            `NATDetected is "${published.natDetected}" on loopback, where the mapped address is the device's own`,
          );
          const target = /^(.*):(\d+)$/.exec(binding);
          const host = target?.[1] as string;
          const port = Number(target?.[2]);
          const { username, password } = ctx.device.connectionRequestCredentials;
          const message = signUdpConnectionRequest(username, password, Date.now() / 1000);
          yield* send(host, port, datagram(host, port, message), 2);
          const r = yield* nextInform(ctx, "the UDP Connection Request sent to the STUN binding");
          yield* check(
            hasEvent(r, "6 CONNECTION REQUEST"),
            `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
          );
          yield* sessionCompletes(ctx);
          yield* noInformWithin(ctx, 1_000, "the repeated datagram started a second session");
        }),
      ),
  },
];
