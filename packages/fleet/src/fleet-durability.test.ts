/**
 * Durability of a whole fleet: one process running 100 devices over one LMDB environment is
 * SIGKILLed at 20 seeded random instants, while the ACS asks devices for Reboots and Downloads,
 * and started again each time over the same environment. The ACS's transcript is checked per
 * device with the ledger of the single-device durability test
 * (`@cpekit/transport-http`'s `src/durability/delivery-ledger.ts`).
 */
import { type ChildProcess, fork } from "node:child_process";
import { setMaxListeners } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestAcs, type TestAcsHandle } from "@cpekit/acs-testkit";
import type { CwmpMessage } from "@cpekit/core";
import { makeLmdbFleetStore } from "@cpekit/transport-http";
import { Effect, Either } from "effect";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { download } from "../../transport-http/src/durability/crash-campaign.js";
// The single-device durability test's ledger: the same guarantee, read the same way.
import {
  checkDeliveries,
  type DeliveryReport,
  exchangesOf,
  type RunEnd,
} from "../../transport-http/src/durability/delivery-ledger.js";
import {
  durabilityDeviceKey,
  durabilitySerial,
  type FleetChildConfig,
} from "./test-support/durability-fleet-config.js";

/** Replay a run's choices with `FLEET_DURABILITY_SEED=<seed>`. */
const SEED = Number(process.env.FLEET_DURABILITY_SEED ?? 20261207);
const DEVICES = 100;
const KILLS = 20;
/** Devices asked for something in each trial. */
const ASKED_PER_TRIAL = 12;
const PERIODIC_SECONDS = 4;
const STARTUP_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 90_000;

const childScript = fileURLToPath(
  new URL("./test-support/durability-fleet-child.ts", import.meta.url),
);

/**
 * Bundles the child into one CommonJS file for plain `node` (workspace sources under the
 * `@cpekit/source` condition): through the tsx loader it takes seconds to start, and it is
 * started after each of the 20 kills. lmdb (a native binary) stays outside, imported from
 * where transport-http, whose dependency it is, resolves it.
 */
const bundleChild = async (dir: string): Promise<string> => {
  const path = join(dir, "fleet-child.cjs");
  const lmdb = createRequire(
    fileURLToPath(new URL("../../transport-http/package.json", import.meta.url)),
  ).resolve("lmdb");
  await build({
    entryPoints: [childScript],
    outfile: path,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["@cpekit/source"],
    logLevel: "error",
    plugins: [
      {
        name: "lmdb-outside",
        setup: (b) => {
          b.onResolve({ filter: /^lmdb$/ }, () => ({ path: lmdb, external: true }));
        },
      },
    ],
  });
  return path;
};

/** A small seeded PRNG (mulberry32): the test's choices replay from the seed. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Life {
  readonly run: number;
  readonly child: ChildProcess;
  readonly started: Promise<boolean>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: string;
}

const startLife = (entry: string, config: FleetChildConfig): Life => {
  const child = fork(entry, [JSON.stringify(config)], {
    execArgv: [],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const life: Life = {
    run: config.run,
    child,
    stderr: "",
    exited: new Promise((r) => child.once("exit", (code, signal) => r({ code, signal }))),
    started: new Promise((r) => {
      child.on("message", (m: { type?: string }) => {
        if (m.type === "started") r(true);
      });
      child.once("exit", () => r(false));
    }),
  };
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    life.stderr = (life.stderr + s).slice(-4000);
  });
  return life;
};

/** Every device's document loads from the environment (none is corrupt) after a kill. */
const checkEnvironment = (path: string) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const env = yield* makeLmdbFleetStore({ path });
        const problems: string[] = [];
        for (let i = 0; i < DEVICES; i++) {
          const loaded = yield* Effect.either(env.storeFor(durabilityDeviceKey(i)).load);
          if (Either.isLeft(loaded))
            problems.push(`${durabilitySerial(i)}: ${loaded.left.message}`);
        }
        return problems;
      }),
    ),
  );

