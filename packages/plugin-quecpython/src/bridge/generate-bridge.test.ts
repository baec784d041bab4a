import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { allowedBridgeModules, bridgeImports } from "./bridge-imports.js";
import { type BridgeMap, defaultBridgeMap } from "./bridge-map.js";
import { BRIDGE_MAX_BYTES, generateBridge, moduleLevelNames } from "./generate-bridge.js";

const generated = () => {
  const r = generateBridge();
  if (Either.isLeft(r)) throw r.left;
  return r.right;
};

const errorOf = (map: BridgeMap, maxBytes?: number) => {
  const r = generateBridge({ map, ...(maxBytes === undefined ? {} : { maxBytes }) });
  if (Either.isRight(r)) throw new Error("expected a generation error");
  return r.left;
};

describe("generateBridge", () => {
  it("imports only modules QuecPython has", () => {
    const { source, imports } = generated();
    expect(imports.length).toBeGreaterThan(5);
    for (const m of bridgeImports(source)) expect(allowedBridgeModules).toContain(m);
  });

  it("stays within 12 KB and carries no comments", () => {
    const { source, bytes } = generated();
    expect(bytes).toBe(new TextEncoder().encode(source).length);
    expect(bytes).toBeLessThanOrEqual(BRIDGE_MAX_BYTES);
    expect(source.split("\n").filter((l) => l.trimStart().startsWith("#"))).toEqual([]);
  });

  it("serves every key, writable key and action of the map", () => {
    const { source } = generated();
    for (const p of defaultBridgeMap.parameters) expect(source).toContain(`'${p.key}':lambda:`);
    for (const a of defaultBridgeMap.actions)
      expect(source).toMatch(new RegExp(`'${a.name}':\\(_a\\d+,[01]\\)`));
    expect(source).toContain("'apn':'pdp'");
    expect(source).toContain("dataCall.setPDPContext(1,");
    expect(source).toContain("fota(reset_disable=1).httpDownload(url1=");
    expect(source).toContain("Power.powerRestart()");
  });

  it("rejects a snippet that imports a module QuecPython lacks", () => {
    const map = {
      ...defaultBridgeMap,
      actions: [{ name: "x", body: "import socket\nreturn 0" }],
    };
    expect(errorOf(map).reason).toBe("ForbiddenImport");
  });

  it("rejects bad names, duplicates, unknown setters and oversize output with typed errors", () => {
    const p = defaultBridgeMap.parameters[0]!;
    expect(errorOf({ ...defaultBridgeMap, parameters: [{ ...p, key: "a-b" }] }).reason).toBe(
      "InvalidKey",
    );
    expect(errorOf({ ...defaultBridgeMap, parameters: [p, p] }).reason).toBe("DuplicateKey");
    expect(errorOf({ ...defaultBridgeMap, parameters: [{ ...p, setter: "nope" }] }).reason).toBe(
      "UnknownSetter",
    );
    const big = errorOf(defaultBridgeMap, 1000);
    expect(big.reason).toBe("TooLarge");
    expect(big.message).toContain("budget 1000");
  });
});

describe("the map's prelude", () => {
  it("comes before the tables, and its boot hooks run at start", () => {
    const { source } = generated();
    expect(source.indexOf("class _DU:")).toBeGreaterThan(0);
    expect(source.indexOf("class _DU:")).toBeLessThan(source.indexOf("_SRC={"));
    expect(source).toContain("_BT.append(_DU.auto)");
    expect(source).toMatch(/_w\(0,_hello\(0\)\)\n for f in _BT:/);
  });

  it("may not rebind a name of the runtime (NameClash)", () => {
    for (const prelude of ["_U=[]", "def _w(i,o):pass", "class E:pass", "_A = {}"]) {
      const e = errorOf({ ...defaultBridgeMap, prelude: [prelude] });
      expect(e.reason, prelude).toBe("NameClash");
    }
    expect(errorOf({ ...defaultBridgeMap, prelude: ["x=1", "_U=2"] }).message).toContain("_U");
    // Comparisons and indented names are not bindings.
    expect(moduleLevelNames("_U==1\n _w=2\ndef f():\n _A=1\nclass K:\n E=1\nz =3")).toEqual([
      "K",
      "f",
      "z",
    ]);
  });
});

describe("bridgeImports", () => {
  it("finds imports after try:, after ;, with aliases, and from-imports", () => {
    const src =
      "import a,b.c as d\ntry:import e\nexcept ImportError:e=None\nx=1;import f\nfrom g.h import i\n y=__import__('z')";
    expect(bridgeImports(src)).toEqual(["__import__", "a", "b", "e", "f", "g"]);
  });
});
