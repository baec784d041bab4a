/**
 * What an idle fleet costs (issue 11): 10,000 devices of the home-gateway profile booted at
 * 500/s in this process (one LMDB environment in a temp folder, as `cpekit fleet` keeps its
 * devices' state; the real HTTP transport `AcsClient`; the shared connection-request port on
 * 127.0.0.1) against the minimal node:http ACS of `apps/cli/bench/bench-acs.ts` in its own
 * process; then idle with PeriodicInformInterval 1 h (phases spread over the hour, as
 * `cpekit fleet` does, and value-change polling at its default, as there).
 *
 * Prints: every `0 BOOTSTRAP` Inform delivered once (counted by the ACS), heap and RSS per
 * device above the baseline (this process with the schema compiled and 0 devices, after gc),
 * and this process's CPU over the idle window (`process.cpuUsage`, periodic sessions that fall
 * in it included and counted). Then `cpekit run` (built CLI, home-gateway profile): its RSS
 * (/proc/<pid>/status) after the boot session.
 *
 * Environment: `BENCH_IDLE_COUNT` (devices, default 10000), `BENCH_IDLE_RAMP` (per second,
 * default 500), `BENCH_IDLE_SECONDS` (idle window, default 30), `BENCH_IDLE_SETTLE` (seconds
 * idle after the boot before the window, default 5), `BENCH_IDLE_BOOT_WAIT` (most
 * seconds to wait for every bootstrap, default 600), `BENCH_IDLE_RUN=0` (skip the
 * `cpekit run` figure), `BENCH_IDLE_STORE=memory` (in-memory stores), `BENCH_IDLE_SOURCE=1`
 * (measure the source under tsx rather than the built packages), `BENCH_IDLE_PRETENURE=1`
 * (V8's allocation-site pretenuring left on), `BENCH_IDLE_MAX_OPEN` (the
 * fleet's `maxOpenSessions`), `BENCH_HEAP_SNAPSHOT=<file>`
 * (a heap snapshot once idle), `BENCH_IDLE_CPU_PROF=<file>` (a CPU profile of the idle window,
 * for `scripts/cpuprofile-summary.mjs`; with `BENCH_IDLE_ALLOC_PROF=1`, a sampling allocation
 * profile, `.heapprofile`, instead). Also printed: the idle CPU split between the main thread
 * and the others (GC helpers, libuv, lmdb-js), each other thread by tid, each minute's share
 * when the window is longer than one, and the garbage collections in the window. The memory
 * figures are taken after the window (their forced collections would otherwise make the
 * window pay for re-optimizing code, see docs/BENCHMARKS.md, "Issue 11, round 7").
 *
 * Run: `pnpm build`, then `pnpm bench fleet-idle` (without a build it measures the source).
 */
import { type ChildProcess, fork, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { setFlagsFromString, writeHeapSnapshot } from "node:v8";
import {
  compileSchema,
  type FileTransferService,
  makeMemoryStore,
  type ParameterProvider,
} from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { compileSerialTemplate, makeFleet, periodicInformTimeFor } from "@cpekit/fleet";
import { AcsClient, makeLmdbFleetStore } from "@cpekit/transport-http";
import { Clock, Effect, Either } from "effect";
import type { AcsReport } from "../../../apps/cli/bench/bench-acs.js";

const root = new URL("../../..", import.meta.url).pathname;
const COUNT = Number(process.env.BENCH_IDLE_COUNT ?? 10_000);
const RAMP = Number(process.env.BENCH_IDLE_RAMP ?? 500);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const SETTLE_SECONDS = Number(process.env.BENCH_IDLE_SETTLE ?? 5);
const INTERVAL = 3600;
/** `lmdb` (default: what `cpekit fleet` uses) or `memory`. */
const STORE = process.env.BENCH_IDLE_STORE === "memory" ? "memory" : "lmdb";
// The heap setting every `cpekit` process makes (apps/cli/src/heap-flags.ts), so this process
// measures what `cpekit fleet` runs with; `BENCH_IDLE_PRETENURE=1` leaves V8's default.
if (process.env.BENCH_IDLE_PRETENURE !== "1")
  setFlagsFromString("--no-allocation-site-pretenuring");
const MS = "Device.ManagementServer.";

const gc = () => {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g === undefined) throw new Error("run with --expose-gc (pnpm bench does)");
  for (let i = 0; i < 4; i++) g();
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const vmRss = (pid: number | "self") => {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m === null ? 0 : Number(m[1]) * 1024;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * CPU ms of this process's main thread, of all its threads, and of each other thread by
 * name/tid (/proc/self/task, clock ticks of 10 ms): V8's platform workers (GC helpers and the
 * optimizing compiler, all named "node", the first tids after the main thread), libuv's pool
 * and lmdb-js's write thread.
 */
const threadCpuMs = () => {
  let main = 0;
  let all = 0;
  const byThread = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    } catch {
      continue; // a thread that ended meanwhile
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ms = (Number(f[11]) + Number(f[12])) * 10;
    all += ms;
    if (Number(tid) === process.pid) main = ms;
    else byThread.set(`${name}/${tid}`, ms);
  }
  return { main, all, byThread };
};

