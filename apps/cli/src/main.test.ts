/**
 * The built `cpekit` binary, run as a user runs it (`node dist/main.js ...`).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestAcs } from "@cpekit/acs-testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
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
    for (const command of ["run", "demo", "quecpython", "help"])
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

// Each test below starts real processes; the generous time limits are for loaded CI machines
// (the waits inside are bounded on their own).
describe("cpekit run", () => {
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
  }, 60_000);

  it("completes a BOOTSTRAP session with the test ACS; on SIGTERM lets the open session finish, then exits 0 with a valid store", async () => {
    const acs = await startTestAcs();
    onTestFinished(() => acs.stop());
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
  }, 60_000);
});

describe("cpekit demo", () => {
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
    /answer: AddObjectResponse instance \d+ status 0/,
    /== Digest connection request/,
    /connection request GET \/cr \(challenged \(401\), answered\)\s+<-\s+HTTP 200/,
    /Inform events: 6 CONNECTION REQUEST/,
    /answer: DownloadResponse status 1/,
    /CPE -> Files: GET \/firmware\/demo-fw-2\.0\.0\.bin\s+<-\s+HTTP 200/,
    /Inform events: 7 TRANSFER COMPLETE, M Download \(demo-download\)/,
    /TransferComplete commandKey=demo-download fault 0/,
    /answer: RebootResponse/,
    /Inform events: 1 BOOT, M Reboot \(demo-reboot\)/,
    /== UDP connection request \(Annex G\) to 127\.0\.0\.1:\d+; expect a session with 6 CONNECTION REQUEST/,
    /ACS -> CPE: UDP connection request \(3 datagrams, id \d+\)\s+<-\s+no answer \(UDP\)/,
    /Inform events: 6 CONNECTION REQUEST/,
    /== XMPP connection request \(Annex K\): skipped, no XMPP server in the demo/,
    /== the store kept the state/,
    /Device\.Time\.NTPServer1 = ntp\.example\.net/,
    /== serve a QuecPython app and queue a ChangeDUState Install/,
    /answer: ChangeDUStateResponse/,
    /Inform events: 11 DU STATE CHANGE COMPLETE, M ChangeDUState \(demo-install\)/,
    /DUStateChangeComplete commandKey=demo-install: Installed Device\.SoftwareModules\.DeploymentUnit\.\d+ 1\.0\.0 fault 0/,
    /Device\.SoftwareModules\.ExecutionUnit\.\d+\.Status = Active/,
    /answer: SetParameterValuesResponse status 0/,
    /Inform events: 8 DIAGNOSTICS COMPLETE/,
    /Device\.IP\.Diagnostics\.IPPing\.DiagnosticsState = Complete/,
    /Device\.IP\.Diagnostics\.IPPing\.SuccessCount = 3/,
    /demo complete: 12 sessions/,
  ];

  it("plays every step of the tour with the simulated QuecPython module (default) and the generic device, writes the diagram and the transcript, and exits 0", async () => {
    const devices = ["quecpython", "generic"];
    const runs = await Promise.all([
      // The simulated module is the default device.
      runBuiltCli(["demo", "--out", join(dir, "demo-quecpython")], { timeoutMs: 60_000 }),
      runBuiltCli(["demo", "--device", "generic", "--out", join(dir, "demo-generic")], {
        timeoutMs: 60_000,
      }),
    ]);
    for (const [i, r] of runs.entries()) {
      expect(r.stderr, devices[i]).toBe("");
      expect(r.code, devices[i]).toBe(0);
      let from = 0;
      for (const step of steps) {
        // Each step's line comes after the previous one's.
        const m = step.exec(r.stdout.slice(from));
        expect(m, `${devices[i]}: missing (in order): ${step}`).not.toBeNull();
        from += (m?.index ?? 0) + (m?.[0].length ?? 0);
      }
    }
    expect(runs[0]?.stdout).toMatch(/started \(QuecPython .*simulated\)/);
    const out = join(dir, "demo-quecpython");
    const mmd = await readFile(join(out, "sessions.mmd"), "utf8");
    expect(mmd).toMatch(/^sequenceDiagram\n/);
    expect(mmd).toMatch(/CPE->>ACS: Inform \[0 BOOTSTRAP, 1 BOOT\]/);
    expect(mmd).toMatch(/CPE->>Files: GET \/firmware\/demo-fw-2\.0\.0\.bin/);
    const html = await readFile(join(out, "sessions.html"), "utf8");
    expect(html).toContain('<pre class="mermaid">');
    expect(html).toContain("sequenceDiagram");
    expect(existsSync(join(out, "transcript.txt"))).toBe(true);
    const json = JSON.parse(await readFile(join(out, "transcript.json"), "utf8"));
    expect(json.entries.length).toBeGreaterThan(20);
  }, 70_000);
});

describe("cpekit quecpython", () => {
  it("generate writes the MicroPython bridge; deploy to a missing port fails with exit 1", async () => {
    const file = join(dir, "bridge.py");
    const gen = await runBuiltCli(["quecpython", "generate", "--out", file]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/wrote .*bridge\.py: \d+ bytes, imports .*modem/);
    expect(await readFile(file, "utf8")).toMatch(/^import sys/);
    const deploy = await runBuiltCli(["quecpython", "deploy", "--port", join(dir, "no-tty")]);
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toMatch(/no-tty/);
  }, 60_000);

  it("simulate serves a module over TCP that `run --verbose` drives: the Inform carries the module's IMEI and is printed, both stop on SIGTERM with exit 0", async () => {
    const acs = await startTestAcs();
    const sim = startCli(["quecpython", "simulate", "--port", "0"], dir);
    try {
      await sim.waitForOutput("serving its bridge at tcp", 15_000);
      const tcp = /tcp (127\.0\.0\.1:\d+)/.exec(sim.stdout())?.[1];
      const runDir = await mkdtemp(join(dir, "quecpython-"));
      await writeFile(
        join(runDir, "module.yaml"),
        `acs: { url: "${acs.url}" }
device: { manufacturer: Quectel, oui: 00CAFE, productClass: "" }
dataModel:
  root: Device
  profile: cellular-module
  values: { Device.ManagementServer.PeriodicInformEnable: "false" }
connectionRequest: { address: 127.0.0.1, port: 0, username: u, password: p }
store: ./module.json
plugin: { name: quecpython, options: { tcp: "${tcp}" } }
`,
      );
      const run = startCli(["run", "module.yaml", "--verbose"], runDir);
      const inform = await acs.nextInform({ timeoutMs: 15_000 });
      // The serial number is the simulated module's IMEI, read through the bridge.
      expect(inform.inform.deviceId.serialNumber).toMatch(/^\d{15}$/);
      await acs.nextSession({ timeoutMs: 10_000 });
      run.child.kill("SIGTERM");
      const ran = await run.exited(15_000);
      expect(ran.code).toBe(0);
      // --verbose prints the envelopes under each exchange line.
      expect(ran.stdout).toMatch(
        / {2}CPE -> ACS:\n\s+(<\?xml[^>]*>\s*)?<soap-env:Envelope[\s\S]*<cwmp:Inform>/,
      );
    } finally {
      sim.child.kill("SIGTERM");
      await acs.stop();
    }
    const stopped = await sim.exited(10_000);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/SIGTERM: stopping the simulated module/);
  }, 60_000);
});
