import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import type { Agent } from "../agent/agent.js";
import { EventCode } from "../agent/event-codes.js";
import { type ScriptedAcsLog, scriptedAcs } from "../agent/test-support/scripted-acs.js";
import { settle } from "../agent/test-support/settle.js";
import { stubDevicePorts } from "../agent/test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "../agent/test-support/test-agent-life.js";
import { Diagnostics } from "../ports/diagnostics.js";
import { makeMemoryStore, Store } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import { diagnosticsSchema, fakeDiagnostics, PING } from "./test-support/diagnostics-fixture.js";

const withAgent = (
  scripts: readonly (readonly CwmpMessage[])[],
  fake: ReturnType<typeof fakeDiagnostics> | undefined,
  body: (agent: Agent, log: ScriptedAcsLog) => Effect.Effect<void, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(scripts);
    const layer = Layer.mergeAll(
      Layer.succeed(Store, yield* makeMemoryStore()),
      acs.layer,
      stubDevicePorts(),
      fake === undefined ? Layer.empty : Layer.succeed(Diagnostics, fake.service),
    );
    return yield* testAgentLife(
      {
        schema: diagnosticsSchema,
        layer,
        options: { random: () => 0.5, pollIntervalSeconds: 0 },
      },
      (agent) => body(agent, acs.log),
    );
  }).pipe(runInTestTime);

const requestPing: CwmpMessage = {
  _tag: "SetParameterValues",
  parameterList: [
    { name: `${PING}Host`, value: "127.0.0.1", type: "string" },
    { name: `${PING}DiagnosticsState`, value: "Requested", type: "string" },
  ],
  parameterKey: "diag",
};

describe("makeAgent with the Diagnostics port", () => {
  it("§1.12-Diagnostics §1.5-8-DIAGNOSTICS-COMPLETE an IPPing requested in a session runs after it and a new session reports 8 DIAGNOSTICS COMPLETE; its results are readable", async () => {
    const fake = fakeDiagnostics();
    await withAgent(
      [
        [requestPing],
        [
          {
            _tag: "GetParameterValues",
            parameterNames: [`${PING}DiagnosticsState`, `${PING}SuccessCount`],
          },
        ],
      ],
      fake,
      (agent, log) =>
        Effect.gen(function* () {
          yield* settle;
          yield* settle;
          expect(log.informs.map((i) => i.codes)).toEqual([
            [EventCode.Bootstrap, EventCode.Boot],
            [EventCode.DiagnosticsComplete],
          ]);
          expect(fake.calls.map((c) => c.kind)).toEqual(["ipPing"]);
          const gpv = log.answers.find((a) => a._tag === "GetParameterValuesResponse");
          expect(gpv).toMatchObject({
            parameterList: [
              { name: `${PING}DiagnosticsState`, value: "Complete" },
              { name: `${PING}SuccessCount`, value: "3" },
            ],
          });
          expect((yield* agent.queue.get).events).toEqual([]);
        }),
    );
  });

  it("§1.12-Diagnostics without the port the objects stay plain stored values and no test runs", async () => {
    await withAgent([[requestPing]], undefined, (_agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs).toHaveLength(1);
        expect(log.answers[0]).toMatchObject({ _tag: "SetParameterValuesResponse" });
      }),
    );
  });
});
