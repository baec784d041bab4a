/**
 * What a CWMP session costs the CPE side when it runs as shipped: the built CLI in its own
 * process against the minimal ACS of `bench-acs.ts` in another (node:http, 127.0.0.1), per
 * session Inform -> InformResponse, empty POST -> GetParameterValues of 10 names -> 204, each
 * session started by a connection request. CPU is the CPE process's time on CPU (every
 * thread, from /proc), memory its RSS and PSS; the ACS and this process stay out of both.
 *
 * Regimes:
 * - one device (`cpekit run`, home-gateway and cellular-module profiles), sessions back to
 *   back: the next connection request after the previous session's 204;
 * - a fleet (`measureFleet`): many devices in one CPE process, a fixed connection-request rate
 *   per device. It runs when `BENCH_FLEET_COMMAND` names a CPE command (see `fleetFromEnv`).
 *
 * Environment: `BENCH_SESSIONS` (measured sessions per one-device run, default 300),
 * `BENCH_WARMUP` (sessions run before the measured ones, default 50),
 * `BENCH_CPU_PROF=<dir>` (run the CPE under `node --cpu-prof`, profiles written to <dir>;
 * `scripts/cpuprofile-summary.mjs` reads them), `BENCH_NODE_OPTIONS` (more Node flags for the
 * CPE), `BENCH_PROFILES` (comma-separated, default `home-gateway,cellular-module`; empty for
 * none), `BENCH_FLEET_COUNT=0` (no fleet regime), `BENCH_CLI_MAIN` (another build of the CLI,
 * e.g. an older one to compare), `BENCH_PROFILE_RATE_LIMIT=0` (no `rateLimit` in the generated
 * profile, for builds without the field) with `BENCH_CR_INTERVAL_MS` (least time between
 * connection requests to one device: 110 stays under the default 10/s limit).
 *
 * The one-device regime starts the CLI with the Node flags of its bin's shebang line, if any, as
 * `cpekit run` gets them; `BENCH_NODE_OPTIONS` come after them, so they can override them. The
 * fleet regime runs `node main.js fleet`, as the container image of `deploy/` does.
 *
 * Run: `pnpm bench fleet` (after `pnpm build`: it runs `apps/cli/dist/main.js`).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AcsCommand, AcsReport, BenchDevice, DrivePlan, DriveResult } from "./bench-acs.js";
import { type ProcessUsage, processUsage, TICKS_PER_SECOND } from "./process-usage.js";

const root = new URL("../../..", import.meta.url).pathname;
/** The CLI to run; `BENCH_CLI_MAIN` points at another build of it (a bundle, an older dist). */
const cliMain = process.env.BENCH_CLI_MAIN ?? join(root, "apps/cli/dist/main.js");
/**
 * The Node flags a bin's `#!/usr/bin/env -S node ...` line gives `cpekit` when it is run as a
 * program: the one-device regime starts the CLI with them, as a user's `cpekit run` gets them.
 * Builds since issue 11's round 6 have none (their V8 settings are made in code,
 * `apps/cli/src/heap-flags.ts`); older builds, compared with `BENCH_CLI_MAIN`, had the heap
 * settings of round 4 there.
 */
const binNodeFlags = (main: string): string[] => {
  const first = existsSync(main) ? (readFileSync(main, "utf8").split("\n", 1)[0] ?? "") : "";
  const flags = /^#!\S*env -S node(?: (.*))?$/.exec(first)?.[1];
  return flags === undefined ? [] : flags.split(" ").filter((f) => f !== "");
};
/**
 * Sessions run before the measured ones. V8 keeps optimizing the hot path for a few thousand
 * sessions: `BENCH_WARMUP=3000` measures the steady state of a long-running simulator.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 300);
const BOOT_TIMEOUT_MS = 30_000;
const DRIVE_TIMEOUT_MS = 60_000;
const CR_USERNAME = "acs";
const CR_PASSWORD = "cr-secret";
/** Least time between connection requests to one device; 110 stays under the old 10/s limit. */
const MIN_INTERVAL_MS = Number(process.env.BENCH_CR_INTERVAL_MS ?? 0);

/** The minimal ACS, in its own process. */
interface BenchAcs {
  readonly url: string;
  /** The ACS process (its CPU is printed too: a saturated ACS would skew every figure). */
  readonly pid: number;
  /** Resolves with the first Inform carrying a BOOT event from `serialNumber` (any if omitted). */
  readonly booted: (
    serialNumber?: string,
  ) => Promise<Extract<AcsReport, { type: "inform" }> | undefined>;
  /** Every BOOT Inform seen so far. */
  readonly informs: () => readonly Extract<AcsReport, { type: "inform" }>[];
  readonly drive: (devices: readonly BenchDevice[], plan: DrivePlan) => Promise<DriveResult>;
  readonly stop: () => Promise<void>;
}

