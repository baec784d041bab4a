/**
 * The built `cpekit` binary, run as a user runs it (`node dist/main.js ...`).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestAcs, type TestAcsHandle } from "@cpekit/acs-testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runBuiltCli, startCli } from "./test-support/built-cli.js";

let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "cpekit-cli-test-"));
}, 180_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("cpekit command tree", () => {
  it("--help lists the commands and exits 0", async () => {
    const r = await runBuiltCli(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["run", "demo", "help"])
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    expect(r.stdout).toMatch(/Exit codes:/);
  });

  it("every subcommand has its own --help (exit 0), also through `help <command>`", async () => {
    const run = await runBuiltCli(["run", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: cpekit run \[options\] <profile>/);
    const demo = await runBuiltCli(["help", "demo"]);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Usage: cpekit demo \[options\]/);
    expect(demo.stdout).toMatch(/--out <dir>/);
  });

  it("usage errors exit 2: unknown command, unknown option, missing argument", async () => {
    const unknown = await runBuiltCli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect((await runBuiltCli(["demo", "--no-such-option"])).code).toBe(2);
    expect((await runBuiltCli(["run"])).code).toBe(2);
  });
});

describe("cpekit run", () => {
  let acs: TestAcsHandle | undefined;
  afterEach(async () => {
    await acs?.stop();
    acs = undefined;
  });

  const profileYaml = (acsUrl: string) => `acs:
  url: ${acsUrl}
device:
  manufacturer: cpekit
  oui: 00CAFE
  productClass: CliTest
  serialNumber: RUN0001
dataModel:
  root: Device
  profile: cellular-module
  values:
    Device.ManagementServer.PeriodicInformEnable: "false"
connectionRequest:
  address: 127.0.0.1
  port: 0
  username: cr
  password: cr-secret
store: ./state/device.json
`;

  it("refuses a bad profile with exit 2 and a message naming each bad field", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      profileYaml("http://127.0.0.1:9/acs")
        .replace("oui: 00CAFE", "oui: cafe")
        .replace("port: 0", "port: seven"),
    );
    const r = await runBuiltCli(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/device\.oui: expected six upper-case hexadecimal digits/);
    expect(r.stderr).toMatch(/connectionRequest\.port: /);
    expect(existsSync(join(dir, "state"))).toBe(false);
  });

  it("completes a BOOTSTRAP session with the test ACS; on SIGTERM lets the open session finish, then exits 0 with a valid store", async () => {
    acs = await startTestAcs();
    // Keep the first session open a while: the answer to the empty POST comes 1.5 s late.
    acs.inject({ kind: "delay", ms: 1_500 }, { message: "empty" });
    const runDir = await mkdtemp(join(dir, "run-"));
    await writeFile(join(runDir, "device.yaml"), profileYaml(acs.url));
    const cli = startCli(["run", "device.yaml", "--grace", "10"], runDir);
    const inform = await acs.nextInform({ timeoutMs: 15_000 });
    expect(inform.inform.event.map((e) => e.eventCode)).toEqual(
      expect.arrayContaining(["0 BOOTSTRAP", "1 BOOT"]),
    );
    await cli.waitForOutput("-> InformResponse", 5_000);
    cli.child.kill("SIGTERM");
    const session = await acs.nextSession({ timeoutMs: 10_000 });
    expect(session.outcome).toBe("completed");
    const r = await cli.exited(15_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/session 1: open to http:\/\/127\.0\.0\.1:\d+\/acs/);
    expect(r.stdout).toMatch(/session 1: Inform \[0 BOOTSTRAP, 1 BOOT\] -> InformResponse/);
    expect(r.stdout).toMatch(/SIGTERM: letting the open session finish/);
    expect(r.stdout).toMatch(/session 1: empty POST -> empty \(end of session\)/);
    expect(r.stdout).toMatch(/session finished/);
    expect(r.stdout).toMatch(/stopped; state saved in/);
    // The event queue is written ahead of every Inform, and the file is whole JSON.
    const stored = JSON.parse(await readFile(join(runDir, "state/device.json"), "utf8"));
    expect(stored).toHaveProperty("events");
  });
});

describe("cpekit demo", () => {
  it("plays every step of the tour, writes the diagram and the transcript, and exits 0", async () => {
    const out = join(dir, "demo-out");
    const r = await runBuiltCli(["demo", "--out", out], { timeoutMs: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const steps = [
      /== start the device; expect a BOOTSTRAP Inform/,
      /Inform events: 0 BOOTSTRAP, 1 BOOT/,
      /== GetParameterNames Device\.DeviceInfo\./,
      /answer: GetParameterNamesResponse \(\d+ names\)/,
      /== GetParameterValues/,
      /answer: GetParameterValuesResponse/,
      /== SetParameterValues that must fault/,
      /answer: Fault 9003 .*9008.*9007/,
      /== SetParameterValues that succeeds/,
      /answer: SetParameterValuesResponse status 0/,
      /== AddObject Device\.Cellular\.AccessPoint\./,
      /answer: AddObjectResponse instance 1 status 0/,
      /== Digest connection request/,
      /connection request GET \/cr \(challenged \(401\), answered\)\s+<-\s+HTTP 200/,
      /Inform events: 6 CONNECTION REQUEST/,
      /answer: DownloadResponse status 1/,
      /CPE -> Files: GET \/firmware\/demo-fw-2\.0\.0\.bin\s+<-\s+HTTP 200/,
      /Inform events: 7 TRANSFER COMPLETE, M Download \(demo-download\)/,
      /TransferComplete commandKey=demo-download fault 0/,
      /answer: RebootResponse/,
      /Inform events: 1 BOOT, M Reboot \(demo-reboot\)/,
      /Device\.Time\.NTPServer1 = ntp\.example\.net/,
      /demo complete: 6 sessions/,
    ];
    let from = 0;
    for (const step of steps) {
      // Each step's line comes after the previous one's.
      const m = step.exec(r.stdout.slice(from));
      expect(m, `missing (in order): ${step}`).not.toBeNull();
      from += (m?.index ?? 0) + (m?.[0].length ?? 0);
    }
    const mmd = await readFile(join(out, "sessions.mmd"), "utf8");
    expect(mmd).toMatch(/^sequenceDiagram\n/);
    expect(mmd).toMatch(/CPE->>ACS: Inform \[0 BOOTSTRAP, 1 BOOT\]/);
    const html = await readFile(join(out, "sessions.html"), "utf8");
    expect(html).toContain('<pre class="mermaid">');
    expect(html).toContain("sequenceDiagram");
    expect(existsSync(join(out, "transcript.txt"))).toBe(true);
    expect(
      JSON.parse(await readFile(join(out, "transcript.json"), "utf8")).entries.length,
    ).toBeGreaterThan(20);
  }, 70_000);
});