/** The minimal ACS in its own process; resolves once it listens. */
const startAcs = async () => {
  const child: ChildProcess = fork(join(root, "apps/cli/bench/bench-acs.ts"), [], {
    execArgv: ["--conditions=@cpekit/source", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const informs: Extract<AcsReport, { type: "inform" }>[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the bench ACS did not start")), 30_000);
    child.on("message", (m: AcsReport) => {
      if (m.type === "inform") informs.push(m);
      if (m.type === "listening") {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
  });
  return {
    url,
    informs,
    stop: async () => {
      child.send({ type: "stop" });
      await new Promise((r) => child.once("exit", r));
    },
  };
};

/** DeviceInfo.UpTime, as `cpekit fleet`'s runtime provider serves it. */
const upTimeProvider = (startedAt: number): ParameterProvider => ({
  name: "runtime",
  paths: ["Device.DeviceInfo.UpTime"],
  get: (names) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const seconds = String(Math.floor((now - startedAt) / 1000));
      return new Map(names.map((n) => [n, seconds]));
    }),
  set: () => Effect.die("read-only"),
});

const noFiles: FileTransferService = {
  download: () => Effect.die("no downloads in this benchmark"),
  upload: () => Effect.die("no uploads in this benchmark"),
};

const fleetIdle = async () => {
  const schema = compileSchema(selectProfile(loadDevice2Schema(), "home-gateway"));
  const acs = await startAcs();
  const serialOf = Either.getOrThrow(compileSerialTemplate("IDL{index:06}", COUNT));
  gc();
  const base = { heap: process.memoryUsage().heapUsed, rss: vmRss("self") };

  let release: () => void = () => {};
  const stop = new Promise<void>((r) => {
    release = r;
  });
  const storeDir = await mkdtemp(join(tmpdir(), "cpekit-bench-idle-lmdb-"));
  const program = Effect.scoped(
    Effect.gen(function* () {
      const lmdb = STORE === "lmdb" ? yield* makeLmdbFleetStore({ path: storeDir }) : undefined;
      const fleet = yield* makeFleet({
        count: COUNT,
        ramp: RAMP,
        ...(process.env.BENCH_IDLE_MAX_OPEN === undefined
          ? {}
          : { maxOpenSessions: Number(process.env.BENCH_IDLE_MAX_OPEN) }),
        schema,
        managementServerPrefix: MS,
        transport: AcsClient.make(),
        fileTransfer: noFiles,
        store: (spec) =>
          lmdb === undefined
            ? makeMemoryStore()
            : Effect.succeed(lmdb.storeFor(spec.deviceId.serialNumber)),
        providers: (_spec, startedAt) => [upTimeProvider(startedAt)],
        connectionRequests: { host: "127.0.0.1", port: 0 },
        spec: (index) => {
          const serial = serialOf(index);
          return {
            index,
            deviceId: {
              manufacturer: "cpekit",
              oui: "00CAFE",
              productClass: "idle",
              serialNumber: serial,
            },
            acs: { url: acs.url },
            connectionRequest: { username: "acs", password: `cr-${index}` },
            values: {
              "Device.DeviceInfo.Manufacturer": "cpekit",
              "Device.DeviceInfo.ManufacturerOUI": "00CAFE",
              "Device.DeviceInfo.ProductClass": "idle",
              "Device.DeviceInfo.SerialNumber": serial,
              "Device.DeviceInfo.SoftwareVersion": "1.0.0",
              [`${MS}URL`]: acs.url,
              [`${MS}PeriodicInformEnable`]: "true",
              [`${MS}PeriodicInformInterval`]: String(INTERVAL),
              [`${MS}PeriodicInformTime`]: periodicInformTimeFor(index, COUNT, INTERVAL),
              [`${MS}ConnectionRequestUsername`]: "acs",
              [`${MS}ConnectionRequestPassword`]: `cr-${index}`,
            },
          };
        },
      });
      const t0 = Date.now();
      yield* fleet.booted;
      const bootedMs = Date.now() - t0;
      yield* Effect.promise(async () => {
        // Every device's bootstrap delivered (failed sessions are retried at the CWMP retry
        // waits), or BENCH_IDLE_BOOT_WAIT seconds at most.
        const deadline = Date.now() + Number(process.env.BENCH_IDLE_BOOT_WAIT ?? 600) * 1000;
        while (Date.now() < deadline) {
          const bootstraps = acs.informs.filter((i) => i.events.includes("0 BOOTSTRAP")).length;
          if (bootstraps >= COUNT && fleet.stats.openSessions === 0) break;
          await sleep(200);
        }
      });
      const settledMs = Date.now() - t0;
      const perSerial = new Map<string, number>();
      for (const i of acs.informs)
        if (i.events.includes("0 BOOTSTRAP"))
          perSerial.set(i.serialNumber, (perSerial.get(i.serialNumber) ?? 0) + 1);
      const twice = [...perSerial.values()].filter((n) => n > 1).length;
      const booting = fleet.stats.snapshot();
      console.log(
        `fleet of ${COUNT} devices (home-gateway, ${STORE === "lmdb" ? "one LMDB environment" : "in-memory stores"}, AcsClient over HTTP to the minimal ACS in its own process), ramp ${RAMP}/s`,
      );
      console.log(
        `  boot                  started in ${(bootedMs / 1000).toFixed(1)} s, all sessions over in ${(settledMs / 1000).toFixed(1)} s`,
      );
      console.log(
        `  0 BOOTSTRAP Informs   ${perSerial.size}/${COUNT} devices delivered, ${twice} twice${perSerial.size === COUNT && twice === 0 ? " (ok)" : " (FAILED)"}`,
      );
      console.log(
        `  boot sessions         ${booting.sessionsSucceeded} succeeded, ${booting.sessionsFailed} failed and retried (${Object.entries(
          booting.failures,
        )
          .map(([k, v]) => `${v} ${k}`)
          .join(", ")})`,
      );
      // The idle window comes before the memory figures: their forced full collections
      // (gc(), memory-reducing) drop optimized code whose embedded objects died (V8's
      // "weak objects" deopts, 160 or so functions after a boot), and the window would then
      // measure the compiler threads re-optimizing them, which a fleet that nobody calls gc()
      // in does not do. A longer settle lets V8 finish optimizing the idle paths.
      yield* Effect.promise(() => sleep(SETTLE_SECONDS * 1000));
      const sessionsBefore = fleet.stats.snapshot().sessionsSucceeded;
      const profileTo = process.env.BENCH_IDLE_CPU_PROF;
      const inspector = profileTo === undefined ? undefined : new Session();
      if (inspector !== undefined)
        yield* Effect.promise(async () => {
          inspector.connect();
          if (process.env.BENCH_IDLE_ALLOC_PROF === "1") {
            await inspector.post("HeapProfiler.enable");
            await inspector.post("HeapProfiler.startSampling", {
              samplingInterval: 4096,
              includeObjectsCollectedByMajorGC: true,
              includeObjectsCollectedByMinorGC: true,
            });
          } else {
            await inspector.post("Profiler.enable");
            await inspector.post("Profiler.start");
          }
        });
      // Garbage collections in the window (their pauses on the main thread), by kind.
      const gcs = { minor: 0, major: 0, pauseMs: 0 };
      const gcObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const kind = (e as { detail?: { kind?: number } }).detail?.kind;
          if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
          else if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
          gcs.pauseMs += e.duration;
        }
      });
      gcObserver.observe({ entryTypes: ["gc"] });
      const threads0 = threadCpuMs();
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      // The share of each minute too, when the window is longer: a major collection of the
      // fleet's heap (and V8's memory reducer after a boot) falls in some minutes, not others.
      const minutes: string[] = [];
      let minuteCpu = cpu0;
      for (let left = IDLE_SECONDS; left > 0; left -= 60) {
        yield* Effect.promise(() => sleep(Math.min(60, left) * 1000));
        const now = process.cpuUsage();
        const usedMicros = now.user - minuteCpu.user + (now.system - minuteCpu.system);
        minuteCpu = now;
        minutes.push((usedMicros / 10 / (Math.min(60, left) * 1000)).toFixed(2));
      }
      const cpu = process.cpuUsage(cpu0);
      const wall = performance.now() - w0;
      const threads1 = threadCpuMs();
      gcObserver.disconnect();
      if (inspector !== undefined && profileTo !== undefined)
        yield* Effect.promise(async () => {
          const { profile } =
            process.env.BENCH_IDLE_ALLOC_PROF === "1"
              ? await inspector.post("HeapProfiler.stopSampling")
              : await inspector.post("Profiler.stop");
          await writeFile(profileTo, JSON.stringify(profile));
          inspector.disconnect();
        });
      const snapshot = fleet.stats.snapshot();
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(
        `  idle CPU              (window from ${SETTLE_SECONDS} s after the boot) ${((cpuMs / wall) * 100).toFixed(2)} % of one core over ${(wall / 1000).toFixed(0)} s (${snapshot.sessionsSucceeded - sessionsBefore} periodic sessions in the window, ${snapshot.sessionsFailed} failed in all)`,
      );
      const pct = (ms: number) => `${((ms / wall) * 100).toFixed(2)} %`;
      console.log(
        `  idle CPU by thread    main ${pct(threads1.main - threads0.main)}, other threads (GC helpers, libuv, lmdb) ${pct(threads1.all - threads1.main - (threads0.all - threads0.main))} (/proc, 10 ms ticks)`,
      );
      const others = [...threads1.byThread]
        .map(([name, ms]) => [name, ms - (threads0.byThread.get(name) ?? 0)] as const)
        .filter(([, ms]) => ms > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([name, ms]) => `${name} ${pct(ms)}`);
      console.log(`  other threads         ${others.join(", ") || "none"}`);
      if (minutes.length > 1)
        console.log(`  idle CPU by minute    ${minutes.join(" ")} (% of one core)`);
      console.log(
        `  idle GC               ${gcs.minor} minor, ${gcs.major} major, ${gcs.pauseMs.toFixed(0)} ms of main-thread pauses`,
      );
      // Memory after the window, once the boot's transient garbage is collected.
      gc();
      const heap = process.memoryUsage().heapUsed - base.heap;
      const rss = vmRss("self") - base.rss;
      console.log(
        `  baseline              heap ${mb(base.heap)}, RSS ${mb(base.rss)} (schema compiled, 0 devices)`,
      );
      console.log(
        `  memory per device     heap ${kb(heap / COUNT)}, RSS ${kb(rss / COUNT)} above the baseline (after gc)`,
      );
      if (process.env.BENCH_HEAP_SNAPSHOT)
        console.log(
          `  heap snapshot         ${writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)}`,
        );
      release();
    }),
  );
  const done = Effect.runPromise(program);
  await stop;
  await done;
  await rm(storeDir, { recursive: true, force: true });
  await acs.stop();
};

