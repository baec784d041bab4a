import { createHash } from "node:crypto";
import {
  encodeDeploymentUnitPackage,
  type FetchPackage,
  type SoftwareModuleError,
  type SoftwareModulesService,
  softwareModuleError,
} from "@cpekit/core";
import { Effect, Either } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BridgeLink } from "../link/bridge-link.js";
import { SimulatedModule } from "../simulator/simulated-module.js";
import { appUuid } from "./app-uuid.js";
import { makeQuecPythonSoftwareModules } from "./quecpython-software-modules.js";

/** An app that runs until asked to stop, sleeping between rounds. */
const LOOP =
  "import utime\nprint('telemetry up')\nwhile not cpekit_stop():\n utime.sleep_ms(200)\n";

const bundle = (
  extra: Partial<Parameters<typeof encodeDeploymentUnitPackage>[0]> & { autoStart?: boolean } = {},
  files?: Record<string, string>,
) => {
  const { autoStart, ...more } = extra;
  return encodeDeploymentUnitPackage({
    name: "telemetry",
    version: "1.0.0",
    vendor: "Example",
    description: "reports the signal",
    files: files ?? { "main.py": LOOP, "lib/fmt.py": "def f(x):\n return str(x)\n" },
    ...(autoStart === undefined ? {} : { executionUnits: [{ name: "telemetry", autoStart }] }),
    ...more,
  });
};
const URL_ = "http://127.0.0.1:9/apps/telemetry.json";
const fetchOf = (bytes: Uint8Array): FetchPackage => Effect.succeed({ bytes });
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

const run = <A>(e: Effect.Effect<A, SoftwareModuleError>) => Effect.runPromise(e);
const failure = async <A>(e: Effect.Effect<A, SoftwareModuleError>) => {
  const r = await Effect.runPromise(Effect.either(e));
  if (Either.isRight(r)) throw new Error("expected a failure");
  return r.left;
};

