#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (`node --cpu-prof`) by self time per package, per file and per
// function, so a profile of `cpekit run` can be read as "how much of a session goes where".
//
//   node scripts/cpuprofile-summary.mjs <file.cpuprofile> [--skip <ms>] [--per <n>] [--top <n>]
//
// --skip ignores the first <ms> of the profile (start-up); --per divides every figure by <n>
// (sessions) and prints ms per session; --top limits the per-file and per-function lists.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const file = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
if (file === undefined) {
  console.error("usage: cpuprofile-summary.mjs <file.cpuprofile> [--skip ms] [--per n] [--top n]");
  process.exit(2);
}
const skipUs = option("--skip", 0) * 1000;
const per = option("--per", 1);
const top = option("--top", 25);

const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  // A sample's delta is the time since the previous one: it is charged to this sample's node.
  if (t - profile.startTime < skipUs) continue;
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

/** The package a script belongs to: `effect`, `xstate`, `@cpekit/core`, `node:*`, ... */
const packageOf = (url, name) => {
  if (url === "") return name.startsWith("(") ? name : "(native / V8 builtins)";
  if (url.startsWith("node:")) return "node:internal";
  const nm = url.lastIndexOf("/node_modules/");
  if (nm !== -1) {
    const rest = url.slice(nm + 14).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const ws = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ws !== null) return `cpekit/${ws[2]}`;
  return url;
};
const fileOf = (url) => {
  const nm = url.lastIndexOf("/node_modules/");
  if (nm !== -1) return url.slice(nm + 14);
  const ws = /\/((packages|apps)\/.*)$/.exec(url);
  return ws === null ? url || "(none)" : ws[1];
};

const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const byPackage = new Map();
const byFile = new Map();
const byFunction = new Map();
let total = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  const { url, functionName, lineNumber } = callFrame;
  total += us;
  if (functionName === "(idle)") continue;
  add(byPackage, packageOf(url, functionName), us);
  add(byFile, fileOf(url) || functionName, us);
  add(byFunction, `${functionName || "(anonymous)"} ${fileOf(url)}:${lineNumber + 1}`, us);
}
const idle = [...selfUs].reduce(
  (s, [id, us]) => (byId.get(id).callFrame.functionName === "(idle)" ? s + us : s),
  0,
);
const unit = per === 1 ? "ms" : "ms/session";
const fmt = (us) => (us / 1000 / per).toFixed(3).padStart(10);
const show = (title, map, limit) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit))
    console.log(
      `${fmt(us)} ${unit}  ${((100 * us) / (total - idle)).toFixed(1).padStart(5)} %  ${k}`,
    );
};
console.log(
  `${file}: ${(total / 1000).toFixed(0)} ms sampled after the first ${skipUs / 1000} ms, ${(idle / 1000).toFixed(0)} ms idle, busy ${fmt(total - idle)} ${unit}`,
);
show("self time by package", byPackage, 40);
show("self time by file", byFile, top);
show("self time by function", byFunction, top);
