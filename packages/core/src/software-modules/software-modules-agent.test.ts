import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import type { Agent } from "../agent/agent.js";
import { EventCode } from "../agent/event-codes.js";
import {
  fakeConnectionRequests,
  type ScriptedAcsLog,
  scriptedAcs,
} from "../agent/test-support/scripted-acs.js";
import { settle } from "../agent/test-support/settle.js";
import { runInTestTime, testAgentLife } from "../agent/test-support/test-agent-life.js";
import { DeviceActions } from "../ports/device-actions.js";
import { FileTransfer, FileTransferError } from "../ports/file-transfer.js";
import { SoftwareModules } from "../ports/software-modules.js";
import { makeMemoryStore, Store, type StoreService } from "../ports/store.js";
import type { DUStateChangeComplete } from "../soap/cpe-methods.js";
import type { CwmpMessage } from "../soap/messages.js";
import { encodeDeploymentUnitPackage } from "./deployment-unit-package.js";
import {
  emptySoftwareModulesState,
  encodeSoftwareModulesState,
  SOFTWARE_MODULES_SECTION,
} from "./software-modules-state.js";
import {
  type MemorySoftwareModules,
  makeMemorySoftwareModules,
} from "./test-support/memory-software-modules.js";
import { softwareModulesSchema } from "./test-support/software-modules-schema.js";

const MS = "Device.ManagementServer.";
const SM = "Device.SoftwareModules.";
const UUID_A = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

const packages = new Map<string, Uint8Array>([
  [
    "http://127.0.0.1:1/a.json",
    encodeDeploymentUnitPackage({
      name: "a",
      version: "1.0",
      executionUnits: [{ name: "a-main", autoStart: false }],
    }),
  ],
  ["http://127.0.0.1:1/b.json", encodeDeploymentUnitPackage({ name: "b", version: "2.0" })],
]);

const servedFiles = Layer.succeed(FileTransfer, {
  download: (r) => {
    const bytes = packages.get(r.url);
    return bytes === undefined
      ? Effect.fail(
          new FileTransferError({ reason: "NotAccessible", faultCode: 9016, detail: "404" }),
        )
      : Effect.succeed({ bytes, startTime: 0, completeTime: 0 });
  },
  upload: () => Effect.succeed({ status: 200, startTime: 0, completeTime: 0 }),
});

const deviceActions = Layer.succeed(DeviceActions, {
  reboot: Effect.void,
  factoryReset: Effect.void,
  applyFirmware: () => Effect.void,
  applyConfig: () => Effect.void,
});

interface Life {
  readonly store: StoreService;
  readonly scripts: readonly (readonly CwmpMessage[])[];
  /** Absent: the device has no SoftwareModules port. */
  readonly modules?: MemorySoftwareModules;
  readonly values?: Readonly<Record<string, string>>;
}

/** One agent life in virtual time; `body` sees the agent and the ACS log. */
const live = <A>(
  life: Life,
  body: (agent: Agent, log: ScriptedAcsLog) => Effect.Effect<A, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(life.scripts);
    const cr = yield* fakeConnectionRequests("http://127.0.0.1:30009/cr");
    const base = Layer.mergeAll(
      Layer.succeed(Store, life.store),
      acs.layer,
      cr.layer,
      servedFiles,
      deviceActions,
    );
    const layer =
      life.modules === undefined
        ? base
        : Layer.merge(base, Layer.succeed(SoftwareModules, life.modules.service));
    return yield* testAgentLife(
      {
        schema: softwareModulesSchema,
        ...(life.values === undefined ? {} : { values: life.values }),
        layer,
        options: { random: () => 0.5 },
      },
      (agent) => body(agent, acs.log),
    );
  }).pipe(runInTestTime);

const install = (url: string, uuid?: string): CwmpMessage => ({
  _tag: "ChangeDUState",
  operations: [{ _tag: "InstallOpStruct", url, ...(uuid === undefined ? {} : { uuid }) }],
  commandKey: "ck-install",
});

const gpv = (name: string): CwmpMessage => ({ _tag: "GetParameterValues", parameterNames: [name] });

const valuesOf = (m: CwmpMessage | undefined): Record<string, string> =>
  m?._tag === "GetParameterValuesResponse"
    ? Object.fromEntries(m.parameterList.map((p) => [p.name, p.value]))
    : {};

const reports = (log: ScriptedAcsLog) =>
  log.answers.filter((m): m is DUStateChangeComplete => m._tag === "DUStateChangeComplete");

const settleLong = Effect.repeatN(settle, 4);