describe("QuecPython software modules on the simulated module (apps under /usr/apps)", () => {
  let sim: SimulatedModule;
  let link: BridgeLink;
  let sm: SoftwareModulesService;
  beforeAll(async () => {
    sim = await SimulatedModule.start({ bootDelayMs: 20 });
    link = await BridgeLink.connect({
      open: () => sim.open(),
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      requestTimeoutMs: 3000,
    });
    sm = makeQuecPythonSoftwareModules(link, {
      requestTimeoutMs: 3000,
      reconnectWaitMs: 3000,
      chunkBytes: 30,
    });
  });
  afterAll(async () => {
    await link.close();
    sim.close();
  });
  beforeEach(async () => {
    // Each test starts with no apps.
    for (const du of (await run(sm.inventory)).deploymentUnits)
      await run(sm.uninstall({ duid: du.duid, uuid: du.uuid }));
    sim.configure({ fsFree: 200 });
  });

  it("Install writes every file (in chunks) with its SHA-256 checked on the module, then start → Active, stop → Idle, Uninstall removes the files", async () => {
    const du = await run(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    expect(du).toEqual({
      duid: "telemetry",
      uuid: appUuid("Example", "telemetry"),
      name: "telemetry",
      version: "1.0.0",
      vendor: "Example",
      description: "reports the signal",
      url: URL_,
      execEnvId: "quecpython",
      status: "Installed",
      resolved: true,
      executionUnits: ["telemetry"],
    });
    const files = sim.appFiles();
    expect(Object.keys(files).sort()).toEqual([
      "telemetry/.du.json",
      "telemetry/lib/fmt.py",
      "telemetry/main.py",
    ]);
    expect(text(files["telemetry/main.py"])).toBe(LOOP);
    const manifest = JSON.parse(text(files["telemetry/.du.json"]));
    expect(manifest).toMatchObject({
      n: "telemetry",
      e: "telemetry",
      v: "1.0.0",
      m: "main.py",
      as: 0,
    });
    expect(manifest.f).toEqual({
      "main.py": sha(LOOP),
      "lib/fmt.py": sha("def f(x):\n return str(x)\n"),
    });
    // The module checked each file's SHA-256 itself (uhashlib), from what it wrote.
    expect(sha(files["telemetry/main.py"]!)).toBe(manifest.f["main.py"]);

    let inv = await run(sm.inventory);
    expect(inv.executionUnits.map((e) => [e.euid, e.status])).toEqual([["telemetry", "Idle"]]);
    const started = await run(sm.setExecutionUnitState("telemetry", "Active"));
    expect(started).toMatchObject({ status: "Active", executionFaultCode: "NoFault" });
    expect(sim.runningThreads()).toBe(1);
    expect(sim.apiCalls()["_thread.start_new_thread"]).toBeGreaterThanOrEqual(1);
    // Asking again for Active starts nothing more.
    await run(sm.setExecutionUnitState("telemetry", "Active"));
    expect(sim.runningThreads()).toBe(1);

    const stopped = await run(sm.setExecutionUnitState("telemetry", "Idle"));
    expect(stopped).toMatchObject({ status: "Idle", executionFaultCode: "NoFault" });
    expect(sim.runningThreads()).toBe(0);

    inv = await run(sm.inventory);
    expect(inv.executionUnits[0]?.status).toBe("Idle");
    const gone = await run(sm.uninstall({ duid: "telemetry", uuid: du.uuid }));
    expect(gone).toMatchObject({ duid: "telemetry", version: "1.0.0", status: "Uninstalled" });
    expect(sim.appFiles()).toEqual({});
    inv = await run(sm.inventory);
    expect(inv.deploymentUnits).toEqual([]);
    expect(inv.executionUnits).toEqual([]);
    expect(inv.execEnvs.map((e) => e.name)).toEqual(["QuecPython"]);
  });

  it("§1.14-9018 a file damaged on its way to the module fails the Install, and nothing is committed", async () => {
    sim.corruptNextWrite();
    const e = await failure(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    expect(e.faultCode).toBe(9018);
    expect(e.reason).toBe("Corrupted");
    expect(e.detail).toContain("main.py: the module's checksum does not match");
    // No app, no staging directory left behind.
    expect(sim.appFiles()).toEqual({});
    expect((await run(sm.inventory)).deploymentUnits).toEqual([]);
    // The next install goes through.
    await run(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    expect(Object.keys(sim.appFiles())).toContain("telemetry/main.py");
  });

  it("§1.14-9026 installing the same app again is refused; §1.14-9032 an Update to the same version too", async () => {
    const du = await run(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    const again = await failure(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    expect(again.faultCode).toBe(9026);
    expect(again.detail).toContain('version "1.0.0" is installed');
    // Another version under the same name is refused too: the module holds one per name.
    const other = await failure(
      sm.install({ url: URL_, fetch: fetchOf(bundle({ version: "2.0.0" })) }),
    );
    expect(other.faultCode).toBe(9026);
    expect(other.detail).toContain('app "telemetry" is installed');
    const same = await failure(
      sm.update({ duid: du.duid, uuid: du.uuid, url: URL_, fetch: fetchOf(bundle()) }),
    );
    expect(same.faultCode).toBe(9032);
    const foreign = await failure(
      sm.update({
        duid: du.duid,
        uuid: du.uuid,
        url: URL_,
        fetch: fetchOf(bundle({ name: "other", version: "9" })),
      }),
    );
    expect(foreign.faultCode).toBe(9003);
  });

  it("Update replaces the files (old ones removed), keeps the UUID and restarts a running app", async () => {
    const du = await run(
      sm.install({
        uuid: "0f0e0d0c-0b0a-4908-8706-050403020100",
        url: URL_,
        fetch: fetchOf(bundle()),
      }),
    );
    expect(du.uuid).toBe("0f0e0d0c-0b0a-4908-8706-050403020100");
    await run(sm.setExecutionUnitState("telemetry", "Active"));
    const v2 = await run(
      sm.update({
        duid: du.duid,
        uuid: du.uuid,
        url: "http://127.0.0.1:9/apps/telemetry-2.json",
        fetch: fetchOf(bundle({ version: "2.0.0" }, { "main.py": `${LOOP}# v2\n` })),
      }),
    );
    expect(v2).toMatchObject({
      uuid: du.uuid,
      version: "2.0.0",
      url: "http://127.0.0.1:9/apps/telemetry-2.json",
    });
    expect(Object.keys(sim.appFiles()).sort()).toEqual(["telemetry/.du.json", "telemetry/main.py"]);
    expect(text(sim.appFiles()["telemetry/main.py"])).toContain("# v2");
    // Stopped for the swap, started again after it.
    expect(sim.apiCalls()["_thread.stop_thread"]).toBeGreaterThanOrEqual(1);
    expect((await run(sm.inventory)).executionUnits[0]?.status).toBe("Active");
    expect(sim.runningThreads()).toBe(1);
  });

  it("an app that fails at start is Idle with FailureOnStart and the module's error", async () => {
    await run(
      sm.install({
        url: URL_,
        fetch: fetchOf(bundle({}, { "main.py": "raise ValueError('no sensor')\n" })),
      }),
    );
    const eu = await run(sm.setExecutionUnitState("telemetry", "Active"));
    expect(eu).toMatchObject({
      status: "Idle",
      executionFaultCode: "FailureOnStart",
      executionFaultMessage: "ValueError:no sensor",
    });
    expect((await run(sm.inventory)).executionUnits[0]?.executionFaultCode).toBe("FailureOnStart");
  });

  it("AutoStart: the app starts at install and again when the module restarts; the files survive the restart", async () => {
    await run(sm.install({ url: URL_, fetch: fetchOf(bundle({ autoStart: true })) }));
    expect(sim.runningThreads()).toBe(1);
    await sim.restart();
    await link.whenConnected(5000);
    // The bridge started it at boot, before any request.
    expect(sim.runningThreads()).toBe(1);
    const inv = await run(sm.inventory);
    expect(inv.executionUnits[0]).toMatchObject({ status: "Active", autoStart: true });
    expect(Object.keys(sim.appFiles())).toContain("telemetry/main.py");
  });

  it("§1.14-9027 a package larger than the free space of /usr is refused before any write", async () => {
    sim.configure({ fsFree: 0 });
    const e = await failure(sm.install({ url: URL_, fetch: fetchOf(bundle()) }));
    expect(e.faultCode).toBe(9027);
    expect(e.detail).toContain("0 KiB free");
    expect(sim.appFiles()).toEqual({});
  });

  it("§1.14-9023/9018 another EE, bytes that are no app, and a failed fetch fail without touching the module", async () => {
    const ee = await failure(
      sm.install({ url: URL_, execEnvId: "docker", fetch: fetchOf(bundle()) }),
    );
    expect(ee.faultCode).toBe(9023);
    const zip = await failure(
      sm.install({ url: "http://h/a.zip", fetch: fetchOf(new Uint8Array([0x50, 0x4b, 3, 4])) }),
    );
    expect(zip.faultCode).toBe(9018);
    const transfer = softwareModuleError("Internal", "x");
    const fetchFailed = await failure(sm.install({ url: URL_, fetch: Effect.fail(transfer) }));
    expect(fetchFailed).toBe(transfer);
    expect(sim.appFiles()).toEqual({});
    const unknown = await failure(sm.uninstall({ duid: "nope", uuid: "x" }));
    expect(unknown.faultCode).toBe(9028);
    const noEu = await failure(sm.setExecutionUnitState("nope", "Active"));
    expect(noEu.reason).toBe("UnknownExecutionUnit");
  });
});
