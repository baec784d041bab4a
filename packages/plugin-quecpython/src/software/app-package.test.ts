import { encodeDeploymentUnitPackage } from "@cpekit/core";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { appKey, isAppFilePath, parseAppPackage } from "./app-package.js";

const URL_ = "http://127.0.0.1:1/apps/telemetry.json";
const pkg = (more: Partial<Parameters<typeof encodeDeploymentUnitPackage>[0]> = {}) =>
  encodeDeploymentUnitPackage({
    name: "telemetry",
    version: "1.2.0",
    vendor: "Example",
    description: "reports the signal",
    files: { "main.py": "print('hi')\n", "lib/fmt.py": "def f(x):\n return x\n" },
    ...more,
  });
const right = (bytes: Uint8Array, url = URL_) => {
  const r = parseAppPackage(bytes, url);
  if (Either.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const left = (bytes: Uint8Array, url = URL_) => {
  const r = parseAppPackage(bytes, url);
  if (Either.isRight(r)) throw new Error("expected a failure");
  return r.left;
};

describe("parseAppPackage (ChangeDUState packages for the QuecPython EE)", () => {
  it("reads a cpekit package: metadata, its one EU, main.py by default, the files as bytes", () => {
    const app = right(pkg());
    expect(app).toMatchObject({
      name: "telemetry",
      key: "telemetry",
      version: "1.2.0",
      vendor: "Example",
      description: "reports the signal",
      unitName: "telemetry",
      main: "main.py",
      autoStart: false,
    });
    expect(app.files.map((f) => f.path)).toEqual(["main.py", "lib/fmt.py"]);
    expect(new TextDecoder().decode(app.files[0]?.bytes)).toBe("print('hi')\n");
  });

  it("runs the EU's own <name>.py when the package has it, and keeps its AutoStart", () => {
    const app = right(
      pkg({
        executionEnvType: "MicroPython",
        executionUnits: [{ name: "sampler", autoStart: true }],
        files: { "main.py": "x=1", "sampler.py": "y=2" },
      }),
    );
    expect(app).toMatchObject({ unitName: "sampler", main: "sampler.py", autoStart: true });
  });

  it("takes a .py file as a one-file app named after it, without version", () => {
    const app = right(new TextEncoder().encode("print(1)\n"), "http://h/a/blink-led.py?x=1");
    expect(app).toMatchObject({
      name: "blink-led",
      key: "blink_led",
      version: "",
      main: "blink-led.py",
    });
    expect(app.files.map((f) => f.path)).toEqual(["blink-led.py"]);
  });

  it("§1.14-9025 a package made for another EE type, or with several EUs, does not fit", () => {
    const other = left(pkg({ executionEnvType: "Linux Container" }));
    expect(other.faultCode).toBe(9025);
    expect(other.detail).toContain('"Linux Container"');
    const two = left(
      pkg({
        executionUnits: [
          { name: "a", autoStart: false },
          { name: "b", autoStart: false },
        ],
      }),
    );
    expect(two.faultCode).toBe(9025);
    expect(two.detail).toContain("declares 2");
  });

  it("§1.14-9018 bytes that are no app, and a package that breaks its rules, are corrupted", () => {
    const cases: [Uint8Array, string, string][] = [
      [new Uint8Array([0x50, 0x4b, 3, 4]), "http://h/app.zip", "neither a cpekit"],
      [new TextEncoder().encode("print(1)"), "http://h/app.txt", "neither a cpekit"],
      [new Uint8Array([0xff, 0xfe]), "http://h/app.py", "neither a cpekit"],
      [new TextEncoder().encode('{"name":"x"}'), URL_, "cpekitDeploymentUnit"],
      [pkg({ files: {} }), URL_, "1 to 64 files"],
      [pkg({ files: { "a/../b.py": "" } }), URL_, "../"],
      [pkg({ files: { ".hidden": "", "main.py": "" } }), URL_, 'file path ".hidden"'],
      [pkg({ files: { "run.py": "" } }), URL_, "neither telemetry.py nor main.py"],
    ];
    for (const [bytes, url, why] of cases) {
      const e = left(bytes, url);
      expect(e.faultCode, why).toBe(9018);
      expect(e.detail, why).toContain(why);
    }
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}.py`, ""]));
    expect(left(pkg({ files: { ...many, "main.py": "" } })).detail).toContain("this one 66");
  });
});

describe("appKey and isAppFilePath", () => {
  it("keeps an identifier name, makes any other one an identifier of at most 32 chars", () => {
    expect(appKey("telemetry_2")).toBe("telemetry_2");
    expect(appKey("cpekit-demo app")).toBe("cpekit_demo_app");
    expect(appKey("3d-printer")).toBe("_3d_printer");
    expect(appKey("x".repeat(40))).toHaveLength(32);
    expect(appKey("")).toBe("_");
  });

  it("allows 1-4 safe segments and refuses .., hidden, absolute and empty segments", () => {
    for (const ok of ["main.py", "lib/fmt.py", "a/b/c/d.txt", "data_1.json"])
      expect(isAppFilePath(ok), ok).toBe(true);
    for (const bad of ["", "/main.py", "a//b", "..", "a/../b", ".du.json", "a/b/c/d/e", "a b"])
      expect(isAppFilePath(bad), bad).toBe(false);
  });
});