describe("software modules in the agent (Annex H)", () => {
  it("§1.4-ChangeDUState §1.4-CPE-DUStateChangeComplete §1.5-11-DU-STATE-CHANGE-COMPLETE answered at once, carried out after the session, reported with 11 and M ChangeDUState; the tables show the DU and its EU", async () => {
    const modules = makeMemorySoftwareModules();
    const store = Effect.runSync(makeMemoryStore());
    await live(
      {
        store,
        modules,
        scripts: [
          [{ _tag: "GetRPCMethods" }, install("http://127.0.0.1:1/a.json", UUID_A)],
          [{ _tag: "DUStateChangeCompleteResponse" }, gpv(SM)],
        ],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          const [methods, answer] = log.answers;
          expect(methods?._tag === "GetRPCMethodsResponse" && methods.methodList).toContain(
            "ChangeDUState",
          );
          expect(answer?._tag).toBe("ChangeDUStateResponse");
          expect(log.informs[1]?.codes).toEqual([
            EventCode.DuStateChangeComplete,
            `${EventCode.MChangeDUState}|ck-install`,
          ]);
          const [report] = reports(log);
          expect(report?.commandKey).toBe("ck-install");
          expect(report?.results).toHaveLength(1);
          expect(report?.results[0]).toMatchObject({
            uuid: UUID_A,
            deploymentUnitRef: `${SM}DeploymentUnit.1`,
            version: "1.0",
            currentState: "Installed",
            executionUnitRefList: `${SM}ExecutionUnit.1`,
            fault: { faultCode: 0 },
          });
          const values = valuesOf(log.answers.at(-1));
          expect(values).toMatchObject({
            [`${SM}DeploymentUnitNumberOfEntries`]: "1",
            [`${SM}ExecutionUnitNumberOfEntries`]: "1",
            [`${SM}ExecEnvNumberOfEntries`]: "1",
            [`${SM}DeploymentUnit.1.UUID`]: UUID_A,
            [`${SM}DeploymentUnit.1.Status`]: "Installed",
            [`${SM}DeploymentUnit.1.ExecutionEnvRef`]: `${SM}ExecEnv.1`,
            [`${SM}DeploymentUnit.1.ExecutionUnitList`]: `${SM}ExecutionUnit.1`,
            [`${SM}ExecutionUnit.1.Status`]: "Idle",
            [`${SM}ExecEnv.1.Status`]: "Up",
            [`${SM}ExecEnv.1.CreatedAt`]: "0001-01-01T00:00:00Z",
          });
        }),
    );
  });

  it("§1.4-ChangeDUState RequestedState=Active starts the EU (Status Active, listed as active by its EE), Idle stops it; uninstall removes the DU and its EU from the tables", async () => {
    const modules = makeMemorySoftwareModules();
    const store = Effect.runSync(makeMemoryStore());
    const spv = (value: string): CwmpMessage => ({
      _tag: "SetParameterValues",
      parameterList: [{ name: `${SM}ExecutionUnit.1.RequestedState`, value, type: "string" }],
      parameterKey: value,
    });
    await live(
      {
        store,
        modules,
        scripts: [
          [install("http://127.0.0.1:1/a.json", UUID_A)],
          [
            { _tag: "DUStateChangeCompleteResponse" },
            spv("Active"),
            gpv(SM),
            spv("Idle"),
            gpv(`${SM}ExecutionUnit.1.Status`),
            {
              _tag: "ChangeDUState",
              operations: [{ _tag: "UninstallOpStruct", uuid: UUID_A }],
              commandKey: "ck-rm",
            },
          ],
          [{ _tag: "DUStateChangeCompleteResponse" }, gpv(SM)],
        ],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          expect(modules.calls).toContain("eu du-1-eu-1 Active");
          const afterStart = valuesOf(
            log.answers.find(
              (m) => m._tag === "GetParameterValuesResponse" && m.parameterList.length > 1,
            ),
          );
          expect(afterStart[`${SM}ExecutionUnit.1.Status`]).toBe("Active");
          expect(afterStart[`${SM}ExecutionUnit.1.RequestedState`]).toBe("Active");
          expect(afterStart[`${SM}ExecEnv.1.ActiveExecutionUnits`]).toBe(`${SM}ExecutionUnit.1`);
          const stopped = log.answers.find(
            (m) => m._tag === "GetParameterValuesResponse" && m.parameterList.length === 1,
          );
          expect(valuesOf(stopped)[`${SM}ExecutionUnit.1.Status`]).toBe("Idle");
          const [, removal] = reports(log);
          expect(removal?.commandKey).toBe("ck-rm");
          expect(removal?.results[0]).toMatchObject({
            currentState: "Uninstalled",
            deploymentUnitRef: `${SM}DeploymentUnit.1`,
            version: "1.0",
          });
          const after = valuesOf(log.answers.at(-1));
          expect(after[`${SM}DeploymentUnitNumberOfEntries`]).toBe("0");
          expect(after[`${SM}ExecutionUnitNumberOfEntries`]).toBe("0");
          expect(Object.keys(after).some((k) => k.startsWith(`${SM}DeploymentUnit.1.`))).toBe(
            false,
          );
        }),
    );
  });

  it("§1.4-ChangeDUState an invalid RequestedState is refused with 9007 and nothing is started", async () => {
    const modules = makeMemorySoftwareModules();
    const store = Effect.runSync(makeMemoryStore());
    await live(
      {
        store,
        modules,
        scripts: [
          [install("http://127.0.0.1:1/a.json", UUID_A)],
          [
            { _tag: "DUStateChangeCompleteResponse" },
            {
              _tag: "SetParameterValues",
              parameterList: [
                { name: `${SM}ExecutionUnit.1.RequestedState`, value: "Running", type: "string" },
              ],
              parameterKey: "x",
            },
          ],
        ],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          const fault = log.answers.at(-1);
          expect(fault?._tag).toBe("Fault");
          expect(
            fault?._tag === "Fault" && fault.detail?.setParameterValuesFaults[0]?.faultCode,
          ).toBe(9007);
          expect(modules.calls.filter((c) => c.startsWith("eu "))).toEqual([]);
        }),
    );
  });

  it("§1.4-ChangeDUState without the SoftwareModules port GetRPCMethods omits ChangeDUState and the request is answered 9000", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await live(
      {
        store,
        scripts: [[{ _tag: "GetRPCMethods" }, install("http://127.0.0.1:1/a.json", UUID_A)]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          const [methods, answer] = log.answers;
          expect(methods?._tag === "GetRPCMethodsResponse" && methods.methodList).not.toContain(
            "ChangeDUState",
          );
          expect(answer?._tag === "Fault" && answer.detail?.faultCode).toBe(9000);
        }),
    );
  });

  it("§1.4-ChangeDUState a ChangeDUState without operations is refused with 9003, a CommandKey over 32 characters too, over 16 operations 9004; 16 operations and a 32-character CommandKey are accepted", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modules = makeMemorySoftwareModules();
    await live(
      {
        store,
        modules,
        scripts: [
          [
            { _tag: "ChangeDUState", operations: [], commandKey: "" },
            {
              _tag: "ChangeDUState",
              operations: [{ _tag: "InstallOpStruct", url: "http://127.0.0.1:1/a.json" }],
              commandKey: "k".repeat(33),
            },
            {
              _tag: "ChangeDUState",
              operations: Array.from({ length: 17 }, () => ({
                _tag: "InstallOpStruct" as const,
                url: "http://127.0.0.1:1/a.json",
              })),
              commandKey: "too-many",
            },
            {
              _tag: "ChangeDUState",
              operations: Array.from({ length: 16 }, () => ({
                _tag: "UninstallOpStruct" as const,
                uuid: UUID_A,
              })),
              commandKey: "k".repeat(32),
            },
          ],
        ],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          expect(
            log.answers.slice(0, 4).map((m) => (m._tag === "Fault" ? m.detail?.faultCode : m._tag)),
          ).toEqual([9003, 9003, 9004, "ChangeDUStateResponse"]);
          // The accepted one is carried out: 16 Uninstalls of a UUID not installed (9028).
          const [report] = reports(log);
          expect(report?.results.map((r) => r.fault.faultCode)).toEqual(Array(16).fill(9028));
          expect(modules.calls).toEqual([]);
        }),
    );
  });

  it("§1.5-11-DU-STATE-CHANGE-COMPLETE a report not acknowledged is sent again after a restart with its events, then no more; the DU was installed once", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modules = makeMemorySoftwareModules();
    // Life 1: the request is answered; the life ends before the report is acknowledged (the
    // ACS answers the report's session with nothing, so it stays queued).
    await live(
      {
        store,
        modules,
        scripts: [[install("http://127.0.0.1:1/b.json")]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          expect(reports(log)).toHaveLength(1);
        }),
    );
    // Life 2: the report is sent again, acknowledged this time.
    await live(
      {
        store,
        modules,
        scripts: [[{ _tag: "DUStateChangeCompleteResponse" }]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          expect(log.informs[0]?.codes).toEqual([
            EventCode.Boot,
            EventCode.DuStateChangeComplete,
            `${EventCode.MChangeDUState}|ck-install`,
          ]);
          expect(reports(log)[0]?.results[0]?.version).toBe("2.0");
        }),
    );
    // Life 3: nothing is owed any more; the DU was installed once.
    await live({ store, modules, scripts: [] }, (_agent, log) =>
      Effect.gen(function* () {
        yield* settleLong;
        expect(log.informs[0]?.codes).toEqual([EventCode.Boot]);
        expect(reports(log)).toEqual([]);
        expect(modules.calls.filter((c) => c.startsWith("install"))).toHaveLength(1);
      }),
    );
  });

  it("§1.4-ChangeDUState a request saved (answered) and not carried out when the device stopped is carried out by the next life, from its first operation without a result", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modules = makeMemorySoftwareModules();
    const done = {
      uuid: UUID_A,
      deploymentUnitRef: "",
      version: "",
      currentState: "Failed",
      resolved: false,
      executionUnitRefList: "",
      startTime: "2026-01-01T00:00:00Z",
      completeTime: "2026-01-01T00:00:01Z",
      fault: { faultCode: 9016, faultString: "earlier life" },
    };
    Effect.runSync(
      store.save({
        [SOFTWARE_MODULES_SECTION]: encodeSoftwareModulesState({
          ...emptySoftwareModulesState,
          nextId: 2,
          pending: [
            {
              id: 1,
              commandKey: "ck-crash",
              operations: [
                { _tag: "InstallOpStruct", url: "http://127.0.0.1:1/missing.json" },
                { _tag: "InstallOpStruct", url: "http://127.0.0.1:1/b.json" },
              ],
              results: [done],
            },
          ],
        }),
      }),
    );
    await live(
      { store, modules, scripts: [[], [{ _tag: "DUStateChangeCompleteResponse" }]] },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          // Only the second operation ran in this life.
          expect(modules.calls).toEqual(["install - http://127.0.0.1:1/b.json"]);
          const [report] = reports(log);
          expect(report?.commandKey).toBe("ck-crash");
          expect(report?.results.map((r) => [r.fault.faultCode, r.currentState])).toEqual([
            [9016, "Failed"],
            [0, "Installed"],
          ]);
          expect(log.informs[1]?.codes).toEqual([
            EventCode.DuStateChangeComplete,
            `${EventCode.MChangeDUState}|ck-crash`,
          ]);
        }),
    );
  });

  it("§1.4-CPE-AutonomousDUStateChangeComplete §1.5-12-AUTONOMOUS-DU-STATE-CHANGE-COMPLETE a change the plugin reports is sent only as DUStateChangeComplPolicy allows", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const modules = makeMemorySoftwareModules();
    const du = {
      duid: "du-x",
      uuid: UUID_A,
      name: "x",
      version: "3",
      vendor: "v",
      description: "",
      url: "local",
      execEnvId: "ee-1",
      status: "Installed" as const,
      resolved: true,
      executionUnits: [],
    };
    const policy = (enable: string, ops: string, result: string) => ({
      [`${MS}DUStateChangeComplPolicy.Enable`]: enable,
      [`${MS}DUStateChangeComplPolicy.OperationTypeFilter`]: ops,
      [`${MS}DUStateChangeComplPolicy.ResultTypeFilter`]: result,
      [`${MS}DUStateChangeComplPolicy.FaultCodeFilter`]: "9018",
    });
    await live(
      {
        store,
        modules,
        values: policy("true", "Install,Uninstall", "Both"),
        scripts: [[], [{ _tag: "AutonomousDUStateChangeCompleteResponse" }]],
      },
      (_agent, log) =>
        Effect.gen(function* () {
          yield* settleLong;
          // Not in OperationTypeFilter: not reported.
          yield* modules.report({
            operation: "Update",
            deploymentUnit: du,
            startTime: 0,
            completeTime: 1,
          });
          // A failure whose code is not in FaultCodeFilter: not reported.
          yield* modules.report({
            operation: "Install",
            deploymentUnit: du,
            startTime: 0,
            completeTime: 1,
            fault: { faultCode: 9027 },
          });
          yield* modules.report({
            operation: "Install",
            deploymentUnit: du,
            startTime: 0,
            completeTime: 1,
          });
          yield* settleLong;
          const sent = log.answers.filter((m) => m._tag === "AutonomousDUStateChangeComplete");
          expect(sent).toHaveLength(1);
          expect(log.informs[1]?.codes).toEqual([EventCode.AutonomousDuStateChangeComplete]);
          const [first] = sent;
          expect(
            first?._tag === "AutonomousDUStateChangeComplete" && first.results[0],
          ).toMatchObject({
            uuid: UUID_A,
            operationPerformed: "Install",
            currentState: "Installed",
            version: "3",
            fault: { faultCode: 0 },
          });
        }),
    );
  });
});
