import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../exit-code.js";
import { conformanceMain } from "./conformance-main.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const captured = () => {
  const lines: string[] = [];
  return {
    lines,
    io: { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`) },
  };
};

describe("cpekit conformance against the real agent (loopback)", () => {
  it("reads docs/cwmp-requirements.md of the repository; H1, C3, §1.4-GetRPCMethods and §1.12-GPN-Root pass end to end; the Markdown report lists them and the uncovered rows", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cpekit-conformance-test-"));
    dirs.push(dir);
    const out = join(dir, "CONFORMANCE.md");
    const { lines, io } = captured();
    const code = await conformanceMain(
      {
        only: "^(H1|C3|§1\\.4-GetRPCMethods|§1\\.12-GPN-Root)$",
        out,
        concurrency: "4",
        strict: true,
        command: "test",
      },
      io,
      process.cwd(),
    );
    expect(lines.filter((l) => l.startsWith("FAIL") || l.startsWith("ERR"))).toEqual([]);
    expect(code).toBe(ExitCode.Success);
    const md = await readFile(out, "utf8");
    for (const id of ["H1", "C3", "§1.4-GetRPCMethods", "§1.12-GPN-Root"])
      expect(md).toMatch(new RegExp(`^\\| ${id.replace(/[.]/g, "\\.")} \\| pass \\|`, "m"));
    expect(md).toMatch(/^\| V8 \| not covered \|/m);
    expect(md).toContain("- Command: `test`");
    // The catalogue is read from the repository itself, never from a folder beside it.
    expect(md).toContain("- Requirements: `docs/cwmp-requirements.md`");
    expect(lines.join("\n").split("\n").at(-1)).toMatch(/^4 of \d+ rows covered: 4 pass, 0 fail/);
  }, 30_000);

  it("refuses a bad --only or --concurrency with the usage exit code, running nothing", async () => {
    const { lines, io } = captured();
    expect(await conformanceMain({ only: "(" }, io, process.cwd())).toBe(ExitCode.Usage);
    expect(await conformanceMain({ concurrency: "0" }, io, process.cwd())).toBe(ExitCode.Usage);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith("ERR cpekit conformance:"))).toBe(true);
  });
});
