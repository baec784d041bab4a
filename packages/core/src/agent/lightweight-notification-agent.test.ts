import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import type { Notification } from "../cwmp/structs.js";
import type { ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith, T } from "../datamodel/test-support/device-fixture.js";
import { makeMemoryStore, Store } from "../ports/store.js";
import type { CwmpMessage, CwmpVersion } from "../soap/messages.js";
import type { Agent } from "./agent.js";
import { EventCode } from "./event-codes.js";
import {
  type RecordingLightweightSink,
  recordingLightweightSink,
} from "./test-support/recording-lightweight-sink.js";
import { type ScriptedAcsLog, scriptedAcs } from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts } from "./test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "./test-support/test-agent-life.js";

const MS = "Device.ManagementServer.";
const ms = (name: string, type: ParameterSchema["type"]): ParameterSchema => ({
  path: `${MS}${name}`,
  type,
  access: "readWrite",
});

const schema = deviceFixtureWith([
  ms("LightweightNotificationProtocolsUsed", "string"),
  ms("UDPLightweightNotificationHost", "string"),
  ms("UDPLightweightNotificationPort", "unsignedInt"),
]);

const spa = (name: string, notification: Notification): CwmpMessage => ({
  _tag: "SetParameterAttributes",
  parameterList: [
    { name, notificationChange: true, notification, accessListChange: false, accessList: [] },
  ],
});

/** One agent life: the boot session runs `script`; `sink` present or not. */
const withAgent = (
  opts: { readonly sink?: RecordingLightweightSink; readonly version?: CwmpVersion },
  script: readonly CwmpMessage[],
  body: (agent: Agent, log: ScriptedAcsLog) => Effect.Effect<void, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs([script]);
    const layer = Layer.mergeAll(
      Layer.succeed(Store, yield* makeMemoryStore()),
      acs.layer,
      stubDevicePorts(),
      ...(opts.sink === undefined ? [] : [opts.sink.layer]),
    );
    return yield* testAgentLife(
      {
        schema,
        values: {
          [`${MS}LightweightNotificationProtocolsUsed`]: "UDP",
          [`${MS}UDPLightweightNotificationHost`]: "127.0.0.1",
          [`${MS}UDPLightweightNotificationPort`]: "17547",
        },
        layer,
        options: {
          pollIntervalSeconds: 0,
          ...(opts.version === undefined ? {} : { version: opts.version }),
        },
        settleBefore: true,
      },
      (agent) => body(agent, acs.log),
    );
  }).pipe(runInTestTime);

const faultCode = (m: CwmpMessage | undefined) =>
  m?._tag === "Fault" ? m.detail?.faultCode : m?._tag;

describe("lightweight notifications in a whole agent (Annex M, V8)", () => {
  it("V8 a CWMP 1.4 agent with a sink accepts Notification 3..6 from the ACS", async () => {
    await withAgent(
      { sink: recordingLightweightSink() },
      [3, 4, 5, 6].map((n) => spa(`${T}Int`, n as Notification)),
      (_agent, log) =>
        Effect.sync(() => {
          expect(log.answers.map((a) => a._tag)).toEqual(
            Array(4).fill("SetParameterAttributesResponse"),
          );
        }),
    );
  });

  it("V8 §1.14-9003 without a sink, or as a CWMP 1.2 agent, Notification 3..6 is refused with 9003", async () => {
    for (const opts of [{}, { sink: recordingLightweightSink(), version: "1.2" as const }])
      await withAgent(opts, [spa(`${T}Int`, 5), spa(`${T}Int`, 2)], (_agent, log) =>
        Effect.sync(() => {
          expect(log.answers.map(faultCode)).toEqual([9003, "SetParameterAttributesResponse"]);
        }),
      );
  });

  it("V8 §1.14-9009 an active lightweight notification (5, 6) on a canDeny parameter is refused with 9009; passive lightweight (3) is not", async () => {
    await withAgent(
      { sink: recordingLightweightSink() },
      [spa(`${MS}ParameterKey`, 5), spa(`${MS}ParameterKey`, 6), spa(`${MS}ParameterKey`, 3)],
      (_agent, log) =>
        Effect.sync(() => {
          expect(log.answers.map(faultCode)).toEqual([
            9009,
            9009,
            "SetParameterAttributesResponse",
          ]);
        }),
    );
  });

  it("V8 a device-side change of a Notification 5 parameter sends a datagram at once and starts no session; 6 adds its value to the next Inform", async () => {
    const sink = recordingLightweightSink();
    await withAgent({ sink }, [spa(`${T}Int`, 5), spa(`${T}Str`, 6)], (agent, log) =>
      Effect.gen(function* () {
        yield* agent.dataModel.recordChanges([
          { path: `${T}Int`, value: "5" },
          { path: `${T}Str`, value: "six" },
        ]);
        yield* agent.valueChanged;
        yield* settle;
        expect(sink.sent.map((d) => [d.host, d.port])).toEqual([["127.0.0.1", 17547]]);
        expect(sink.sent[0]?.payload).toContain(`<lwn:Name>${T}Int</lwn:Name>`);
        // No 4 VALUE CHANGE session: 5 is lightweight only, 6 is passive for the Inform.
        expect(log.informs).toHaveLength(1);
        yield* agent.connectionRequest;
        yield* settle;
        // The passive value goes with the next Inform (and its 4 VALUE CHANGE), as for 1.
        expect([...(log.informs[1]?.codes ?? [])].sort()).toEqual([
          EventCode.ValueChange,
          EventCode.ConnectionRequest,
        ]);
        expect(log.informs[1]?.parameters.get(`${T}Str`)).toBe("six");
        expect(log.informs[1]?.parameters.has(`${T}Int`)).toBe(false);
      }),
    );
  });
});
