#!/usr/bin/env node
// Compares builds of the CLI on the one-device session benchmark (`pnpm bench fleet`, the
// home-gateway profile): runs them alternately, seconds apart, so that a shared machine's load
// falls on every build alike, and prints each build's median CPU per session.
//
//   node scripts/bench-ab.mjs [--runs N] [--sessions N] [--warmup N] NAME=path/to/main.js ...
//
// A build to compare is a copy of `apps/cli/dist` kept inside `apps/cli` (the bundle resolves
// its native packages from there), e.g. `cp -r apps/cli/dist apps/cli/.ab/before` before a
// change, then `node scripts/bench-ab.mjs before=apps/cli/.ab/before/main.js
// after=apps/cli/dist/main.js` after rebuilding.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const runs = option("--runs", 4);
const sessions = option("--sessions", 1000);
const warmup = option("--warmup", 50);
const builds = args
  .filter((a) => a.includes("="))
  .map((a) => {
    const [name, path] = a.split("=");
    return { name, main: resolve(path) };
  });
if (builds.length < 2) {
  console.error(
    "usage: bench-ab.mjs [--runs N] [--sessions N] [--warmup N] NAME=main.js NAME=main.js ...",
  );
  process.exit(2);
}

const root = new URL("..", import.meta.url).pathname;
const figures = new Map(builds.map((b) => [b.name, []]));
for (let run = 1; run <= runs; run++) {
  for (const build of builds) {
    const r = spawnSync(process.execPath, ["scripts/bench.mjs", "fleet"], {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        BENCH_CLI_MAIN: build.main,
        BENCH_PROFILES: "home-gateway",
        BENCH_FLEET_COUNT: "0",
        BENCH_SESSIONS: String(sessions),
        BENCH_WARMUP: String(warmup),
      },
    });
    const ms = /CPE CPU per session\s+([\d.]+) ms/.exec(r.stdout)?.[1];
    if (ms === undefined) {
      console.error(`${build.name}: the benchmark printed no figure\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    figures.get(build.name).push(Number(ms));
    console.log(`run ${run} ${build.name}: ${ms} ms per session`);
  }
}
for (const [name, list] of figures) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${name}: median ${median.toFixed(3)} ms (${sorted.join(" ")})`);
}
