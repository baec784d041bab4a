import { encodeDeploymentUnitPackage } from "@cpekit/core";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import {
  appKey,
  appKeyPattern,
  isAppFilePath,
  MAX_APP_FILES,
  parseAppPackage,
} from "./app-package.js";

// The edges of each rule of an app package: every accepted input sits on a limit, every refused
// one breaks exactly one rule.

const text = (s: string) => new TextEncoder().encode(s);
const pkg = (more: Partial<Parameters<typeof encodeDeploymentUnitPackage>[0]> = {}) =>
  encodeDeploymentUnitPackage({ name: "app", version: "1", files: { "main.py": "" }, ...more });
const detail = (bytes: Uint8Array, url = "http://127.0.0.1/app.json") => {
  const r = parseAppPackage(bytes, url);
  return Either.isLeft(r) ? `${r.left.faultCode} ${r.left.detail}` : "parsed";
};

describe("parseAppPackage edges", () => {
  it("§1.14-9018 a one-file app carries every field: no version, vendor or description, not auto-started, its bytes as given", () => {
    const bytes = text("print(2)\n");
    expect(parseAppPackage(bytes, "http://127.0.0.1/a/my%20app.py")).toStrictEqual(
      Either.right({
        name: "my app",
        key: "my_app",
        version: "",
        vendor: "",
        description: "",
        unitName: "my app",
        main: "my app.py",
        autoStart: false,
        files: [{ path: "my app.py", bytes }],
      }),
    );
  });

  it("§1.14-9018 a .py URL needs a name before the extension, and a URL that is no URL names no file", () => {
    const why = "9018 neither a cpekit deployment-unit package nor a MicroPython .py file";
    expect(detail(text("x=1"), "http://127.0.0.1/.py")).toBe(why);
    expect(detail(text("x=1"), "not a url/app.py")).toBe(why);
    expect(detail(text("x=1"), "http://127.0.0.1/bad%zz.py")).toBe(why);
    expect(detail(text("x=1"), "http://127.0.0.1/a.py")).toBe("parsed");
  });

  it("§1.14-9018 a package is recognised after leading white space, and not after other text", () => {
    expect(detail(text(`  \n${new TextDecoder().decode(pkg())}`))).toBe("parsed");
    expect(detail(text(`x${new TextDecoder().decode(pkg())}`), "http://127.0.0.1/app.py")).toBe(
      "parsed",
    );
    expect(detail(text(`x${new TextDecoder().decode(pkg())}`))).toBe(
      "9018 neither a cpekit deployment-unit package nor a MicroPython .py file",
    );
  });

  it(`§1.14-9018 an app has at most ${MAX_APP_FILES} files: ${MAX_APP_FILES} are accepted, one more is refused with the count`, () => {
    const files = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [i === 0 ? "main.py" : `f${i}`, ""]));
    expect(detail(pkg({ files: files(MAX_APP_FILES) }))).toBe("parsed");
    expect(detail(pkg({ files: files(MAX_APP_FILES + 1) }))).toBe(
      `9018 an app has 1 to ${MAX_APP_FILES} files, this one ${MAX_APP_FILES + 1}`,
    );
    expect(detail(pkg({ files: {} }))).toBe(
      `9018 an app has 1 to ${MAX_APP_FILES} files, this one 0`,
    );
  });

  it("§1.14-9025 the refusals of the EE and of several EUs name both sides", () => {
    expect(detail(pkg({ executionEnvType: "Docker" }))).toBe(
      '9025 the package is made for "Docker", the module runs MicroPython',
    );
    expect(
      detail(
        pkg({
          executionUnits: [
            { name: "a", autoStart: false },
            { name: "b", autoStart: false },
            { name: "c", autoStart: false },
          ],
        }),
      ),
    ).toBe("9025 a QuecPython app runs one execution unit, the package declares 3");
    expect(detail(pkg({ files: { "x.py": "" } }))).toBe(
      "9018 neither app.py nor main.py is in the package's files",
    );
    expect(detail(pkg({ files: { "main.py": "", "a b": "" } }))).toBe(
      '9018 file path "a b" is not allowed',
    );
  });
});

describe("appKey and isAppFilePath edges", () => {
  it("appKeyPattern: a letter or `_`, then at most 31 letters, digits or `_`", () => {
    for (const ok of ["a", "_", "Z9", `a${"b".repeat(31)}`])
      expect(appKeyPattern.test(ok), ok).toBe(true);
    for (const bad of ["", "1a", "-a", "a-b", "a.b", `a${"b".repeat(32)}`])
      expect(appKeyPattern.test(bad), bad).toBe(false);
  });

  it("an identifier of 32 characters is kept; one of 33 is cut to 32", () => {
    const a32 = `a${"b".repeat(31)}`;
    expect(appKey(a32)).toBe(a32);
    expect(appKey(`${a32}c`)).toBe(a32);
    expect(appKey(`${a32}-`)).toBe(a32);
  });

  it("only a leading digit gets `_` in front; other characters become `_` one for one", () => {
    expect(appKey("a1-b")).toBe("a1_b");
    expect(appKey("9")).toBe("_9");
    expect(appKey("é")).toBe("_");
    expect(appKey("_x")).toBe("_x");
    expect(appKey("-")).toBe("_");
  });

  it("a segment may be 64 characters, not 65; it may start with a digit or `_` and hold `.`, `-`", () => {
    const s64 = `a${"b".repeat(63)}`;
    expect(isAppFilePath(s64)).toBe(true);
    expect(isAppFilePath(`${s64}c`)).toBe(false);
    expect(isAppFilePath("1_a.b-c")).toBe(true);
    expect(isAppFilePath("_x")).toBe(true);
    expect(isAppFilePath("a/b/c/d")).toBe(true);
    expect(isAppFilePath("-x")).toBe(false);
    expect(isAppFilePath("a..b")).toBe(false);
    expect(isAppFilePath("x/")).toBe(false);
  });
});
