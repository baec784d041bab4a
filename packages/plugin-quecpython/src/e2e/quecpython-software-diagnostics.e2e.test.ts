/**
 * End to end: ChangeDUState and IPPing on a simulated QuecPython module, through core's agent
 * (SoftwareModules and Diagnostics ports of `makeQuecPythonDevice`), CWMP over HTTP on
 * loopback to the testkit ACS: the app's files land on the module (checked there by SHA-256),
 * its execution unit runs in a `_thread`, and ping runs in MicroPython with (fake) `uping`.
 */
import { createHash } from "node:crypto";
import {
  type CwmpMessage,
  encodeDeploymentUnitPackage,
  type OpResultStruct,
  type ParameterValueStruct,
} from "@cpekit/core";
import { Effect } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./test-support/quecpython-harness.js";

const WAIT = { timeoutMs: 8000 };
const APP = "import utime\nwhile not cpekit_stop():\n utime.sleep_ms(500)\n";
const PACKAGE = encodeDeploymentUnitPackage({
  name: "telemetry",
  version: "1.0.0",
  vendor: "Example",
  description: "reports the signal",
  executionEnvType: "MicroPython",
  files: { "main.py": APP },
});

let h: Harness | undefined;
/** The device's key at the ACS, from its first Inform. */
let deviceKey = "";
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Queues an RPC and asks the agent for a session (as a connection request would). */
const call = async (message: CwmpMessage) => {
  const agent = h?.agent();
  if (h === undefined || agent === undefined) throw new Error("no agent");
  const answer = h.acs.call(deviceKey, message, { timeoutMs: 8000 });
  await Effect.runPromise(agent.connectionRequest);
  return answer;
};
const values = async (names: readonly string[]) => {
  const m = await call({ _tag: "GetParameterValues", parameterNames: names });
  const list: readonly ParameterValueStruct[] =
    m._tag === "GetParameterValuesResponse" ? m.parameterList : [];
  return Object.fromEntries(list.map((p) => [p.name, p.value]));
};
const set = (name: string, value: string, type = "string") =>
  call({
    _tag: "SetParameterValues",
    parameterList: [{ name, value, type }],
    parameterKey: "",
  });

/** The next Inform that carries `code` (the sessions in between are the test's own). */
const informWith = async (code: string) => {
  for (let i = 0; i < 5; i++) {
    const inform = await h?.acs.nextInform(WAIT);
    const codes = inform?.inform.event.map((e) => e.eventCode) ?? [];
    if (codes.includes(code)) return codes;
  }
  throw new Error(`no Inform with ${code} in 5 sessions`);
};

/** The DUStateChangeComplete of the next completed ChangeDUState. */
const nextResults = async (): Promise<readonly OpResultStruct[]> => {
  if (h === undefined) throw new Error("no harness");
  const r = await h.acs.nextCpeRequest({ method: "DUStateChangeComplete", ...WAIT });
  if (r.message._tag !== "DUStateChangeComplete") throw new Error(r.message._tag);
  return r.message.results;
};

const start = async () => {
  h = await startHarness();
  deviceKey = (await h.acs.nextInform(WAIT)).deviceId;
  return h;
};