/** `cpekit run`, home-gateway profile: RSS after the boot session. */
const runRss = async () => {
  const cli = join(root, "apps/cli/dist/main.js");
  if (!existsSync(cli)) {
    console.log("\ncpekit run RSS: skipped (run `pnpm build` first)");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "cpekit-bench-idle-"));
  const acs = await startAcs();
  const serialNumber = "RSS000001";
  const profile = join(dir, "device.profile.json");
  await writeFile(
    profile,
    JSON.stringify({
      acs: { url: acs.url },
      device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "bench", serialNumber },
      dataModel: { root: "Device", profile: "home-gateway" },
      connectionRequest: { address: "127.0.0.1", port: 0, username: "acs", password: "cr" },
      store: "./device.json",
      plugin: { name: "generic" },
    }),
  );
  const child = spawn(process.execPath, [cli, "run", profile], { stdio: "ignore" });
  try {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !acs.informs.some((i) => i.serialNumber === serialNumber))
      await sleep(100);
    if (!acs.informs.some((i) => i.serialNumber === serialNumber))
      throw new Error("cpekit run did not inform");
    await sleep(2_000);
    const pid = child.pid ?? 0;
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    console.log(
      `\ncpekit run, home-gateway profile, after the boot session: RSS ${mb(vmRss(pid))} (peak ${mb(Number(hwm?.[1] ?? 0) * 1024)}; goal at most 80 MB)`,
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await acs.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

// The figures are taken in a child process running the packages as built (`dist/`, tsc's
// output, as `cpekit fleet` runs them): under tsx, esbuild's keep-names helper gives every
// closure of the source an own `name` property, 17 KB per device that no shipped build has.
// `BENCH_IDLE_SOURCE=1` measures the source instead (also the fallback before `pnpm build`).
if (process.env.BENCH_IDLE_CHILD === undefined) {
  const built = existsSync(join(root, "packages/fleet/dist/index.js"));
  const source = process.env.BENCH_IDLE_SOURCE === "1" || !built;
  if (!built) console.log("(packages not built: measuring the source under tsx)");
  const child = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      ...(source ? ["--conditions=@cpekit/source"] : []),
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
    ],
    { stdio: "inherit", env: { ...process.env, BENCH_IDLE_CHILD: source ? "source" : "dist" } },
  );
  process.exit(child.status ?? 1);
}
console.log(
  `(packages as ${process.env.BENCH_IDLE_CHILD === "source" ? "source, under tsx" : "built, dist/"})`,
);
await fleetIdle();
if (process.env.BENCH_IDLE_RUN !== "0") await runRss();
process.exit(0);
