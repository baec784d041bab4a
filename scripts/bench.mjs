#!/usr/bin/env node
// Runs every package's benchmark scripts (packages/*/bench/*.bench.ts, apps/*/bench/*.bench.ts)
// one after another, each in its own Node process so heap figures do not mix.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const only = process.argv.slice(2);
const files = [];
for (const group of ["packages", "apps"]) {
  for (const pkg of readdirSync(join(root, group))) {
    const dir = join(root, group, pkg, "bench");
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith(".bench.ts")) files.push(join(dir, f));
    }
  }
}
// `pnpm bench fleet` runs fleet.bench.ts alone; a name that is no benchmark's exact name picks
// every benchmark whose file name contains it (`pnpm bench store`).
const exact = files.filter((f) => only.some((o) => f.endsWith(`/${o}.bench.ts`)));
const chosen =
  only.length === 0
    ? files
    : exact.length > 0
      ? exact
      : files.filter((f) => only.some((o) => f.slice(f.lastIndexOf("/")).includes(o)));
files.splice(0, files.length, ...chosen);
let failed = 0;
for (const file of files) {
  console.log(`\n## ${file.slice(root.length)}\n`);
  const r = spawnSync(
    process.execPath,
    ["--conditions=@cpekit/source", "--expose-gc", "--import", "tsx", file],
    { stdio: "inherit", cwd: root },
  );
  if (r.status !== 0) failed++;
}
if (files.length === 0) console.log("no benchmarks found");
process.exit(failed ? 1 : 0);
