import { Effect, Layer, TestClock } from "effect";
import { describe, expect, it } from "vitest";
import type { ObjectSchema, ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith, T } from "../datamodel/test-support/device-fixture.js";
import { makeMemoryStore, Store } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { Agent } from "./agent.js";
import { EventCode } from "./event-codes.js";
import { type ScriptedAcsLog, scriptedAcs } from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts } from "./test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "./test-support/test-agent-life.js";

const MS = "Device.ManagementServer.";
const HB = `${MS}HeartbeatPolicy.`;
const WATCHED = `${T}Int`;

const hbObject: ObjectSchema = {
  path: HB,
  access: "readOnly",
  multiInstance: false,
  minEntries: 1,
};
const hbParam = (name: string, type: ParameterSchema["type"]): ParameterSchema => ({
  path: `${HB}${name}`,
  type,
  access: "readWrite",
});

/** The fixture plus `HeartbeatPolicy` as TR-181 2.17 has it (types and access). */
const schema = deviceFixtureWith(
  [
    hbParam("Enable", "boolean"),
    { ...hbParam("ReportingInterval", "unsignedInt"), ranges: [{ min: "30" }] },
    hbParam("InitiationTime", "dateTime"),
  ],
  [hbObject],
);

/** One agent life in virtual time (TestClock starts at the epoch). */
const withAgent = (
  values: Readonly<Record<string, string>>,
  scripts: readonly (readonly CwmpMessage[])[],
  body: (agent: Agent, log: ScriptedAcsLog) => Effect.Effect<void, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(scripts);
    const store = yield* makeMemoryStore();
    const layer = Layer.mergeAll(Layer.succeed(Store, store), acs.layer, stubDevicePorts());
    return yield* testAgentLife(
      { schema, values, layer, options: { random: () => 0.5, pollIntervalSeconds: 0 } },
      (agent) => body(agent, acs.log),
    );
  }).pipe(runInTestTime);

const enabled = {
  [`${HB}Enable`]: "true",
  [`${HB}ReportingInterval`]: "60",
  [`${HB}InitiationTime`]: "1970-01-01T00:00:00Z",
};

describe("heartbeat sessions of a whole agent (Annex O, §1.10-Heartbeat)", () => {
  it("§1.10-Heartbeat the heartbeat Inform carries only 14 HEARTBEAT, at InitiationTime + k*ReportingInterval", async () => {
    await withAgent(enabled, [], (_agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs.map((i) => i.codes)).toEqual([[EventCode.Bootstrap, EventCode.Boot]]);
        yield* TestClock.adjust("59 seconds");
        yield* settle;
        expect(log.informs).toHaveLength(1);
        yield* TestClock.adjust("1 second");
        yield* settle;
        expect(log.informs.map((i) => i.codes)).toEqual([
          [EventCode.Bootstrap, EventCode.Boot],
          [EventCode.Heartbeat],
        ]);
        // Forced-inform values still go with it (the ACS knows which device it is).
        expect(log.informs[1]?.parameters.has(`${MS}ConnectionRequestURL`)).toBe(true);
        yield* TestClock.adjust("60 seconds");
        yield* settle;
        expect(log.informs.at(-1)?.codes).toEqual([EventCode.Heartbeat]);
        expect(log.informs).toHaveLength(3);
      }),
    );
  });

  it("§1.10-Heartbeat 14 HEARTBEAT is never written to the durable event queue", async () => {
    await withAgent(enabled, [], (agent) =>
      Effect.gen(function* () {
        yield* settle;
        yield* TestClock.adjust("60 seconds");
        yield* settle;
        const queued = (yield* agent.queue.get).events.map((e) => e.eventCode);
        expect(queued).not.toContain(EventCode.Heartbeat);
      }),
    );
  });

  it("§1.10-Heartbeat a pending passive notification is left for the next normal Inform, not cleared by the heartbeat", async () => {
    await withAgent(enabled, [], (agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        yield* agent.dataModel.setParameterAttributes([
          {
            name: WATCHED,
            notificationChange: true,
            notification: 1,
            accessListChange: false,
            accessList: [],
          },
        ]);
        yield* agent.dataModel.recordChanges([{ path: WATCHED, value: "42" }]);
        yield* TestClock.adjust("60 seconds");
        yield* settle;
        expect(log.informs.at(-1)?.codes).toEqual([EventCode.Heartbeat]);
        expect(yield* agent.dataModel.pendingNotifications).toEqual([WATCHED]);
      }),
    );
  });

  it("§1.10-Heartbeat HeartbeatPolicy set by the ACS arms the heartbeat after the session", async () => {
    await withAgent(
      {},
      [
        [
          {
            _tag: "SetParameterValues",
            parameterList: [
              { name: `${HB}Enable`, value: "true", type: "boolean" },
              { name: `${HB}ReportingInterval`, value: "30", type: "unsignedInt" },
              { name: `${HB}InitiationTime`, value: "1970-01-01T00:00:00Z", type: "dateTime" },
            ],
            parameterKey: "hb",
          },
        ],
      ],
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          expect(log.informs).toHaveLength(1);
          yield* TestClock.adjust("30 seconds");
          yield* settle;
          expect(log.informs.map((i) => i.codes)).toEqual([
            [EventCode.Bootstrap, EventCode.Boot],
            [EventCode.Heartbeat],
          ]);
        }),
    );
  });
});