const startAcs = async (): Promise<BenchAcs> => {
  const child: ChildProcess = fork(join(root, "apps/cli/bench/bench-acs.ts"), [], {
    execArgv: ["--conditions=@cpekit/source", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const listeners = new Set<(r: AcsReport) => void>();
  const informs: Extract<AcsReport, { type: "inform" }>[] = [];
  child.on("message", (m: AcsReport) => {
    if (m.type === "inform") informs.push(m);
    for (const l of listeners) l(m);
  });
  const next = <T extends AcsReport["type"]>(
    type: T,
    timeoutMs: number,
    accept = (_: Extract<AcsReport, { type: T }>) => true,
  ) =>
    new Promise<Extract<AcsReport, { type: T }> | undefined>((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const listener = (r: AcsReport) => {
        if (r.type === type && accept(r as Extract<AcsReport, { type: T }>))
          done(r as Extract<AcsReport, { type: T }>);
      };
      const done = (r: Extract<AcsReport, { type: T }> | undefined) => {
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(r);
      };
      listeners.add(listener);
    });
  const listening = await next("listening", BOOT_TIMEOUT_MS);
  if (listening === undefined) throw new Error("the bench ACS did not start");
  const command = (c: AcsCommand) => child.send(c);
  return {
    url: listening.url,
    pid: child.pid ?? 0,
    booted: (serialNumber) => {
      const seen = informs.find(
        (i) => serialNumber === undefined || i.serialNumber === serialNumber,
      );
      if (seen !== undefined) return Promise.resolve(seen);
      return next(
        "inform",
        BOOT_TIMEOUT_MS,
        (i) => serialNumber === undefined || i.serialNumber === serialNumber,
      );
    },
    informs: () => informs,
    drive: async (devices, plan) => {
      const result = next(
        "driven",
        DRIVE_TIMEOUT_MS + (plan.kind === "paced" ? plan.durationMs : 0) + 15_000,
      );
      command({ type: "drive", devices, plan });
      const r = await result;
      if (r === undefined) throw new Error("the bench ACS did not finish its drive");
      return r;
    },
    stop: async () => {
      command({ type: "stop" });
      await new Promise((r) => child.once("exit", r));
    },
  };
};

/** How to start the CPE side: a program and its arguments (one process). */
export interface CpeCommand {
  readonly file: string;
  readonly args: readonly string[];
}

/** The CPE process while it runs. */
interface RunningCpe {
  readonly pid: number;
  readonly usage: () => ProcessUsage;
  /** SIGTERM, then waits for the exit (SIGKILL after 15 s). */
  readonly stop: () => Promise<void>;
  readonly stderr: () => string;
}

const startCpe = (cpe: CpeCommand): RunningCpe => {
  const child = spawn(cpe.file, [...cpe.args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (c: string) => {
    stderr = (stderr + c).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  if (child.pid === undefined) throw new Error(`cannot start ${cpe.file}`);
  const pid = child.pid;
  return {
    pid,
    usage: () => processUsage(pid),
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
    stderr: () => stderr,
  };
};

/** Node's own options for the CPE: `--cpu-prof` when profiling, then `BENCH_NODE_OPTIONS`. */
const nodeOptions = (label: string) => {
  const dir = process.env.BENCH_CPU_PROF;
  const extra = (process.env.BENCH_NODE_OPTIONS ?? "").split(" ").filter((o) => o !== "");
  return [
    ...(dir === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${label}.cpuprofile`]),
    ...extra,
  ];
};

/** Figures of one measured drive. */
interface Figures {
  readonly drive: DriveResult;
  readonly before: ProcessUsage;
  readonly after: ProcessUsage;
  /** The ACS's CPU over the drive, ns. */
  readonly acsCpuNs: number;
}

const measure = async (
  acs: BenchAcs,
  cpe: RunningCpe,
  devices: readonly BenchDevice[],
  plan: DrivePlan,
): Promise<Figures> => {
  const before = cpe.usage();
  const acsBefore = processUsage(acs.pid).cpuNs;
  const drive = await acs.drive(devices, plan);
  const after = cpe.usage();
  return { drive, before, after, acsCpuNs: processUsage(acs.pid).cpuNs - acsBefore };
};

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

const print = (label: string, f: Figures) => {
  const { drive } = f;
  const sessions = Math.max(1, drive.sessions);
  const cpuMs = (f.after.cpuNs - f.before.cpuNs) / 1e6;
  const tickMs = ((f.after.ticks - f.before.ticks) * 1000) / TICKS_PER_SECOND;
  const failed = Object.entries(drive.failures);
  console.log(label);
  console.log(
    `  CPE CPU per session   ${(cpuMs / sessions).toFixed(3)} ms (utime+stime ${(tickMs / sessions).toFixed(2)} ms, 10 ms ticks)`,
  );
  console.log(
    `  sessions              ${drive.sessions} in ${drive.wallMs.toFixed(0)} ms = ${((drive.sessions * 1000) / drive.wallMs).toFixed(0)}/s; CR to 204 p50 ${drive.p50Ms.toFixed(2)} ms, p99 ${drive.p99Ms.toFixed(2)} ms`,
  );
  console.log(
    `  CPE CPU share of wall ${((100 * cpuMs) / drive.wallMs).toFixed(0)} % of one core (bench ACS: ${((100 * f.acsCpuNs) / 1e6 / drive.wallMs).toFixed(0)} %)`,
  );
  console.log(
    `  CPE memory            RSS ${mb(f.after.rssBytes)} (peak ${mb(f.after.peakRssBytes)}), PSS ${mb(f.after.pssBytes)}`,
  );
  console.log(
    `  failed sessions       ${failed.length === 0 ? "none" : failed.map(([k, v]) => `${v} ${k}`).join(", ")}; challenges answered ${drive.challenges}`,
  );
};

const profileFor = (name: string, acsUrl: string, serialNumber: string) => ({
  acs: { url: acsUrl },
  device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "bench", serialNumber },
  dataModel: { root: "Device", profile: name },
  connectionRequest: {
    address: "127.0.0.1",
    port: 0,
    username: CR_USERNAME,
    password: CR_PASSWORD,
    // Back to back the ACS asks for far more sessions per second than the default allows.
    ...(process.env.BENCH_PROFILE_RATE_LIMIT === "0"
      ? {}
      : { rateLimit: { max: 1_000_000, windowSeconds: 1 } }),
  },
  store: "./device.json",
  plugin: { name: "generic" },
});

/** One device under `cpekit run`, sessions back to back. */
const oneDevice = async (profileName: string) => {
  const dir = await mkdtemp(join(tmpdir(), "cpekit-bench-fleet-"));
  const acs = await startAcs();
  const serialNumber = "BENCH000001";
  const profile = join(dir, "device.json.profile.json");
  await writeFile(profile, JSON.stringify(profileFor(profileName, acs.url, serialNumber)));
  const cpe = startCpe({
    file: process.execPath,
    args: [...binNodeFlags(cliMain), ...nodeOptions(`run-${profileName}`), cliMain, "run", profile],
  });
  try {
    const boot = await acs.booted(serialNumber);
    if (boot === undefined) throw new Error(`cpekit run did not inform: ${cpe.stderr()}`);
    // The boot session is over once the bootstrap Inform is answered and its GPV done.
    await new Promise((r) => setTimeout(r, 500));
    const booted = cpe.usage();
    const device: BenchDevice = {
      serialNumber,
      connectionRequestUrl: boot.connectionRequestUrl,
      username: CR_USERNAME,
      password: CR_PASSWORD,
    };
    const warm = await acs.drive([device], {
      kind: "backToBack",
      sessions: WARMUP,
      timeoutMs: DRIVE_TIMEOUT_MS,
      minIntervalMs: MIN_INTERVAL_MS,
    });
    if (warm.sessions === 0)
      throw new Error(
        `no session in the warm-up: ${JSON.stringify(warm.failures)} ${cpe.stderr()}`,
      );
    const figures = await measure(acs, cpe, [device], {
      kind: "backToBack",
      sessions: SESSIONS,
      timeoutMs: DRIVE_TIMEOUT_MS,
      minIntervalMs: MIN_INTERVAL_MS,
    });
    print(
      `cpekit run, ${profileName} profile, 1 device, sessions back to back (${WARMUP} warm-up)`,
      figures,
    );
    console.log(
      `  CPE memory after boot RSS ${mb(booted.rssBytes)}, PSS ${mb(booted.pssBytes)} (before the first connection request)`,
    );
  } finally {
    await cpe.stop();
    await acs.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

/**
 * The fleet regime: `cpe` runs `devices.length` devices in one process (already informing the
 * ACS at `acs`), and each gets `ratePerDevice` connection requests per second for
 * `durationMs`. Used with `cpekit fleet` (1,000 devices at 0.2/s: 200 sessions/s offered).
 */
export const measureFleet = async (
  cpe: CpeCommand,
  expectedDevices: number,
  credentials: { readonly username: string; readonly password: string },
  options: { readonly ratePerDevice: number; readonly durationMs: number },
  acs: BenchAcs,
) => {
  const running = startCpe(cpe);
  try {
    const deadline = Date.now() + BOOT_TIMEOUT_MS * 4;
    while (acs.informs().length < expectedDevices && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const bySerial = new Map(acs.informs().map((i) => [i.serialNumber, i]));
    const devices: BenchDevice[] = [...bySerial.values()].map((i) => ({
      serialNumber: i.serialNumber,
      connectionRequestUrl: i.connectionRequestUrl,
      ...credentials,
    }));
    const idle = running.usage();
    const figures = await measure(acs, running, devices, {
      kind: "paced",
      ratePerDevice: options.ratePerDevice,
      durationMs: options.durationMs,
    });
    print(
      `fleet: ${devices.length} of ${expectedDevices} devices booted, ${options.ratePerDevice} CR/s each for ${options.durationMs / 1000} s`,
      figures,
    );
    console.log(`  memory after boot     RSS ${mb(idle.rssBytes)}, PSS ${mb(idle.pssBytes)}`);
  } finally {
    await running.stop();
  }
};

/**
 * The fleet regime: `cpekit fleet` with `BENCH_FLEET_COUNT` devices (default 1000) of the
 * home-gateway profile booted at 500/s, state in an LMDB folder, each device getting 0.2
 * connection requests per second for `BENCH_FLEET_SECONDS` (default 20). `BENCH_FLEET_COMMAND`
 * (the CPE command as a JSON array, `{acs}` standing for the ACS URL) replaces the generated
 * command, with `BENCH_FLEET_USERNAME`/`_PASSWORD` as the devices' credentials.
 */
const fleetFromEnv = async () => {
  const count = Number(process.env.BENCH_FLEET_COUNT ?? 1000);
  const dir = await mkdtemp(join(tmpdir(), "cpekit-bench-fleet-"));
  const acs = await startAcs();
  try {
    const spec = process.env.BENCH_FLEET_COMMAND;
    let command: string[];
    if (spec === undefined) {
      const profile = join(dir, "fleet.profile.json");
      const base = profileFor("home-gateway", acs.url, "unused");
      await writeFile(
        profile,
        JSON.stringify({
          ...base,
          device: { ...base.device, serialNumber: undefined },
          // The bench offers 0.2 CR/s per device: the default per-device limit is enough.
          connectionRequest: { ...base.connectionRequest, rateLimit: undefined },
          fleet: { count, serialTemplate: "BENCH{index:06}", ramp: "500/s", store: "./state" },
        }),
      );
      command = [
        process.execPath,
        ...nodeOptions("fleet"),
        cliMain,
        "fleet",
        profile,
        "--no-status",
      ];
    } else command = (JSON.parse(spec) as string[]).map((a) => a.replaceAll("{acs}", acs.url));
    const [file, ...args] = command;
    await measureFleet(
      { file: file ?? process.execPath, args },
      count,
      {
        username: process.env.BENCH_FLEET_USERNAME ?? CR_USERNAME,
        password: process.env.BENCH_FLEET_PASSWORD ?? CR_PASSWORD,
      },
      { ratePerDevice: 0.2, durationMs: Number(process.env.BENCH_FLEET_SECONDS ?? 20) * 1000 },
      acs,
    );
  } finally {
    await acs.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

const main = async () => {
  if (!existsSync(cliMain)) throw new Error(`${cliMain} is missing: run \`pnpm build\` first`);
  console.log(
    "session = CR -> Inform -> InformResponse, empty POST -> GetParameterValues of 10 names -> 204; ACS (node:http) in its own process; CPE CPU from /proc (all threads)",
  );
  const profiles = (process.env.BENCH_PROFILES ?? "home-gateway,cellular-module").split(",");
  for (const p of profiles.filter((p) => p !== "")) await oneDevice(p);
  // BENCH_FLEET_COUNT=0 measures the one-device regime alone.
  if (process.env.BENCH_FLEET_COUNT !== "0") await fleetFromEnv();
};

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
