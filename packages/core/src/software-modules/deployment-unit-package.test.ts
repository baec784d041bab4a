import { describe, expect, it } from "vitest";
import {
  compareDeploymentUnitVersions,
  encodeDeploymentUnitPackage,
  isPackageParseFailure,
  parseDeploymentUnitPackage,
} from "./deployment-unit-package.js";

const text = (s: string) => new TextEncoder().encode(s);
const detail = (bytes: Uint8Array) => {
  const p = parseDeploymentUnitPackage(bytes);
  return isPackageParseFailure(p) ? p.detail : "parsed";
};

describe("cpekit deployment-unit package", () => {
  it("§1.4-ChangeDUState a package round-trips; EUs default to one named after the DU, not auto-started", () => {
    const p = parseDeploymentUnitPackage(
      encodeDeploymentUnitPackage({ name: "hello", version: "1.2" }),
    );
    expect(p).toEqual({
      name: "hello",
      version: "1.2",
      vendor: "",
      description: "",
      executionUnits: [{ name: "hello", autoStart: false }],
      files: {},
    });
    const full = parseDeploymentUnitPackage(
      encodeDeploymentUnitPackage({
        name: "app",
        version: "2",
        vendor: "V",
        description: "d",
        executionEnvType: "MicroPython",
        executionUnits: [{ name: "main", autoStart: true }],
        files: { "main.py": "print(1)" },
      }),
    );
    expect(full).toMatchObject({
      executionEnvType: "MicroPython",
      executionUnits: [{ name: "main", autoStart: true }],
      files: { "main.py": "print(1)" },
    });
  });

  it("§1.14-9018 bytes that are not a package are refused, each with its reason", () => {
    expect(detail(text("hello"))).toBe("not a JSON document");
    expect(detail(new Uint8Array([0xff, 0xfe]))).toBe("not a JSON document");
    expect(detail(text('{"name":"x"}'))).toContain("cpekitDeploymentUnit");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":""}'))).toContain("name");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","version":2}'))).toContain("version");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","vendor":1}'))).toContain("vendor");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","executionEnvType":3}'))).toContain(
      "executionEnvType",
    );
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","executionUnits":[]}'))).toContain(
      "non-empty",
    );
    expect(
      detail(
        text(
          '{"cpekitDeploymentUnit":1,"name":"x","executionUnits":[{"name":"a","autoStart":"yes"}]}',
        ),
      ),
    ).toContain("autoStart");
    expect(
      detail(text('{"cpekitDeploymentUnit":1,"name":"x","files":{"../etc/passwd":"x"}}')),
    ).toContain("relative path");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","files":{"a":1}}'))).toContain("text");
    expect(detail(text('{"cpekitDeploymentUnit":1,"name":"x","files":[]}'))).toContain("object");
  });

  it("§1.14-9030 versions order numerically part by part, text parts as text, a missing part lower", () => {
    expect(compareDeploymentUnitVersions("1.10", "1.9")).toBe(1);
    expect(compareDeploymentUnitVersions("1.9", "1.10")).toBe(-1);
    expect(compareDeploymentUnitVersions("2.0", "2.0")).toBe(0);
    expect(compareDeploymentUnitVersions("1.2", "1.2.0")).toBe(-1);
    expect(compareDeploymentUnitVersions("1.2.0", "1.2")).toBe(1);
    expect(compareDeploymentUnitVersions("1.b", "1.a")).toBe(1);
    expect(compareDeploymentUnitVersions("1.a", "1.b")).toBe(-1);
    expect(compareDeploymentUnitVersions("1.a", "1.a")).toBe(0);
    expect(compareDeploymentUnitVersions("1.2", "1.x")).toBe(-1);
  });
});
