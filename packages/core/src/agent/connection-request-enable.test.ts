import { Effect, Layer, Queue, Stream } from "effect";
import { describe, expect, it } from "vitest";
import { deviceFixtureWith } from "../datamodel/test-support/device-fixture.js";
import { ConnectionRequests, type ConnectionRequestTrigger } from "../ports/connection-requests.js";
import { makeMemoryStore, Store } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { Agent } from "./agent.js";
import { applyHttpConnectionRequestEnable } from "./connection-request-enable.js";
import { type ScriptedAcsLog, scriptedAcs } from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts } from "./test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "./test-support/test-agent-life.js";

const MS = "Device.ManagementServer.";
const ENABLE = `${MS}HTTPConnectionRequestEnable`;
const CR_URL = `${MS}ConnectionRequestURL`;
const SERVER_URL = "http://127.0.0.1:30006/cr";

const schema = deviceFixtureWith([
  { path: ENABLE, type: "boolean", access: "readWrite", default: "true" },
]);

const setEnable = (value: string, key: string): CwmpMessage => ({
  _tag: "SetParameterValues",
  parameterList: [{ name: ENABLE, value, type: "boolean" }],
  parameterKey: key,
});

/** Runs one agent life against `scripts`, recording every `setEnabled` call of the server. */
const withAgent = (
  scripts: readonly (readonly CwmpMessage[])[],
  values: Readonly<Record<string, string>>,
  body: (
    agent: Agent,
    log: ScriptedAcsLog,
    calls: readonly boolean[],
    fireCr: Effect.Effect<void>,
  ) => Effect.Effect<void, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(scripts);
    const calls: boolean[] = [];
    const triggers = yield* Queue.unbounded<ConnectionRequestTrigger>();
    const layer = Layer.mergeAll(
      Layer.succeed(Store, yield* makeMemoryStore()),
      acs.layer,
      Layer.succeed(ConnectionRequests, {
        triggers: Stream.fromQueue(triggers),
        url: SERVER_URL,
        setSessionActive: () => Effect.void,
        setEnabled: (enabled) => Effect.sync(() => calls.push(enabled)),
      }),
      stubDevicePorts(),
    );
    yield* testAgentLife({ schema, values, layer, options: { random: () => 0.5 } }, (agent) =>
      body(agent, acs.log, calls, Queue.offer(triggers, { receivedAt: 0 }).pipe(Effect.asVoid)),
    );
  }).pipe(runInTestTime);

const urlIn = (agent: Agent) =>
  Effect.map(agent.dataModel.getDeviceValues([CR_URL]), (l) => l[0]?.value);

describe("HTTPConnectionRequestEnable (C6)", () => {
  it("C6: an ACS SetParameterValues of HTTPConnectionRequestEnable=false closes the server and empties ConnectionRequestURL; true publishes it again", async () => {
    await withAgent(
      [[setEnable("false", "off")], [setEnable("true", "on")]],
      {},
      (agent, log, calls, fireCr) =>
        Effect.gen(function* () {
          yield* settle;
          expect(log.informs[0]?.parameters.get(CR_URL)).toBe(SERVER_URL);
          expect(log.answers[0]?._tag).toBe("SetParameterValuesResponse");
          expect(calls).toEqual([true, false]);
          expect(yield* urlIn(agent)).toBe("");
          // Caused by the ACS's own SetParameterValues: no VALUE CHANGE notification pending.
          expect(yield* agent.dataModel.pendingNotifications).not.toContain(CR_URL);
          yield* fireCr;
          yield* settle;
          expect(log.informs[1]?.parameters.get(CR_URL)).toBe("");
          expect(calls).toEqual([true, false, true]);
          expect(yield* urlIn(agent)).toBe(SERVER_URL);
        }),
    );
  });

  it("C6: a device starting with HTTPConnectionRequestEnable=false keeps the port closed and informs an empty URL", async () => {
    await withAgent([], { [ENABLE]: "false" }, (agent, log, calls) =>
      Effect.gen(function* () {
        yield* settle;
        expect(calls[0]).toBe(false);
        expect(calls).not.toContain(true);
        expect(log.informs[0]?.parameters.get(CR_URL)).toBe("");
        expect(yield* urlIn(agent)).toBe("");
      }),
    );
  });

  it("C6: an absent, unreadable or malformed HTTPConnectionRequestEnable means enabled", () => {
    /** What `applyHttpConnectionRequestEnable` switches the server to, for a stored value. */
    const switchedTo = (value: string | undefined) => {
      const calls: boolean[] = [];
      const model = {
        getDeviceValues: (names: readonly string[]) =>
          value === undefined
            ? Effect.fail({ _tag: "CwmpFault", faultCode: 9005, faultString: "x" } as never)
            : Effect.succeed(names.map((name) => ({ name, value, type: "boolean" as const }))),
        recordChanges: () => Effect.succeed([] as readonly string[]),
        clearPendingNotifications: () => Effect.void,
      };
      const server = {
        url: "http://127.0.0.1:7547/cr",
        setEnabled: (enabled: boolean) => Effect.sync(() => void calls.push(enabled)),
      };
      Effect.runSync(applyHttpConnectionRequestEnable(model, MS, server, "start"));
      return calls;
    };
    expect([undefined, "true", "1", "yes"].map(switchedTo)).toEqual([
      [true],
      [true],
      [true],
      [true],
    ]);
    expect(["false", "0"].map(switchedTo)).toEqual([[false], [false]]);
  });
});