describe("durability of a fleet: one process of 100 devices SIGKILLed at random instants", () => {
  let dir = "";
  let acs: TestAcsHandle | undefined;
  let current: Life | undefined;
  let entry: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cpekit-fleet-durability-"));
    entry = await bundleChild(dir);
    acs = await startTestAcs({ sessionTimeoutMs: 3000 });
  }, 60_000);

  afterAll(async () => {
    current?.child.kill("SIGKILL");
    await acs?.stop();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it(`§1.5 §1.13 ${KILLS} seeded kills of a ${DEVICES}-device fleet (seed ${SEED}): across all devices no owed M Reboot / M Download CommandKey or TransferComplete is lost, none is delivered again once its acknowledgment was saved, and every device's state loads after every kill`, async () => {
    const server = acs as TestAcsHandle;
    const random = prng(SEED);
    const lmdbPath = join(dir, "fleet");
    const runEnds = new Map<number, RunEnd>();
    const problems: string[] = [];
    let commands = 0;
    let run = 0;
    const start = () => {
      run++;
      current = startLife(entry, {
        lmdbPath,
        acsUrl: server.url,
        count: DEVICES,
        run,
        periodicSeconds: PERIODIC_SECONDS,
        applyDelayMs: 40,
      });
      const life = current;
      void life.exited.then((exit) => {
        if (exit.signal !== "SIGKILL" && !runEnds.has(life.run))
          problems.push(`run ${life.run} exited by itself (${exit.code}): ${life.stderr}`);
      });
      return life;
    };

    const ask = async (index: number, trial: AbortSignal) => {
      const key = durabilityDeviceKey(index);
      const serial = durabilitySerial(index);
      const r = random();
      const calls: CwmpMessage[] = [];
      if (r < 0.6) {
        const commandKey = `dl-${serial}-${++commands}`;
        const url = await server.serveFile(
          `/fw/${serial}/${commandKey}.bin`,
          new TextEncoder().encode(`firmware ${commandKey}`),
        );
        calls.push(download(commandKey, url));
      }
      if (r >= 0.3) calls.push({ _tag: "Reboot", commandKey: `rb-${serial}-${++commands}` });
      for (const c of calls)
        void Effect.runPromise(server.api.call(key, c), { signal: trial }).catch(() => undefined);
    };

    for (let k = 0; k < KILLS; k++) {
      const life = start();
      const up = await Promise.race([life.started, sleep(STARTUP_TIMEOUT_MS).then(() => false)]);
      if (!up) problems.push(`run ${life.run} did not start: ${life.stderr}`);
      const trial = new AbortController();
      // One listener per call of the trial.
      setMaxListeners(4 * ASKED_PER_TRIAL, trial.signal);
      const asked = new Set<number>();
      while (asked.size < ASKED_PER_TRIAL) asked.add(Math.floor(random() * DEVICES));
      for (const i of asked) await ask(i, trial.signal);
      // Somewhere within the next periodic round: sessions, downloads and reboots under way.
      await sleep(Math.floor(1000 + random() * PERIODIC_SECONDS * 1000));
      runEnds.set(life.run, "killed");
      life.child.kill("SIGKILL");
      await life.exited;
      trial.abort();
      problems.push(...(await checkEnvironment(lmdbPath)));
    }

    // Undisturbed: until every device has delivered what it owes and completed two sessions
    // in this run (the first carries what the kills left, the second shows its outcome saved).
    const last = start();
    await Promise.race([last.started, sleep(STARTUP_TIMEOUT_MS)]);
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    const settled = () => {
      const entries = server.transcript.entries();
      return Array.from({ length: DEVICES }, (_, i) => i).every((i) => {
        const exchanges = exchangesOf(entries, durabilityDeviceKey(i));
        const completed = new Set(
          exchanges.filter((x) => x.run === run && x.status === 204).map((x) => x.sessionId),
        );
        return completed.size >= 2 && checkDeliveries(exchanges, runEnds).lost.length === 0;
      });
    };
    while (Date.now() < deadline && !settled()) await sleep(500);
    runEnds.set(last.run, "stopped");
    last.child.kill("SIGTERM");
    await last.exited;

    const entries = server.transcript.entries();
    const reports: DeliveryReport[] = Array.from({ length: DEVICES }, (_, i) =>
      checkDeliveries(exchangesOf(entries, durabilityDeviceKey(i)), runEnds),
    );
    const violations = reports.flatMap((r, i) => [
      ...r.lost.map((x) => `${durabilitySerial(i)} lost ${x}`),
      ...r.duplicates.map((x) => `${durabilitySerial(i)} delivered again ${x}`),
      ...r.unannounced.map((x) => `${durabilitySerial(i)} unannounced ${x}`),
    ]);
    const summary = {
      seed: SEED,
      runs: run,
      rebootsOrdered: reports.reduce((n, r) => n + r.rebootsOrdered.length, 0),
      rebootsOwed: reports.reduce((n, r) => n + r.rebootsOwed.length, 0),
      downloadsAccepted: reports.reduce((n, r) => n + r.downloadsAccepted.length, 0),
      atLeastOnceRepeats: reports.reduce((n, r) => n + r.atLeastOnceRepeats.length, 0),
      rebootsLostBeforeSave: reports.flatMap((r) => r.rebootsLostBeforeSave),
    };
    console.log(`fleet durability summary ${JSON.stringify(summary)}`);
    if (violations.length > 0 || problems.length > 0) {
      const file = join(tmpdir(), `cpekit-fleet-durability-${SEED}-transcript.json`);
      await writeFile(file, server.transcript.toJson());
      console.log(`transcript kept in ${file}`);
    }
    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
    expect(summary.rebootsLostBeforeSave).toEqual([]);
    // The trials did order work: Reboots and Downloads were accepted.
    expect(summary.rebootsOrdered).toBeGreaterThan(0);
    expect(summary.downloadsAccepted).toBeGreaterThan(0);
  }, 600_000);
});
