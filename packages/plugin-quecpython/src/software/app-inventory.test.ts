import { describe, expect, it } from "vitest";
import { decodeModuleApps, executionUnitOf, inventoryOf } from "./app-inventory.js";

const reply = {
  a: {
    beta: {
      m: {
        n: "Beta App",
        e: "sampler",
        u: "u-b",
        v: "2",
        vd: "V",
        ds: "d",
        url: "http://x/b",
        m: "run.py",
        as: 1,
        f: { "run.py": "h" },
      },
      r: 1,
      e: null,
    },
    alpha: { m: { u: "u-a", v: "1" }, r: 0, e: "ValueError:boom" },
    stray: { m: null, r: 0, e: null },
  },
  fs: [1024, 800],
  mem: [3072, 5120],
  q: "V0003",
};

describe("the module's apps as TR-181 software modules", () => {
  it("decodes duList: apps with a manifest only, disk, memory, QuecPython version", () => {
    const m = decodeModuleApps(reply);
    expect([...m.apps.keys()].sort()).toEqual(["alpha", "beta"]);
    expect(m.apps.get("beta")).toEqual({
      key: "beta",
      // A full manifest is kept as it came.
      manifest: reply.a.beta.m,
      running: true,
      error: undefined,
    });
    // Defaults of a sparse manifest: names from the key.
    expect(m.apps.get("alpha")?.manifest).toMatchObject({
      n: "alpha",
      e: "alpha",
      m: "main.py",
      as: 0,
      vd: "",
      url: "",
    });
    expect(m.apps.get("alpha")?.error).toBe("ValueError:boom");
    expect(m.disk).toEqual({ totalKiB: 1024, freeKiB: 800 });
    expect(m.memory).toEqual({ allocBytes: 3072, freeBytes: 5120 });
    expect(m.qpyVersion).toBe("V0003");
    const empty = decodeModuleApps(null);
    expect(empty.apps.size).toBe(0);
    expect(empty.disk).toBeUndefined();
    expect(empty.memory).toBeUndefined();
  });

  it("builds one EE, a DU and an EU per app (sorted by key), keyed by the app's directory", () => {
    const inv = inventoryOf(decodeModuleApps(reply), new Map());
    expect(inv.execEnvs).toEqual([
      {
        id: "quecpython",
        name: "QuecPython",
        type: "MicroPython",
        vendor: "Quectel",
        version: "V0003",
        enabled: true,
        status: "Up",
        allocatedDiskSpaceKiB: 1024,
        availableDiskSpaceKiB: 800,
        allocatedMemoryKiB: 8,
        availableMemoryKiB: 5,
      },
    ]);
    expect(inv.deploymentUnits.map((d) => d.duid)).toEqual(["alpha", "beta"]);
    expect(inv.deploymentUnits[1]).toEqual({
      duid: "beta",
      uuid: "u-b",
      name: "Beta App",
      version: "2",
      vendor: "V",
      description: "d",
      url: "http://x/b",
      execEnvId: "quecpython",
      status: "Installed",
      resolved: true,
      executionUnits: ["beta"],
    });
    expect(inv.executionUnits[1]).toMatchObject({
      euid: "beta",
      name: "sampler",
      execEnvLabel: "beta",
      status: "Active",
      executionFaultCode: "NoFault",
      executionFaultMessage: "",
      autoStart: true,
      duid: "beta",
      execEnvId: "quecpython",
    });
    const unknownSizes = inventoryOf(decodeModuleApps({ a: {} }), new Map()).execEnvs[0];
    expect(unknownSizes?.availableDiskSpaceKiB).toBe(-1);
    expect(unknownSizes?.availableMemoryKiB).toBe(-1);
  });

  it("an EU's fault: the host's start/stop fault first, else FailureWhileActive for a run that ended in error", () => {
    const m = decodeModuleApps(reply);
    const alpha = m.apps.get("alpha")!;
    const beta = m.apps.get("beta")!;
    expect(executionUnitOf(alpha, undefined)).toMatchObject({
      status: "Idle",
      executionFaultCode: "FailureWhileActive",
      executionFaultMessage: "ValueError:boom",
    });
    expect(executionUnitOf(alpha, { code: "FailureOnStart", message: "no main.py" })).toMatchObject(
      { executionFaultCode: "FailureOnStart", executionFaultMessage: "no main.py" },
    );
    // A running app with an old error shows no fault.
    expect(executionUnitOf({ ...beta, error: "old" }, undefined).executionFaultCode).toBe(
      "NoFault",
    );
    expect(
      executionUnitOf(alpha, { code: "FailureOnStop", message: "x".repeat(300) })
        .executionFaultMessage,
    ).toHaveLength(256);
  });
});
