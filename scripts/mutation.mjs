#!/usr/bin/env node
// Mutation testing with StrykerJS over named groups of files (scripts/mutation/groups.mjs).
//
//   pnpm mutation                  list the groups
//   pnpm mutation GROUP...         run the groups, one after another (incremental)
//   pnpm mutation --changed        run only the groups whose files differ from their results
//                                  (--dry-run: only say which), then fail below 90 %
//   pnpm mutation --report         print scores and survivors, rewrite docs/MUTATION.md's table
//   options: --force (re-test every mutant), --concurrency N (default 2, or CPEKIT_MUTATION_CONCURRENCY)
//
// Each group's result is a mutation-testing report kept in git (docs/mutation/GROUP.json). Stryker
// reads it back in incremental mode and re-tests only the mutants whose code or covering tests
// changed. "Changed" compares the working tree with the sources recorded in those results, not
// with a git ref: a fresh clone of main (as CI has) then re-tests exactly what was committed
// without a new result, whatever the history looks like.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { groups, resultFile } from "./mutation/groups.mjs";

const root = new URL("..", import.meta.url).pathname;
process.chdir(root);

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const option = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const force = flag("--force");
const changed = flag("--changed");
const report = flag("--report");
const dryRun = flag("--dry-run");
const concurrency = Number(option("--concurrency") ?? process.env.CPEKIT_MUTATION_CONCURRENCY ?? 2);
// A mutant whose tests outlast this (plus twice their normal time) counts as a timeout, i.e.
// killed: raise it on a loaded machine, where a slow test-file import would pass for a kill.
const timeoutMS = Number(
  option("--timeout-ms") ?? process.env.CPEKIT_MUTATION_TIMEOUT_MS ?? 10_000,
);

const unknown = args.filter((a) => !(a in groups));
if (unknown.length > 0) {
  console.error(
    `unknown group(s): ${unknown.join(", ")}; groups: ${Object.keys(groups).join(", ")}`,
  );
  process.exit(2);
}

/** Files matching `dir/pattern` globs with `*` in the last segment only (all the groups need). */
const expand = (glob) => {
  const dir = dirname(glob);
  const re = new RegExp(
    `^${basename(glob)
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, "[^/]*")}$`,
  );
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .map((f) => join(dir, f));
};
const testFilesOf = (group) => [...new Set(groups[group].tests.flatMap(expand))].sort();

const readResult = (group) =>
  existsSync(resultFile(group)) ? JSON.parse(readFileSync(resultFile(group), "utf8")) : undefined;

/** Report paths are relative to the root in the result files; tolerate absolute ones. */
const rel = (p) => (p.startsWith("/") ? relative(root, p) : p);

/** Why `group` needs a run: its result is missing, or a file's source differs from the result's. */
const staleness = (group) => {
  const result = readResult(group);
  if (result === undefined) return "no result yet";
  const recorded = new Map();
  for (const [p, f] of Object.entries(result.files ?? {})) recorded.set(rel(p), f.source);
  for (const [p, f] of Object.entries(result.testFiles ?? {})) recorded.set(rel(p), f.source);
  for (const file of [...groups[group].mutate, ...testFilesOf(group)]) {
    if (!recorded.has(file)) return `${file} is new`;
    if (readFileSync(file, "utf8") !== recorded.get(file)) return `${file} changed`;
  }
  const present = new Set([...groups[group].mutate, ...testFilesOf(group)]);
  for (const file of recorded.keys()) if (!present.has(file)) return `${file} is gone`;
  return undefined;
};

const run = async (group) => {
  const { Stryker } = await import("@stryker-mutator/core");
  const g = groups[group];
  process.env.CPEKIT_MUTATION_TESTS = JSON.stringify(g.tests);
  console.log(`\n## mutation: ${group} (${g.mutate.join(", ")})\n`);
  const stryker = new Stryker({
    testRunner: "vitest",
    // pnpm does not hoist the runner next to @stryker-mutator/core, so name it by its location.
    plugins: [import.meta.resolve("@stryker-mutator/vitest-runner")],
    vitest: { configFile: "vitest.mutation.config.ts", related: false },
    mutate: g.mutate,
    incremental: true,
    incrementalFile: resultFile(group),
    force,
    concurrency,
    coverageAnalysis: "perTest",
    // The machine is shared and small: be lenient before calling a mutant a timeout.
    timeoutMS,
    timeoutFactor: 2,
    reporters: ["clear-text", "progress-append-only"],
    clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
    thresholds: { high: 90, low: 80, break: null },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    // The sandbox needs the workspace's packages and root configuration only (the bigger
    // packages only for the groups that name them).
    ignorePatterns: [
      "/*",
      "!/packages",
      "!/package.json",
      "!/tsconfig.base.json",
      "!/vitest.config.ts",
      "!/vitest.mutation.config.ts",
      "!/scripts",
      "/packages/*/dist",
      "/packages/*/bench",
      ...["datamodel-tr181", "plugin-quecpython", "acs-testkit"]
        .filter((p) => !(g.packages ?? []).includes(p))
        .map((p) => `/packages/${p}`),
    ],
  });
  await stryker.runMutationTest();
};

const EQUIVALENTS = "docs/mutation/equivalents.json";
const equivalents = () =>
  existsSync(EQUIVALENTS) ? JSON.parse(readFileSync(EQUIVALENTS, "utf8")) : [];

