/**
 * `cpekit fleet` as a user runs it (the built bin) against the acs-testkit ACS on loopback.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type InformRecord, startTestAcs, type TestAcsHandle } from "@cpekit/acs-testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { ensureBuilt, runBuiltCli, startCli } from "../test-support/built-cli.js";

let dir: string;
let acs: TestAcsHandle;

beforeAll(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), "cpekit-fleet-test-"));
  acs = await startTestAcs();
}, 180_000);

afterAll(async () => {
  await acs?.stop();
  await rm(dir, { recursive: true, force: true });
});

const profileYaml = (acsUrl: string, count: number) => `acs:
  url: ${acsUrl}
device:
  manufacturer: cpekit
  oui: A1B2C3
  productClass: FleetBox
dataModel:
  root: Device
  profile: cellular-module
connectionRequest:
  address: 127.0.0.1
  port: 0
  username: cr
  password: pw-{serial}
store: ./state/device.json
fleet:
  count: ${count}
  ramp: none
`;

const codes = (r: InformRecord) => r.inform.event.map((e) => e.eventCode).join(",");
const crUrlOf = (r: InformRecord) =>
  r.inform.parameterList.find((p) => p.name === "Device.ManagementServer.ConnectionRequestURL")
    ?.value ?? "";

const informs = async (n: number) => {
  const out: InformRecord[] = [];
  for (let i = 0; i < n; i++) out.push(await acs.nextInform({ timeoutMs: 10_000 }));
  for (let i = 0; i < n; i++) await acs.nextSession({ timeoutMs: 10_000 });
  return out;
};

const scrape = async (url: string, until: RegExp): Promise<string> => {
  // Bounded: the counters catch up with the ACS's view within a few scrapes.
  let text = "";
  for (let i = 0; i < 50 && !until.test(text); i++) {
    text = await (await fetch(url)).text();
    if (!until.test(text)) await new Promise((r) => setTimeout(r, 100));
  }
  return text;
};

describe("cpekit fleet", () => {
  it("§1.5 C1 C2 runs N devices from one profile with their own serials and connection-request URLs on one port, serves metrics, stops on SIGTERM with exit 0 and a summary; a shard restarted over the same folder keeps its devices' state", async () => {
    const runDir = join(dir, "run");
    await rm(runDir, { recursive: true, force: true });
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, "fleet.yaml"), profileYaml(acs.url, 6));

    const cli = startCli(["fleet", "fleet.yaml", "--metrics-port", "0"], runDir);
    onTestFinished(() => {
      cli.child.kill("SIGKILL");
    });
    await cli.waitForOutput("metrics at ", 10_000);
    const boot = await informs(6);
    expect(boot.map((r) => r.inform.deviceId.serialNumber).sort()).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `CPE00000${i}`),
    );
    for (const r of boot) expect(codes(r)).toBe("0 BOOTSTRAP,1 BOOT");
    const origins = new Set(boot.map((r) => new URL(crUrlOf(r)).origin));
    expect(origins.size).toBe(1);

    const metricsUrl = /metrics at (\S+)/.exec(cli.stdout())?.[1] ?? "";
    const metrics = await scrape(
      metricsUrl,
      /cpekit_fleet_sessions_total\{outcome="succeeded"\} 6/,
    );
    expect(metrics).toMatch(/^cpekit_fleet_devices_online 6$/m);
    expect(metrics).toMatch(/^cpekit_fleet_sessions_total\{outcome="succeeded"\} 6$/m);
    expect(metrics).toMatch(/^process_cpu_seconds_total /m);

    // Device 3's URL with device 4's password is refused; with its own it opens device 3.
    const three = boot.find((r) => r.inform.deviceId.serialNumber === "CPE000003");
    expect(await acs.connectionRequest(crUrlOf(three!), "cr", "pw-CPE000004")).toBe(401);
    expect(await acs.connectionRequest(crUrlOf(three!), "cr", "pw-CPE000003")).toBe(200);
    const woken = await acs.nextInform({ timeoutMs: 10_000 });
    expect(woken.inform.deviceId.serialNumber).toBe("CPE000003");
    expect(codes(woken)).toBe("6 CONNECTION REQUEST");
    await acs.nextSession({ timeoutMs: 10_000 });

    cli.child.kill("SIGTERM");
    const r = await cli.exited(15_000);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SIGTERM: stopping/);
    expect(r.stdout).toMatch(/fleet summary: 6 devices/);
    expect(r.stdout).toMatch(/sessions: 7 succeeded, 0 failed/);

    // The second half of the fleet again, over the same state folder: 1 BOOT, not 0 BOOTSTRAP;
    // with one session open at a time, the three boot sessions do not overlap.
    const seen = acs.transcript.entries().length;
    const shard = startCli(
      ["fleet", "fleet.yaml", "--shard", "1/2", "--no-status", "--max-sessions", "1"],
      runDir,
    );
    onTestFinished(() => {
      shard.child.kill("SIGKILL");
    });
    const again = await informs(3);
    expect(again.map((x) => x.inform.deviceId.serialNumber).sort()).toEqual([
      "CPE000003",
      "CPE000004",
      "CPE000005",
    ]);
    for (const x of again) expect(codes(x)).not.toMatch(/0 BOOTSTRAP/);
    expect(shard.stdout()).toMatch(/open sessions at most 1\b/);
    const order = acs.transcript
      .entries()
      .slice(seen)
      .flatMap((e) => (e.kind === "cwmp" && e.sessionId !== undefined ? [e.sessionId] : []));
    const runs = order.filter((id, i) => id !== order[i - 1]);
    expect(runs).toHaveLength(3);
    expect(new Set(runs).size).toBe(3);
    shard.child.kill("SIGINT");
    expect((await shard.exited(15_000)).code).toBe(0);
  }, 60_000);

  it("a profile without a device count, or a bad --shard, is a usage error (exit 2) naming the field", async () => {
    const runDir = join(dir, "usage");
    await mkdir(runDir, { recursive: true });
    await writeFile(
      join(runDir, "fleet.yaml"),
      profileYaml("http://127.0.0.1:9/acs", 3).replace(
        /fleet:\n {2}count: 3\n {2}ramp: none\n/,
        "",
      ),
    );
    const noCount = await runBuiltCli(["fleet", "fleet.yaml"], { cwd: runDir });
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toMatch(/fleet.count/);
    const badShard = await runBuiltCli(["fleet", "fleet.yaml", "--count", "4", "--shard", "2/2"], {
      cwd: runDir,
    });
    expect(badShard.code).toBe(2);
    expect(badShard.stderr).toMatch(/--shard/);
  });
});
