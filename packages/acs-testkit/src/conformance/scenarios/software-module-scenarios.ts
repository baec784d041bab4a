/**
 * Scenarios of software module management (TR-069 Annex H, §1.4 ChangeDUState, the CPE's
 * DUStateChangeComplete and AutonomousDUStateChangeComplete, events 11 and 12, and faults
 * 9022-9032 each in the situation its definition names). The DUs are cpekit DU packages
 * (`@cpekit/core`'s `deployment-unit-package.ts`) served from the ACS's file shelf. A device
 * whose GetRPCMethods does not list ChangeDUState skips them all (the method is optional).
 * @module
 */
import { randomUUID } from "node:crypto";
import {
  type AutonomousDUStateChangeComplete,
  type DUStateChangeComplete,
  encodeDeploymentUnitPackage,
  type OperationStruct,
  type OpResultStruct,
} from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  eventCodes,
  fail,
  hasEvent,
  nextInform,
  noInformWithin,
  skip,
} from "../scenario-checks.js";
import { drive, driveOne, settled } from "../session-driver.js";

const sm = (ctx: ScenarioContext) => `${ctx.device.root}SoftwareModules.`;

/** Skips the scenario when ChangeDUState is not offered. */
const requireChangeDUState = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    const r = yield* driveOne(ctx, { _tag: "GetRPCMethods" }, "GetRPCMethodsResponse");
    if (!r.methodList.includes("ChangeDUState"))
      return yield* skip("optional ChangeDUState not implemented (not in GetRPCMethods)");
  });

/** Serves a cpekit DU package; yields its URL and size. */
const servePackage = (
  ctx: ScenarioContext,
  name: string,
  version: string,
  more: {
    readonly executionEnvType?: string;
    readonly padding?: number;
    readonly holdMs?: number;
  } = {},
) =>
  Effect.gen(function* () {
    const bytes = encodeDeploymentUnitPackage({
      name,
      version,
      vendor: "cpekit-conformance",
      ...(more.executionEnvType === undefined ? {} : { executionEnvType: more.executionEnvType }),
      executionUnits: [{ name: `${name}-main`, autoStart: false }],
      files: {
        [`${name}.py`]: `print("${name} ${version}")\n`,
        ...(more.padding === undefined ? {} : { "padding.txt": "#".repeat(more.padding) }),
      },
    });
    const path = `/du/${name}-${version}-${randomUUID().slice(0, 8)}.json`;
    return yield* ctx.acs.serveFile(
      path,
      bytes,
      undefined,
      more.holdMs === undefined ? undefined : { holdMs: more.holdMs },
    );
  });

const changeDUState = (
  ctx: ScenarioContext,
  commandKey: string,
  operations: readonly OperationStruct[],
) => driveOne(ctx, { _tag: "ChangeDUState", operations, commandKey }, "ChangeDUStateResponse");

/** The next DUStateChangeComplete with `commandKey` (others are passed over). */
const nextReport = (ctx: ScenarioContext, commandKey: string, timeoutMs = 10_000) =>
  Effect.gen(function* () {
    for (let i = 0; i < 4; i++) {
      const r = yield* Effect.either(
        ctx.acs.nextCpeRequest({
          deviceId: ctx.device.deviceId,
          method: "DUStateChangeComplete",
          timeoutMs,
        }),
      );
      if (r._tag === "Left")
        return yield* fail(
          `no DUStateChangeComplete with CommandKey "${commandKey}" within ${timeoutMs} ms`,
        );
      const m = r.right.message as DUStateChangeComplete;
      if ((m.commandKey ?? "") === commandKey) return { report: m, sessionId: r.right.sessionId };
    }
    return yield* fail(`no DUStateChangeComplete with CommandKey "${commandKey}"`);
  });

/** The one result of a single-operation request. */
const onlyResult = (report: DUStateChangeComplete) =>
  Effect.gen(function* () {
    yield* check(report.results.length === 1, `${report.results.length} results, expected 1`);
    return report.results[0] as OpResultStruct;
  });

