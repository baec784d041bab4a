import { describe, expect, it } from "vitest";
import { decodeModuleApps, executionUnitOf, inventoryOf } from "./app-inventory.js";

// duList replies the module should never send but a damaged one might: each field of the wrong
// type on its own, so every check shows it matters.

describe("decodeModuleApps: fields of the wrong type", () => {
  it("a manifest or file list that is an array is not one; an entry that is no object (text, null) is no app", () => {
    const m = decodeModuleApps({
      a: {
        list: { m: ["n"] },
        flat: "x",
        gone: null,
        files: { m: { f: ["main.py"] } },
      },
    });
    expect([...m.apps.keys()]).toEqual(["files"]);
    expect(m.apps.get("files")?.manifest.f).toEqual({});
    expect(decodeModuleApps([{ a: { x: { m: {} } } }]).apps.size).toBe(0);
    expect(decodeModuleApps({ a: [{ m: {} }] }).apps.size).toBe(0);
  });

  it("text fields that are not text read as empty; the EU name falls back to the DU's name, then the key", () => {
    const m = decodeModuleApps({
      a: {
        k: { m: { n: "Nice", u: 1, v: 2, vd: true, ds: [], url: {}, m: 3, f: { "a.py": 5 } } },
        j: { m: { n: 7 } },
      },
      q: 5,
    });
    expect(m.apps.get("k")?.manifest).toStrictEqual({
      n: "Nice",
      e: "Nice",
      u: "",
      v: "",
      vd: "",
      ds: "",
      url: "",
      m: "main.py",
      as: 0,
      f: { "a.py": "" },
    });
    expect(m.apps.get("j")?.manifest.e).toBe("j");
    expect(m.qpyVersion).toBe("");
  });

  it("AutoStart is 1 for 1 or true only; running only for r 1; an error only when it is text", () => {
    const m = decodeModuleApps({
      a: {
        one: { m: { as: 1 }, r: 1, e: "E" },
        yes: { m: { as: true }, r: true, e: 5 },
        two: { m: { as: 2 }, r: 2 },
        str: { m: { as: "1" }, r: "1" },
      },
    });
    const get = (k: string) => m.apps.get(k);
    expect(["one", "yes", "two", "str"].map((k) => get(k)?.manifest.as)).toEqual([1, 1, 0, 0]);
    expect(["one", "yes", "two", "str"].map((k) => get(k)?.running)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(["one", "yes", "two"].map((k) => get(k)?.error)).toEqual(["E", undefined, undefined]);
  });

  it("disk and memory are two numbers or unknown", () => {
    for (const bad of [[1, 2, 3], [1], ["1", 2], [1, "2"], "ab", { 0: 1, 1: 2, length: 2 }]) {
      const m = decodeModuleApps({ fs: bad, mem: bad });
      expect([m.disk, m.memory], JSON.stringify(bad)).toEqual([undefined, undefined]);
    }
  });
});

describe("inventoryOf: sizes, order and every EU field", () => {
  it("memory KiB are rounded down: (alloc + free) / 1024 allocated, free / 1024 available; unknown sizes are -1", () => {
    const [ee] = inventoryOf(
      decodeModuleApps({ mem: [1000, 1100], fs: [7, 3] }),
      new Map(),
    ).execEnvs;
    expect([
      ee?.allocatedMemoryKiB,
      ee?.availableMemoryKiB,
      ee?.allocatedDiskSpaceKiB,
      ee?.availableDiskSpaceKiB,
    ]).toEqual([2, 1, 7, 3]);
    const [unknown] = inventoryOf(decodeModuleApps({}), new Map()).execEnvs;
    expect([
      unknown?.allocatedMemoryKiB,
      unknown?.availableMemoryKiB,
      unknown?.allocatedDiskSpaceKiB,
      unknown?.availableDiskSpaceKiB,
    ]).toEqual([-1, -1, -1, -1]);
  });

  it("apps are listed by key whatever order the module gives; an idle EU without error has no fault", () => {
    const m = decodeModuleApps({
      a: {
        c: { m: { vd: "V", v: "3", ds: "D", e: "eu-c" } },
        a: { m: {} },
        b: { m: {} },
      },
    });
    const inv = inventoryOf(m, new Map());
    expect(inv.deploymentUnits.map((d) => d.duid)).toEqual(["a", "b", "c"]);
    expect(inv.executionUnits[2]).toStrictEqual({
      euid: "c",
      name: "eu-c",
      execEnvLabel: "c",
      status: "Idle",
      executionFaultCode: "NoFault",
      executionFaultMessage: "",
      autoStart: false,
      vendor: "V",
      version: "3",
      description: "D",
      duid: "c",
      execEnvId: "quecpython",
    });
    const c = m.apps.get("c");
    if (c === undefined) throw new Error("c is an app");
    expect(
      executionUnitOf({ ...c, error: "Boom" }, { code: "FailureOnStop", message: "stuck" })
        .executionFaultCode,
    ).toBe("FailureOnStop");
    expect(
      inventoryOf(m, new Map([["c", { code: "FailureOnStart", message: "m" }]])).executionUnits[2]
        ?.executionFaultCode,
    ).toBe("FailureOnStart");
  });
});