/** The source text a mutant replaced. */
const originalOf = (source, location) => {
  const lines = source.split("\n");
  const { start, end } = location;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...lines.slice(start.line, end.line - 1),
    lines[end.line - 1].slice(0, end.column - 1),
  ].join("\n");
};

const isEquivalent = (list, file, source, m) =>
  list.find(
    (e) =>
      e.file === file &&
      e.mutator === m.mutatorName &&
      e.replacement === m.replacement &&
      e.original === originalOf(source, m.location) &&
      (e.line === undefined || e.line === m.location.start.line),
  );

const summarize = () => {
  const eq = equivalents();
  const rows = [];
  const used = new Set();
  for (const group of Object.keys(groups)) {
    const result = readResult(group);
    if (result === undefined) continue;
    for (const [path, f] of Object.entries(result.files)) {
      const file = rel(path);
      const count = { killed: 0, survived: 0, equivalent: 0, other: 0 };
      const survivors = [];
      const excluded = [];
      for (const m of f.mutants) {
        if (m.status === "Killed" || m.status === "Timeout") count.killed++;
        else if (m.status === "Survived" || m.status === "NoCoverage") {
          const e = isEquivalent(eq, file, f.source, m);
          if (e?.kind === "killed") {
            // Checked by hand: a test fails on it, but the runner reported it surviving.
            count.killed++;
            used.add(e);
            excluded.push({ m, reason: `killed (checked by hand): ${e.reason}` });
          } else if (e) {
            count.equivalent++;
            used.add(e);
            excluded.push({ m, reason: e.reason });
          } else {
            count.survived++;
            survivors.push(m);
          }
        } else count.other++;
      }
      const judged = count.killed + count.survived;
      const score = judged === 0 ? 100 : (100 * count.killed) / judged;
      rows.push({ group, file, ...count, score, survivors, excluded, source: f.source });
    }
  }
  for (const e of eq)
    if (!used.has(e))
      console.log(`note: equivalent entry matches no survivor: ${JSON.stringify(e)}`);
  return rows;
};

const printReport = () => {
  const rows = summarize();
  for (const r of rows) {
    console.log(
      `${r.group.padEnd(22)} ${r.file.padEnd(58)} ${r.score.toFixed(1).padStart(5)} %  killed ${r.killed}, survived ${r.survived}, equivalent ${r.equivalent}`,
    );
    for (const m of r.survivors)
      console.log(
        `    ${m.status} ${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${JSON.stringify(originalOf(r.source, m.location))} -> ${JSON.stringify(m.replacement)}`,
      );
  }
  // The table between the markers of docs/MUTATION.md is generated; the rest is written by hand.
  const doc = "docs/MUTATION.md";
  if (!existsSync(doc)) return;
  const table = [
    "| group | file | killed | survived | equivalent | score (non-equivalent killed) |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.group} | \`${r.file}\` | ${r.killed} | ${r.survived} | ${r.equivalent} | ${r.score.toFixed(1)} % |`,
    ),
  ].join("\n");
  const where = (r, m) =>
    `\`${r.file.split("/").pop()}:${m.location.start.line}\` ${m.mutatorName} \`${originalOf(r.source, m.location).split("\n")[0]}\` → \`${m.replacement.split("\n")[0]}\``;
  const survivors = rows
    .flatMap((r) => [
      ...r.survivors.map((m) => `- open: ${where(r, m)}`),
      ...r.excluded.map(({ m, reason }) => `- ${where(r, m)}: ${reason}`),
    ])
    .join("\n");
  const text = readFileSync(doc, "utf8");
  const next = text
    .replace(/(<!-- scores:begin -->)[\s\S]*?(<!-- scores:end -->)/, `$1\n${table}\n$2`)
    .replace(/(<!-- survivors:begin -->)[\s\S]*?(<!-- survivors:end -->)/, `$1\n${survivors}\n$2`);
  if (next !== text) writeFileSync(doc, next);
};

if (report) {
  printReport();
} else if (changed) {
  // A group without a result has not been started yet: a full run is a deliberate step
  // (`pnpm mutation GROUP`), not something to spring on CI.
  const started = Object.keys(groups).filter((g) => readResult(g) !== undefined);
  for (const g of Object.keys(groups))
    if (!started.includes(g)) console.log(`${g}: no result yet, skipped`);
  const todo = started.filter((g) => {
    const why = staleness(g);
    if (why !== undefined) console.log(`${g}: ${why}`);
    return why !== undefined;
  });
  if (todo.length === 0) console.log("mutation: every group's result matches the working tree");
  if (dryRun) process.exit(0);
  for (const g of todo) await run(g);
  // The gate: every file of a re-tested group keeps at least 90 % of its non-equivalent
  // mutants killed (docs/MUTATION.md).
  const low = summarize().filter((r) => todo.includes(r.group) && r.score < 90);
  for (const r of low) console.log(`mutation: ${r.file} scores ${r.score.toFixed(1)} % (< 90 %)`);
  if (low.length > 0) process.exitCode = 1;
} else if (args.length === 0) {
  for (const [name, g] of Object.entries(groups))
    console.log(
      `${name.padEnd(22)} ${g.mutate.join(", ")}  (${testFilesOf(name).length} test files)`,
    );
} else {
  for (const g of args) await run(g);
}
