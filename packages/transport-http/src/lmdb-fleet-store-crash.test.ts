import { type ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Effect, Option } from "effect";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { makeLmdbFleetStore } from "./lmdb-fleet-store.js";
import {
  type StormAck,
  type StormConfig,
  stormDeviceKey,
  stormSeqOf,
} from "./test-support/fleet-store-storm.js";

/** Replay a run's kill points with `FLEET_STORE_SEED=<seed>`. */
const SEED = Number(process.env.FLEET_STORE_SEED ?? 20261207);
const DEVICES = 40;
const KILLS = 3;
/** A child that nobody kills stops after this many saves; the test fails then (no kill landed). */
const MAX_SAVES = 50_000;
/** The longest wait for a child to start or to reach its kill point. */
const WAIT_MS = 30_000;

const childEntry = fileURLToPath(
  new URL("./test-support/fleet-store-storm-child.ts", import.meta.url),
);

const dir = mkdtempSync(join(tmpdir(), "cpekit-fleet-crash-"));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts a storm child, waits until it has acknowledged `killAfter` saves, SIGKILLs it and
 * returns the last sequence number acknowledged for each device.
 */
const stormThenKill = async (config: StormConfig, killAfter: number): Promise<number[]> => {
  const acked = new Array<number>(config.devices).fill(0);
  const child = fork(childEntry, [JSON.stringify(config)], {
    execArgv: ["--conditions=@cpekit/source", "--import", "tsx"],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  children.add(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    stderr = (stderr + c).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      let count = 0;
      const timer = setTimeout(
        () => reject(new Error(`no kill point in time: ${stderr}`)),
        WAIT_MS,
      );
      child.on("message", (m: StormAck) => {
        if (m.device < 0) return;
        acked[m.device] = Math.max(acked[m.device] ?? 0, m.seq);
        if (++count === killAfter) {
          clearTimeout(timer);
          child.kill("SIGKILL");
          resolve();
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`the child exited before its kill point: ${stderr}`));
      });
    });
  } finally {
    child.kill("SIGKILL");
    await exited;
    children.delete(child);
  }
  return acked;
};

/** The save number of each device's stored document; fails on a document that is a mix. */
const storedSeqs = (path: string, devices: number) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* makeLmdbFleetStore({ path });
        const seqs: (number | "mixed")[] = [];
        for (let d = 0; d < devices; d++) {
          const loaded = yield* store.storeFor(stormDeviceKey(d)).load;
          seqs.push(
            Option.match(loaded, {
              onNone: () => 0,
              onSome: (doc) => stormSeqOf(d, doc) ?? "mixed",
            }),
          );
        }
        return seqs;
      }),
    ),
  );

describe("LMDB fleet store: SIGKILL during a storm of saves", () => {
  it(`§1.5 §1.13 ${KILLS} kills of ${DEVICES} devices saving at once (seed ${SEED}): every acknowledged save is there after reopening, and no document is a mix of two saves`, async () => {
    const path = join(dir, "fleet");
    const killPoints = fc.sample(fc.integer({ min: 100, max: 1500 }), {
      seed: SEED,
      numRuns: KILLS,
    });
    const floor = new Array<number>(DEVICES).fill(0);
    for (const killAfter of killPoints) {
      const acked = await stormThenKill({ path, devices: DEVICES, maxSaves: MAX_SAVES }, killAfter);
      const stored = await storedSeqs(path, DEVICES);
      const lost = stored.flatMap((s, d) => {
        const owed = Math.max(acked[d] ?? 0, floor[d] ?? 0);
        return s === "mixed" || s < owed ? [`device ${d}: stored ${s}, acknowledged ${owed}`] : [];
      });
      expect(lost).toEqual([]);
      // The next run starts from what is stored, and may never go below it.
      stored.forEach((s, d) => {
        floor[d] = s as number;
      });
    }
    // The storm reached every device: the kills did land during saves of all of them.
    expect(floor.every((s) => s > 0)).toBe(true);
  }, 120_000);
});