describe("QuecPython device: software modules and diagnostics end to end", () => {
  it("§1.4 ChangeDUState / §1.5 11 DU STATE CHANGE COMPLETE: Install puts the app's files on the module (SHA-256 checked there), DUStateChangeComplete says Installed; RequestedState starts and stops it in a thread; Uninstall removes it", async () => {
    const { acs, sim } = await start();
    const url = await acs.serveFile("/apps/telemetry.json", PACKAGE);
    const answer = await call({
      _tag: "ChangeDUState",
      operations: [{ _tag: "InstallOpStruct", url }],
      commandKey: "install-1",
    });
    expect(answer._tag).toBe("ChangeDUStateResponse");
    const [installed] = await nextResults();
    expect(installed).toMatchObject({
      currentState: "Installed",
      version: "1.0.0",
      resolved: true,
      fault: { faultCode: 0 },
    });
    expect(installed?.deploymentUnitRef).toMatch(/^Device\.SoftwareModules\.DeploymentUnit\.\d+$/);
    const files = sim.appFiles();
    expect(new TextDecoder().decode(files["telemetry/main.py"])).toBe(APP);
    const manifest = JSON.parse(new TextDecoder().decode(files["telemetry/.du.json"]));
    expect(manifest.f["main.py"]).toBe(createHash("sha256").update(APP).digest("hex"));

    const du = `${installed?.deploymentUnitRef}.`;
    const duValues = await values([du]);
    expect(duValues[`${du}Name`]).toBe("telemetry");
    expect(duValues[`${du}DUID`]).toBe("telemetry");
    expect(duValues[`${du}Status`]).toBe("Installed");
    const eu = `${installed?.executionUnitRefList.split(",")[0]}.`;
    expect(eu).toMatch(/^Device\.SoftwareModules\.ExecutionUnit\.\d+\.$/);
    expect((await values([`${eu}Status`]))[`${eu}Status`]).toBe("Idle");

    await set(`${eu}RequestedState`, "Active");
    await expect
      .poll(async () => (await values([`${eu}Status`]))[`${eu}Status`], { timeout: 5000 })
      .toBe("Active");
    expect(sim.runningThreads()).toBe(1);
    await set(`${eu}RequestedState`, "Idle");
    await expect
      .poll(async () => (await values([`${eu}Status`]))[`${eu}Status`], { timeout: 5000 })
      .toBe("Idle");
    expect(sim.runningThreads()).toBe(0);

    await call({
      _tag: "ChangeDUState",
      operations: [{ _tag: "UninstallOpStruct", uuid: installed?.uuid ?? "" }],
      commandKey: "uninstall-1",
    });
    const [removed] = await nextResults();
    expect(removed).toMatchObject({ currentState: "Uninstalled", fault: { faultCode: 0 } });
    expect(sim.appFiles()).toEqual({});
  });

  it("§1.14-9018 ChangeDUState with a file damaged on its way to the module: DUStateChangeComplete reports the fault and nothing is installed", async () => {
    const { acs, sim } = await start();
    const url = await acs.serveFile("/apps/telemetry.json", PACKAGE);
    sim.corruptNextWrite();
    await call({
      _tag: "ChangeDUState",
      operations: [{ _tag: "InstallOpStruct", url }],
      commandKey: "install-bad",
    });
    const [result] = await nextResults();
    expect(result?.currentState).toBe("Failed");
    expect(result?.fault.faultCode).toBe(9018);
    expect(result?.fault.faultString).toContain("checksum");
    expect(sim.appFiles()).toEqual({});
  });

  it("§1.12 DiagnosticsState=Requested / §1.5 8 DIAGNOSTICS COMPLETE: IPPing of 127.0.0.1 runs uping on the module: 8 DIAGNOSTICS COMPLETE, Complete, every repetition a success", async () => {
    const { sim } = await start();
    const p = "Device.IP.Diagnostics.IPPing.";
    const before = sim.apiCalls()["uping.ping"] ?? 0;
    await call({
      _tag: "SetParameterValues",
      parameterList: [
        { name: `${p}Host`, value: "127.0.0.1", type: "string" },
        { name: `${p}NumberOfRepetitions`, value: "3", type: "unsignedInt" },
        { name: `${p}DiagnosticsState`, value: "Requested", type: "string" },
      ],
      parameterKey: "ping-1",
    });
    expect(await informWith("8 DIAGNOSTICS COMPLETE")).toContain("8 DIAGNOSTICS COMPLETE");
    const r = await values([p]);
    expect(r[`${p}DiagnosticsState`]).toBe("Complete");
    expect(r[`${p}SuccessCount`]).toBe("3");
    expect(r[`${p}FailureCount`]).toBe("0");
    expect(Number(r[`${p}MaximumResponseTime`])).toBeGreaterThanOrEqual(
      Number(r[`${p}MinimumResponseTime`]),
    );
    expect(sim.apiCalls()["uping.ping"]).toBe(before + 1);
  });

  it("§1.12 DiagnosticsState=Requested: IPPing of a name the module cannot resolve: 8 DIAGNOSTICS COMPLETE with Error_CannotResolveHostName", async () => {
    await start();
    const p = "Device.IP.Diagnostics.IPPing.";
    await call({
      _tag: "SetParameterValues",
      parameterList: [
        { name: `${p}Host`, value: "no-such-host.invalid", type: "string" },
        { name: `${p}DiagnosticsState`, value: "Requested", type: "string" },
      ],
      parameterKey: "ping-2",
    });
    expect(await informWith("8 DIAGNOSTICS COMPLETE")).toContain("8 DIAGNOSTICS COMPLETE");
    expect((await values([`${p}DiagnosticsState`]))[`${p}DiagnosticsState`]).toBe(
      "Error_CannotResolveHostName",
    );
  });
});