/** Carries out one operation and yields its result. */
const runOne = (ctx: ScenarioContext, commandKey: string, op: OperationStruct) =>
  Effect.gen(function* () {
    yield* changeDUState(ctx, commandKey, [op]);
    const { report } = yield* nextReport(ctx, commandKey);
    return yield* onlyResult(report);
  });

const install = (url: string, uuid?: string, executionEnvRef?: string): OperationStruct => ({
  _tag: "InstallOpStruct",
  url,
  ...(uuid === undefined ? {} : { uuid }),
  ...(executionEnvRef === undefined ? {} : { executionEnvRef }),
});

const describeResult = (r: OpResultStruct) =>
  `FaultCode ${r.fault.faultCode} (${r.fault.faultString ?? ""}), CurrentState ${r.currentState}`;

/** Expects the result to fail with `code`. */
const expectFault = (r: OpResultStruct, code: number, state?: string) =>
  Effect.gen(function* () {
    yield* check(r.fault.faultCode === code, `${describeResult(r)}, expected fault ${code}`);
    if (state !== undefined)
      yield* check(r.currentState === state, `${describeResult(r)}, expected ${state}`);
  });

const gpv = (ctx: ScenarioContext, names: readonly string[]) =>
  Effect.map(
    driveOne(
      ctx,
      { _tag: "GetParameterValues", parameterNames: names },
      "GetParameterValuesResponse",
    ),
    (r) => new Map(r.parameterList.map((p) => [p.name, p.value] as const)),
  );

/** The first EE's reference (`Device.SoftwareModules.ExecEnv.<n>`) and its values. */
const firstExecEnv = (ctx: ScenarioContext) =>
  Effect.gen(function* () {
    const values = yield* gpv(ctx, [`${sm(ctx)}ExecEnv.`]);
    const names = [...values.keys()];
    const m = names
      .map((n) => /ExecEnv\.(\d+)\.Status$/.exec(n))
      .find((x): x is RegExpExecArray => x !== null);
    if (m === undefined) return yield* skip("the device lists no ExecEnv");
    const ref = `${sm(ctx)}ExecEnv.${m[1]}`;
    return { ref, value: (p: string) => values.get(`${ref}.${p}`) };
  });

/** Installs one DU (expected to succeed) and yields its UUID, URL and result. */
const installed = (ctx: ScenarioContext, name: string, version = "1.0", uuid = randomUUID()) =>
  Effect.gen(function* () {
    const url = yield* servePackage(ctx, name, version);
    const r = yield* runOne(ctx, `ck-${name}`, install(url, uuid));
    yield* check(r.fault.faultCode === 0, `installing ${name}: ${describeResult(r)}`);
    return { uuid, url, result: r };
  });

/** The scenario shell: settled device offering ChangeDUState. */
const duScenario = (
  ids: readonly string[],
  title: string,
  body: (ctx: ScenarioContext) => Effect.Effect<void, unknown>,
  timeoutMs = 30_000,
): Scenario => ({
  ids,
  title,
  timeoutMs,
  run: (ctx) =>
    Effect.gen(function* () {
      yield* settled(ctx);
      yield* requireChangeDUState(ctx);
      yield* body(ctx);
    }) as ReturnType<Scenario["run"]>,
});

