import { describe, expect, it } from "vitest";
import {
  compareDeploymentUnitVersions,
  parseDeploymentUnitPackage,
} from "./deployment-unit-package.js";

// Each refused document breaks one rule only (the rest is a valid package), and each accepted
// one sits on a rule's edge, so every check is shown to matter on its own.

const bytes = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const base = { cpekitDeploymentUnit: 1, name: "app", version: "1" };
const parse = (doc: unknown) => parseDeploymentUnitPackage(bytes(doc));
const detail = (doc: unknown) => {
  const p = parse(doc);
  return "_tag" in p ? p.detail : "parsed";
};

describe("cpekit deployment-unit package: one reason per refusal", () => {
  it("§1.14-9018 a document that is not a package object is refused by its marker check", () => {
    const marker = "not a cpekit deployment-unit package (cpekitDeploymentUnit: 1)";
    expect(parse(null)).toStrictEqual({ _tag: "PackageParseFailure", detail: marker });
    expect(detail([base])).toBe(marker);
    expect(detail({ ...base, cpekitDeploymentUnit: 2 })).toBe(marker);
    expect(detail({ ...base, cpekitDeploymentUnit: "1" })).toBe(marker);
  });

  it("§1.14-9018 valid JSON with a byte that is not UTF-8 inside a string is not a JSON document", () => {
    const json = new TextEncoder().encode('{"cpekitDeploymentUnit":1,"name":"a?","version":"1"}');
    json[json.indexOf("?".charCodeAt(0))] = 0xff;
    expect("_tag" in parseDeploymentUnitPackage(json)).toBe(true);
    const p = parseDeploymentUnitPackage(json);
    expect("_tag" in p ? p.detail : "parsed").toBe("not a JSON document");
  });

  it("§1.14-9018 the header fields: each wrong type is refused with its own message", () => {
    expect(detail({ ...base, name: 7 })).toBe("name must be a non-empty string");
    expect(detail({ ...base, name: "" })).toBe("name must be a non-empty string");
    expect(detail({ cpekitDeploymentUnit: 1, version: "1" })).toBe(
      "name must be a non-empty string",
    );
    expect(detail({ ...base, version: 2 })).toBe("version must be a string");
    expect(detail({ ...base, vendor: 1 })).toBe("vendor and description must be strings");
    expect(detail({ ...base, description: false })).toBe("vendor and description must be strings");
    expect(detail({ ...base, executionEnvType: 3 })).toBe("executionEnvType must be a string");
  });

  it("§1.14-9018 execution units: a non-array, an empty array and each bad unit are refused", () => {
    expect(detail({ ...base, executionUnits: { name: "a" } })).toBe(
      "executionUnits must be a non-empty array",
    );
    expect(detail({ ...base, executionUnits: [] })).toBe(
      "executionUnits must be a non-empty array",
    );
    const needsName = "each execution unit needs a non-empty name";
    expect(detail({ ...base, executionUnits: ["a"] })).toBe(needsName);
    expect(detail({ ...base, executionUnits: [null] })).toBe(needsName);
    expect(detail({ ...base, executionUnits: [{ name: 1 }] })).toBe(needsName);
    expect(detail({ ...base, executionUnits: [{ name: "" }] })).toBe(needsName);
    expect(detail({ ...base, executionUnits: [{ name: "a" }, { name: "" }] })).toBe(needsName);
    expect(detail({ ...base, executionUnits: [{ name: "eu", autoStart: 1 }] })).toBe(
      "execution unit eu: autoStart must be a boolean",
    );
  });

  it("§1.4-ChangeDUState autoStart is true only when the package says true; missing or false is false", () => {
    expect(
      parse({
        ...base,
        executionUnits: [
          { name: "a" },
          { name: "b", autoStart: false },
          { name: "c", autoStart: true },
        ],
      }),
    ).toEqual({
      name: "app",
      version: "1",
      vendor: "",
      description: "",
      executionUnits: [
        { name: "a", autoStart: false },
        { name: "b", autoStart: false },
        { name: "c", autoStart: true },
      ],
      files: {},
    });
  });

  it("§1.4-ChangeDUState a package without version, vendor or description reads them as empty", () => {
    expect(parse({ cpekitDeploymentUnit: 1, name: "a" })).toStrictEqual({
      name: "a",
      version: "",
      vendor: "",
      description: "",
      executionUnits: [{ name: "a", autoStart: false }],
      files: {},
    });
  });

  it("§1.4-ChangeDUState the header fields are kept as given; no executionEnvType key without one", () => {
    const p = parse({ ...base, vendor: "V", description: "D" });
    expect(p).toStrictEqual({
      name: "app",
      version: "1",
      vendor: "V",
      description: "D",
      executionUnits: [{ name: "app", autoStart: false }],
      files: {},
    });
    expect("executionEnvType" in p).toBe(false);
    expect(parse({ ...base, executionEnvType: "" })).toMatchObject({ executionEnvType: "" });
  });

  it("§1.14-9018 file names must be relative paths inside the DU: empty, `..` and absolute names are refused, a subdirectory is not", () => {
    const where = (name: string) =>
      `file name ${JSON.stringify(name)} is not a relative path inside the DU`;
    expect(detail({ ...base, files: { "": "x" } })).toBe(where(""));
    expect(detail({ ...base, files: { "lib/../../x.py": "x" } })).toBe(where("lib/../../x.py"));
    expect(detail({ ...base, files: { "/main.py": "x" } })).toBe(where("/main.py"));
    expect(detail({ ...base, files: { "ok.py": "x", "/etc/x": "y" } })).toBe(where("/etc/x"));
    expect(detail({ ...base, files: { "main.py": 1 } })).toBe("file main.py: content must be text");
    expect(detail({ ...base, files: "main.py" })).toBe("files must be an object of text files");
    expect(detail({ ...base, files: null })).toBe("files must be an object of text files");
    expect(parse({ ...base, files: { "lib/util.py": "u", "dir/": "" } })).toMatchObject({
      files: { "lib/util.py": "u", "dir/": "" },
    });
  });
});

describe("deployment-unit versions", () => {
  it("§1.14-9030 only a whole run of digits compares as a number (a space makes a part text)", () => {
    // As numbers, 20 > 3 and 2 < 10; as text, " 20" < "3" and "2 " > "10".
    expect(compareDeploymentUnitVersions("1. 20", "1.3")).toBe(-1);
    expect(compareDeploymentUnitVersions("1.2 ", "1.10")).toBe(1);
    expect(compareDeploymentUnitVersions("1.3", "1. 20")).toBe(1);
    expect(compareDeploymentUnitVersions("1.10", "1.2 ")).toBe(-1);
    expect(compareDeploymentUnitVersions("10", "9")).toBe(1);
    expect(compareDeploymentUnitVersions("1.0.3", "1.0.12")).toBe(-1);
    expect(compareDeploymentUnitVersions("", "")).toBe(0);
  });
});
