/**
 * The fleet's store: the LMDB fleet store (one environment, batched synced commits, only changed
 * sections written) against the JSON file store (one file per device, temp file + fsync +
 * rename per save), for 1,000 and 10,000 devices. Prints, per store and fleet size: saves/s and
 * CPU per save (boot saves of whole documents, then session saves that change the event queue,
 * all devices at once, paced at 200 sessions/s, and one at a time), loads/s, disk and memory
 * per device; and the paced figure with a store that does nothing, the benchmark's own share. CPU is the process's (every thread: lmdb-js commits on a thread of its own).
 * Asserts nothing. The JSON file store runs at 1,000 devices only (10,000 fsynced files is the
 * thing the fleet store replaces, and takes minutes).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StoreDocument, StoreService } from "@cpekit/core";
import { Effect, Exit, Option, Scope } from "effect";
import * as JsonFileStore from "../src/json-file-store.js";
import { makeLmdbFleetStore } from "../src/lmdb-fleet-store.js";

/** A home-gateway-sized document: 300 parameter values, an event queue, no transfer. */
const datamodel = Object.fromEntries(
  Array.from({ length: 300 }, (_, i) => [`Device.Component.${i % 17}.Parameter${i}`, `value-${i}`]),
);
const bootDocument = (d: number): StoreDocument => ({
  datamodel: { ...datamodel, "Device.DeviceInfo.SerialNumber": `CPE${d}` },
  events: { queue: [{ code: "0 BOOTSTRAP", commandKey: "" }], retry: 0 },
  transfers: [],
});
/** A session's save: the data model as booted, the event queue changed. */
const sessionDocument = (boot: StoreDocument, n: number): StoreDocument => ({
  ...boot,
  events: { queue: n % 2 === 0 ? [] : [{ code: "6 CONNECTION REQUEST", commandKey: "" }], n },
});

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Runs `saves` (thunks of effects), `concurrency` at a time; prints saves/s and CPU per save. */
const measure = async (
  label: string,
  jobs: readonly Effect.Effect<unknown, unknown>[],
  concurrency: number | "unbounded",
) => {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await Effect.runPromise(Effect.forEach(jobs, (j) => j, { concurrency, discard: true }));
  const ms = performance.now() - t0;
  const c = cpuMs(cpu);
  console.log(
    `  ${label}: ${jobs.length} in ${ms.toFixed(0)} ms = ${((jobs.length * 1000) / ms).toFixed(0)}/s, CPU ${((c * 1000) / jobs.length).toFixed(0)} µs each`,
  );
};

/** Sessions at `rate` per second for `seconds` (two saves each: event queued, then delivered). */
const paced = async (stores: readonly StoreService[], docs: StoreDocument[], rate: number) => {
  const seconds = 2;
  const sessions = rate * seconds;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; i < sessions; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const d = i % stores.length;
    const store = stores[d] as StoreService;
    const boot = docs[d] as StoreDocument;
    running.push(
      Effect.runPromise(
        Effect.zipRight(
          store.save(sessionDocument(boot, 2 * i + 1)),
          store.save(sessionDocument(boot, 2 * i + 2)),
        ),
      ),
    );
  }
  await Promise.all(running);
  const c = cpuMs(cpu);
  console.log(
    `  paced, ${rate} sessions/s for ${seconds} s (2 saves each): CPU ${((c * 1000) / (2 * sessions)).toFixed(0)} µs per save, ${(c / sessions).toFixed(2)} ms per session, ${(c / ((performance.now() - t0) / 1000) / 10).toFixed(1)} % of one core`,
  );
};

const runStore = async (
  name: string,
  devices: number,
  open: (dir: string) => Effect.Effect<(d: number) => StoreService, unknown, Scope.Scope>,
  diskOf: (dir: string) => { bytes: number; allocated: number },
  only: "all" | "paced" = "all",
) => {
  console.log(`${name}, ${devices} devices`);
  const dir = mkdtempSync(join(tmpdir(), "cpekit-fleet-bench-"));
  const scope = Effect.runSync(Scope.make());
  const docs = Array.from({ length: devices }, (_, d) => bootDocument(d));
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const storeOf = await Effect.runPromise(Scope.extend(open(dir), scope));
  const stores = Array.from({ length: devices }, (_, d) => storeOf(d));

  await measure(
    "boot saves (whole document, all devices at once)",
    stores.map((s, d) => s.save(docs[d] as StoreDocument)),
    "unbounded",
  );
  if (only === "all")
    for (const round of [1, 2])
      await measure(
        `session saves round ${round} (event queue changed, all devices at once)`,
        stores.map((s, d) => s.save(sessionDocument(docs[d] as StoreDocument, round))),
        "unbounded",
      );
  await paced(stores, docs, 200);
  if (only === "all") {
    await measure(
      "one save at a time (each waits for its own sync)",
      Array.from({ length: 200 }, (_, i) =>
        (stores[i % devices] as StoreService).save(
          sessionDocument(docs[i % devices] as StoreDocument, 1000 + i),
        ),
      ),
      1,
    );
    await measure(
      "loads",
      stores.map((s) => s.load),
      1,
    );
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const disk = diskOf(dir);
    console.log(
      `  disk: ${mb(disk.bytes)} (${mb(disk.allocated)} allocated) = ${kb(disk.allocated / devices)} per device`,
    );
    console.log(
      `  memory, store open with every document saved and loaded once: heap +${kb((heapUsed - heap0) / devices)} per device, RSS +${kb((rss - rss0) / devices)} per device (for LMDB mostly the mapped data file's pages, shared with the page cache)`,
    );
  }
  await Effect.runPromise(Scope.close(scope, Exit.void));
  rmSync(dir, { recursive: true, force: true });
};

const fileSizes = (dir: string, files: readonly string[]) =>
  files.reduce(
    (acc, f) => {
      const s = statSync(join(dir, f));
      return { bytes: acc.bytes + s.size, allocated: acc.allocated + s.blocks * 512 };
    },
    { bytes: 0, allocated: 0 },
  );

const lmdb = (dir: string) =>
  Effect.map(
    makeLmdbFleetStore({ path: join(dir, "fleet") }),
    (fleet) => (d: number) => fleet.storeFor(`CPE${d}`),
  );
const lmdbDisk = (dir: string) => fileSizes(join(dir, "fleet"), ["data.mdb"]);

/** Encodes the document as a store must, and keeps nothing. */
const none = () =>
  Effect.succeed(
    (): StoreService => ({
      load: Effect.succeed(Option.none()),
      save: (document) => Effect.sync(() => void JSON.stringify(document)),
    }),
  );
const noDisk = () => ({ bytes: 0, allocated: 0 });

const json = (dir: string) =>
  Effect.succeed((d: number) => Effect.runSync(JsonFileStore.make(join(dir, `CPE${d}.json`))));
const jsonDisk = (dir: string) => fileSizes(dir, readdirSync(dir));

console.log(`Node ${process.version}; CPU figures are for the whole process, all threads.`);
await runStore(
  "no store (the benchmark's own cost: documents, Effect runs, timers)",
  1000,
  none,
  noDisk,
  "paced",
);
await runStore("LMDB fleet store", 1000, lmdb, lmdbDisk);
await runStore("JSON file store", 1000, json, jsonDisk);
await runStore("LMDB fleet store", 10_000, lmdb, lmdbDisk);