/** The scenarios of this file. */
export const softwareModuleScenarios: readonly Scenario[] = [
  duScenario(
    ["§1.4-ChangeDUState", "§1.4-CPE-DUStateChangeComplete", "§1.5-11-DU-STATE-CHANGE-COMPLETE"],
    "ChangeDUState Install answered at once; a later session with 11 DU STATE CHANGE COMPLETE + M ChangeDUState carries DUStateChangeComplete (UUID, version, Installed, refs, times); the DU and its EU appear in Device.SoftwareModules",
    (ctx) =>
      Effect.gen(function* () {
        const uuid = randomUUID();
        const url = yield* servePackage(ctx, "hello", "1.0");
        yield* changeDUState(ctx, "ck-install", [install(url, uuid)]);
        const { report, sessionId } = yield* nextReport(ctx, "ck-install");
        const s = yield* ctx.acs.nextSession({ deviceId: ctx.device.deviceId, timeoutMs: 5_000 });
        let inform = yield* nextInform(ctx, "the report's session");
        for (let i = 0; i < 4 && inform.sessionId !== sessionId; i++)
          inform = yield* nextInform(ctx, "the report's session");
        const codes = eventCodes(inform.inform.event);
        yield* check(s.outcome === "completed", `the report's session ended ${s.outcome}`);
        yield* check(
          hasEvent(inform, "11 DU STATE CHANGE COMPLETE"),
          `Inform carried ${codes.join(", ")}`,
        );
        yield* check(
          codes.includes("M ChangeDUState|ck-install"),
          `Inform carried ${codes.join(", ")}`,
        );
        const r = yield* onlyResult(report);
        yield* check(r.fault.faultCode === 0, describeResult(r));
        yield* check(r.currentState === "Installed", describeResult(r));
        yield* check(r.uuid.toLowerCase() === uuid, `UUID ${r.uuid}, expected ${uuid}`);
        yield* check(r.version === "1.0", `Version "${r.version}", expected 1.0`);
        yield* check(
          !Number.isNaN(Date.parse(r.startTime)) && !Number.isNaN(Date.parse(r.completeTime)),
          `times ${r.startTime} / ${r.completeTime}`,
        );
        yield* check(
          r.deploymentUnitRef.startsWith(`${sm(ctx)}DeploymentUnit.`),
          `DeploymentUnitRef "${r.deploymentUnitRef}"`,
        );
        const eu = r.executionUnitRefList.split(",")[0] ?? "";
        yield* check(
          eu.startsWith(`${sm(ctx)}ExecutionUnit.`),
          `ExecutionUnitRefList "${r.executionUnitRefList}"`,
        );
        const v = yield* gpv(ctx, [`${r.deploymentUnitRef}.`, `${eu}.Status`]);
        yield* check(
          (v.get(`${r.deploymentUnitRef}.UUID`) ?? "").toLowerCase() === uuid,
          `${r.deploymentUnitRef}.UUID is ${v.get(`${r.deploymentUnitRef}.UUID`)}`,
        );
        yield* check(
          v.get(`${r.deploymentUnitRef}.Status`) === "Installed",
          `${r.deploymentUnitRef}.Status is ${v.get(`${r.deploymentUnitRef}.Status`)}`,
        );
        yield* check(v.get(`${eu}.Status`) === "Idle", `${eu}.Status is ${v.get(`${eu}.Status`)}`);
      }),
  ),
  duScenario(
    ["§1.4-ChangeDUState"],
    "an EU is started and stopped with RequestedState (Status Active, then Idle); Update replaces the version; Uninstall removes the DU and its EU (their paths answer 9005)",
    (ctx) =>
      Effect.gen(function* () {
        const { uuid, result } = yield* installed(ctx, "runner");
        const du = result.deploymentUnitRef;
        const eu = result.executionUnitRefList.split(",")[0] ?? "";
        const setState = (value: string) =>
          driveOne(
            ctx,
            {
              _tag: "SetParameterValues",
              parameterList: [{ name: `${eu}.RequestedState`, value, type: "string" }],
              parameterKey: `eu-${value}`,
            },
            "SetParameterValuesResponse",
          );
        yield* setState("Active");
        const active = yield* gpv(ctx, [`${eu}.Status`]);
        yield* check(
          active.get(`${eu}.Status`) === "Active",
          `after Active: ${active.get(`${eu}.Status`)}`,
        );
        yield* setState("Idle");
        const idle = yield* gpv(ctx, [`${eu}.Status`]);
        yield* check(
          idle.get(`${eu}.Status`) === "Idle",
          `after Idle: ${idle.get(`${eu}.Status`)}`,
        );
        const v2 = yield* servePackage(ctx, "runner", "2.0");
        const up = yield* runOne(ctx, "ck-update", { _tag: "UpdateOpStruct", uuid, url: v2 });
        yield* check(
          up.fault.faultCode === 0 && up.version === "2.0",
          `Update: ${describeResult(up)}, Version ${up.version}`,
        );
        const version = yield* gpv(ctx, [`${du}.Version`]);
        yield* check(
          version.get(`${du}.Version`) === "2.0",
          `${du}.Version is ${version.get(`${du}.Version`)}`,
        );
        const gone = yield* runOne(ctx, "ck-uninstall", { _tag: "UninstallOpStruct", uuid });
        yield* check(
          gone.fault.faultCode === 0 && gone.currentState === "Uninstalled",
          `Uninstall: ${describeResult(gone)}`,
        );
        const { answers } = yield* drive(ctx, [
          { _tag: "GetParameterValues", parameterNames: [`${du}.UUID`] },
          { _tag: "GetParameterValues", parameterNames: [`${eu}.Status`] },
        ]);
        for (const [i, a] of answers.entries())
          yield* check(
            a._tag === "Fault" && a.detail?.faultCode === 9005,
            `${i === 0 ? du : eu} after Uninstall answered ${a._tag === "Fault" ? `fault ${a.detail?.faultCode}` : a._tag}, expected 9005`,
          );
      }),
    40_000,
  ),
  {
    ids: [
      "§1.4-CPE-AutonomousDUStateChangeComplete",
      "§1.5-12-AUTONOMOUS-DU-STATE-CHANGE-COMPLETE",
    ],
    title:
      "a DU the device installs on its own is not reported while DUStateChangeComplPolicy.Enable is false; once enabled for Install, it is: 12 AUTONOMOUS DU STATE CHANGE COMPLETE and AutonomousDUStateChangeComplete (OperationPerformed Install)",
    timeoutMs: 30_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const installLocally = ctx.device.installSoftwareLocally;
        if (installLocally === undefined)
          return yield* skip("the device under test cannot install software on its own here");
        yield* requireChangeDUState(ctx);
        const policy = `${ctx.device.root}ManagementServer.DUStateChangeComplPolicy.`;
        const pkg = (name: string) =>
          encodeDeploymentUnitPackage({ name, version: "1.0", vendor: "cpekit-conformance" });
        yield* installLocally(pkg(`quiet-${randomUUID().slice(0, 6)}`));
        yield* noInformWithin(ctx, 1_500, "an autonomous change reported with the policy disabled");
        yield* driveOne(
          ctx,
          {
            _tag: "SetParameterValues",
            parameterList: [
              { name: `${policy}Enable`, value: "true", type: "boolean" },
              { name: `${policy}OperationTypeFilter`, value: "Install", type: "string" },
              { name: `${policy}ResultTypeFilter`, value: "Both", type: "string" },
            ],
            parameterKey: "du-policy",
          },
          "SetParameterValuesResponse",
        );
        const name = `loud-${randomUUID().slice(0, 6)}`;
        yield* installLocally(pkg(name));
        const r = yield* Effect.either(
          ctx.acs.nextCpeRequest({
            deviceId: ctx.device.deviceId,
            method: "AutonomousDUStateChangeComplete",
            timeoutMs: 8_000,
          }),
        );
        if (r._tag === "Left") return yield* fail("no AutonomousDUStateChangeComplete within 8 s");
        const m = r.right.message as AutonomousDUStateChangeComplete;
        yield* check(m.results.length === 1, `${m.results.length} results`);
        const [res] = m.results;
        yield* check(
          res?.operationPerformed === "Install",
          `OperationPerformed ${res?.operationPerformed}`,
        );
        yield* check(res?.currentState === "Installed", `CurrentState ${res?.currentState}`);
        yield* check(res?.fault.faultCode === 0, `FaultCode ${res?.fault.faultCode}`);
        yield* check(/^[0-9a-fA-F-]{36}$/.test(res?.uuid ?? ""), `UUID "${res?.uuid}"`);
        let inform = yield* nextInform(ctx, "the autonomous report's session");
        for (let i = 0; i < 4 && inform.sessionId !== r.right.sessionId; i++)
          inform = yield* nextInform(ctx, "the autonomous report's session");
        yield* check(
          hasEvent(inform, "12 AUTONOMOUS DU STATE CHANGE COMPLETE"),
          `Inform carried ${eventCodes(inform.inform.event).join(", ")}`,
        );
      }),
  },
  duScenario(
    ["§1.14-9022"],
    "Install with a UUID not in RFC 4122 form: result fault 9022, CurrentState Failed",
    (ctx) =>
      Effect.gen(function* () {
        const url = yield* servePackage(ctx, "baduuid", "1.0");
        const r = yield* runOne(ctx, "ck-9022", install(url, "not-a-uuid-0000"));
        yield* expectFault(r, 9022, "Failed");
      }),
  ),
  duScenario(
    ["§1.14-9023"],
    "Install with an ExecutionEnvRef naming no execution environment: fault 9023",
    (ctx) =>
      Effect.gen(function* () {
        const url = yield* servePackage(ctx, "noee", "1.0");
        const r = yield* runOne(
          ctx,
          "ck-9023",
          install(url, randomUUID(), `${sm(ctx)}ExecEnv.9999`),
        );
        yield* expectFault(r, 9023, "Failed");
      }),
  ),
  duScenario(
    ["§1.14-9024"],
    "Install on an execution environment disabled with ExecEnv.{i}.Enable=false: fault 9024 (enabled again afterwards)",
    (ctx) =>
      Effect.gen(function* () {
        const ee = yield* firstExecEnv(ctx);
        const setEnable = (value: string) =>
          drive(ctx, [
            {
              _tag: "SetParameterValues",
              parameterList: [{ name: `${ee.ref}.Enable`, value, type: "boolean" }],
              parameterKey: `ee-${value}`,
            },
          ]);
        const off = yield* setEnable("false");
        if (off.answers[0]?._tag !== "SetParameterValuesResponse")
          return yield* skip(`${ee.ref}.Enable cannot be set to false on this device`);
        const url = yield* servePackage(ctx, "disabled", "1.0");
        const r = yield* runOne(ctx, "ck-9024", install(url, randomUUID(), ee.ref));
        yield* setEnable("true");
        yield* expectFault(r, 9024, "Failed");
      }),
  ),
  duScenario(
    ["§1.14-9025"],
    "Install of a package made for another execution environment type: fault 9025",
    (ctx) =>
      Effect.gen(function* () {
        const ee = yield* firstExecEnv(ctx);
        const type = ee.value("Type") ?? "";
        const url = yield* servePackage(ctx, "foreign", "1.0", {
          executionEnvType: `${type} X_OTHER`,
        });
        const r = yield* runOne(ctx, "ck-9025", install(url, randomUUID(), ee.ref));
        yield* expectFault(r, 9025, "Failed");
      }),
  ),
  duScenario(
    ["§1.14-9026"],
    "the same UUID and version installed twice in one ChangeDUState: the first succeeds, the second fails 9026",
    (ctx) =>
      Effect.gen(function* () {
        const uuid = randomUUID();
        const url = yield* servePackage(ctx, "twice", "1.0");
        yield* changeDUState(ctx, "ck-9026", [install(url, uuid), install(url, uuid)]);
        const { report } = yield* nextReport(ctx, "ck-9026");
        yield* check(report.results.length === 2, `${report.results.length} results, expected 2`);
        const [first, second] = report.results as [OpResultStruct, OpResultStruct];
        yield* check(first.fault.faultCode === 0, `first install: ${describeResult(first)}`);
        yield* expectFault(second, 9026);
      }),
  ),
  duScenario(
    ["§1.14-9027"],
    "Install of a package larger than the execution environment's AvailableDiskSpace: fault 9027",
    (ctx) =>
      Effect.gen(function* () {
        const ee = yield* firstExecEnv(ctx);
        const available = Number(ee.value("AvailableDiskSpace") ?? "-1");
        if (!Number.isInteger(available) || available < 0)
          return yield* skip("the EE does not publish its AvailableDiskSpace");
        if (available > 8 * 1024)
          return yield* skip(`AvailableDiskSpace ${available} KiB: too large to exceed here`);
        const url = yield* servePackage(ctx, "huge", "1.0", { padding: (available + 16) * 1024 });
        const r = yield* runOne(ctx, "ck-9027", install(url, randomUUID(), ee.ref));
        yield* expectFault(r, 9027, "Failed");
      }),
    40_000,
  ),
  duScenario(
    ["§1.14-9028"],
    "Update and Uninstall of a UUID that is not installed: fault 9028 for both",
    (ctx) =>
      Effect.gen(function* () {
        const uuid = randomUUID();
        const url = yield* servePackage(ctx, "ghost", "1.0");
        yield* changeDUState(ctx, "ck-9028", [
          { _tag: "UpdateOpStruct", uuid, url },
          { _tag: "UninstallOpStruct", uuid },
        ]);
        const { report } = yield* nextReport(ctx, "ck-9028");
        yield* check(report.results.length === 2, `${report.results.length} results, expected 2`);
        for (const r of report.results) yield* expectFault(r, 9028);
      }),
  ),
  duScenario(
    ["§1.14-9029"],
    "an Uninstall that arrives while an earlier Update of the same DU is still fetching its package: fault 9029; the Update completes",
    (ctx) =>
      Effect.gen(function* () {
        const { uuid } = yield* installed(ctx, "busy", "1.0");
        const slow = yield* servePackage(ctx, "busy", "2.0", { holdMs: 8_000 });
        yield* changeDUState(ctx, "ck-slow", [{ _tag: "UpdateOpStruct", uuid, url: slow }]);
        // The update runs once that session is over; give it a moment to start fetching.
        yield* Effect.sleep("700 millis");
        const status = yield* gpv(ctx, [`${sm(ctx)}DeploymentUnit.`]);
        const busyStatus = [...status.entries()].find(
          ([k, v]) => k.endsWith(".UUID") && v.toLowerCase() === uuid,
        );
        const duRef = busyStatus?.[0].slice(0, -".UUID".length);
        const seen = duRef === undefined ? undefined : status.get(`${duRef}.Status`);
        yield* check(
          seen === "Updating",
          `the DU's Status during the update was ${seen}, expected Updating`,
        );
        yield* changeDUState(ctx, "ck-9029", [{ _tag: "UninstallOpStruct", uuid }]);
        const first = yield* nextReport(ctx, "ck-slow", 15_000);
        const update = yield* onlyResult(first.report);
        yield* check(
          update.fault.faultCode === 0 && update.version === "2.0",
          `the Update: ${describeResult(update)}`,
        );
        const second = yield* nextReport(ctx, "ck-9029", 15_000);
        yield* expectFault(yield* onlyResult(second.report), 9029);
      }),
    45_000,
  ),
  duScenario(
    ["§1.14-9030"],
    "Update to an older version of the DU: fault 9030, the DU keeps its version",
    (ctx) =>
      Effect.gen(function* () {
        const { uuid, result } = yield* installed(ctx, "newer", "2.0");
        const old = yield* servePackage(ctx, "newer", "1.0");
        const r = yield* runOne(ctx, "ck-9030", { _tag: "UpdateOpStruct", uuid, url: old });
        yield* expectFault(r, 9030);
        const v = yield* gpv(ctx, [`${result.deploymentUnitRef}.Version`]);
        yield* check(
          v.get(`${result.deploymentUnitRef}.Version`) === "2.0",
          `Version after the refused downgrade: ${v.get(`${result.deploymentUnitRef}.Version`)}`,
        );
      }),
  ),
  duScenario(
    ["§1.14-9031"],
    "two versions of one UUID installed, then an Update without Version: fault 9031",
    (ctx) =>
      Effect.gen(function* () {
        const uuid = randomUUID();
        yield* installed(ctx, "multi", "1.0", uuid);
        yield* installed(ctx, "multi", "1.5", uuid);
        const next = yield* servePackage(ctx, "multi", "2.0");
        const r = yield* runOne(ctx, "ck-9031", { _tag: "UpdateOpStruct", uuid, url: next });
        yield* expectFault(r, 9031);
      }),
    40_000,
  ),
  duScenario(["§1.14-9032"], "Update of a DU to the version it already has: fault 9032", (ctx) =>
    Effect.gen(function* () {
      const { uuid, url } = yield* installed(ctx, "same", "1.0");
      const r = yield* runOne(ctx, "ck-9032", { _tag: "UpdateOpStruct", uuid, url });
      yield* expectFault(r, 9032);
    }),
  ),
];
