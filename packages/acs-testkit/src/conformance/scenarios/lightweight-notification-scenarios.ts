/**
 * Scenarios of V8 (TR-069 Annex M, CWMP 1.4): Notification values 3..6 report changes in UDP
 * Lightweight Notification datagrams (`cwmp-UDPLightweightNotification-1-0.xsd`) sent to
 * `UDPLightweightNotificationHost` / `Port`; 4 and 6 also report passively in the next Inform.
 * A loopback UDP socket of the scenario plays the ACS's receiver.
 * @module
 */
import * as dgram from "node:dgram";
import type { AddressInfo } from "node:net";
import type { CwmpMessage } from "@cpekit/core";
import { Effect, type Scope } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  describeMessage,
  fail,
  informValue,
  nextInform,
  noInformWithin,
  skip,
} from "../scenario-checks.js";
import { drive, settled, wake } from "../session-driver.js";
import { deviceInfo as di, managementServer as ms } from "./parameter-paths.js";

const LWN_NAMESPACE = "urn:broadband-forum-org:cwmp:lwnotif-1-0";

/** A UDP socket on 127.0.0.1 (free port) that collects datagrams until the scope closes. */
const udpReceiver: Effect.Effect<
  {
    readonly port: number;
    readonly next: (timeoutMs: number) => Effect.Effect<string | undefined>;
  },
  never,
  Scope.Scope
> = Effect.acquireRelease(
  Effect.async<{ socket: dgram.Socket; got: string[]; port: number }>((resume) => {
    const socket = dgram.createSocket("udp4");
    const got: string[] = [];
    socket.on("message", (m) => got.push(m.toString("utf8")));
    socket.bind({ address: "127.0.0.1", port: 0 }, () =>
      resume(Effect.succeed({ socket, got, port: (socket.address() as AddressInfo).port })),
    );
  }),
  (r) => Effect.sync(() => r.socket.close()),
).pipe(
  Effect.map((r) => ({
    port: r.port,
    // Polls the collected datagrams (a short, bounded wait).
    next: (timeoutMs: number) =>
      Effect.gen(function* () {
        for (let waited = 0; waited <= timeoutMs; waited += 50) {
          const d = r.got.shift();
          if (d !== undefined) return d;
          yield* Effect.sleep("50 millis");
        }
        return undefined;
      }),
  })),
);

const xmlText = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The (Name, Value) pairs of a lightweight notification, whatever prefix it uses. */
const paramsOf = (xml: string): Map<string, string> =>
  new Map(
    [
      ...xml.matchAll(
        /<(?:[\w.-]+:)?Name>([^<]*)<\/(?:[\w.-]+:)?Name>\s*<(?:[\w.-]+:)?Value>([^<]*)<\/(?:[\w.-]+:)?Value>/g,
      ),
    ].map((m) => [xmlText(m[1] ?? ""), xmlText(m[2] ?? "")]),
  );

const spa = (name: string, notification: 5 | 6): CwmpMessage => ({
  _tag: "SetParameterAttributes",
  parameterList: [
    { name, notificationChange: true, notification, accessListChange: false, accessList: [] },
  ],
});

/**
 * Points the device's lightweight notifications at `port`, sets `notification` on `name`,
 * changes `name` on the device side and returns the datagram that came.
 */
const lightweightChange = (
  ctx: ScenarioContext,
  port: number,
  next: (timeoutMs: number) => Effect.Effect<string | undefined>,
  name: string,
  notification: 5 | 6,
  value: string,
) =>
  Effect.gen(function* () {
    const change = ctx.device.changeValue;
    if (change === undefined || !(ctx.device.changeableParameters ?? []).includes(name))
      return yield* skip(`the device cannot change ${name} on its side`);
    yield* settled(ctx);
    const { answers } = yield* drive(ctx, [
      {
        _tag: "SetParameterValues",
        parameterList: [
          { name: ms(ctx, "LightweightNotificationProtocolsUsed"), value: "UDP", type: "string" },
          { name: ms(ctx, "UDPLightweightNotificationHost"), value: "127.0.0.1", type: "string" },
          {
            name: ms(ctx, "UDPLightweightNotificationPort"),
            value: String(port),
            type: "unsignedInt",
          },
        ],
        parameterKey: "",
      },
      spa(name, notification),
    ]);
    const [spv, attrs] = answers;
    if (spv?._tag === "Fault" && spv.detail?.faultCode === 9005)
      return yield* skip("the device has no Annex M ManagementServer parameters");
    if (attrs?._tag === "Fault" && attrs.detail?.faultCode === 9003)
      return yield* skip(`the device refuses Notification ${notification} (no Annex M support)`);
    yield* check(
      spv?._tag === "SetParameterValuesResponse" &&
        attrs?._tag === "SetParameterAttributesResponse",
      `answers: ${answers.map(describeMessage).join(", ")}`,
    );
    yield* change(name, value);
    const datagram = yield* next(3_000);
    if (datagram === undefined) return yield* fail("no lightweight notification within 3 s");
    yield* check(
      datagram.includes(LWN_NAMESPACE) && /<(?:[\w.-]+:)?Notification[\s>]/.test(datagram),
      `the datagram is no lwn:Notification: ${datagram.slice(0, 120)}`,
    );
    yield* check(
      paramsOf(datagram).get(name) === value,
      `the datagram reported ${name} = ${paramsOf(datagram).get(name)}`,
    );
    return datagram;
  });

/** The scenarios of this file. */
export const lightweightNotificationScenarios: readonly Scenario[] = [
  {
    ids: ["V8"],
    title:
      "Notification 5 (active lightweight): a device-side change sends an lwn:Notification datagram with the new value to UDPLightweightNotificationHost:Port, and starts no session",
    run: (ctx) =>
      Effect.scoped(
        Effect.gen(function* () {
          const udp = yield* udpReceiver;
          const name = di(ctx, "Description");
          yield* lightweightChange(ctx, udp.port, udp.next, name, 5, "lightweight 5");
          yield* noInformWithin(ctx, 1_500, "an active lightweight notification started a session");
        }),
      ),
  },
  {
    ids: ["V8"],
    title:
      "Notification 6 (passive + active lightweight): the datagram goes at once and the value also rides the next Inform",
    run: (ctx) =>
      Effect.scoped(
        Effect.gen(function* () {
          const udp = yield* udpReceiver;
          const name = di(ctx, "Description");
          yield* lightweightChange(ctx, udp.port, udp.next, name, 6, "lightweight 6");
          yield* noInformWithin(ctx, 1_000, "a passive Inform notification started a session");
          yield* wake(ctx);
          const r = yield* nextInform(ctx, "after the Connection Request");
          yield* check(
            informValue(r, name) === "lightweight 6",
            `Inform value "${informValue(r, name)}"`,
          );
        }),
      ),
  },
];
