/**
 * Bundles `agent-child.ts` (with the workspace sources, under the `@cpekit/source` condition)
 * into one CommonJS file for plain `node`, with a V8 code cache and a launcher that uses it
 * (`agent-child-launcher.ts`). Why: started through the tsx loader, the child takes seconds
 * to load Effect and the workspace module by module; the durability test starts it after
 * every one of its kills, so it runs a bundle that starts in a fraction of that.
 * @module
 */
import { readFile, writeFile } from "node:fs/promises";
import Module from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { build } from "esbuild";
import type { ChildEntry } from "./agent-process.js";

/** How to start the child from its TypeScript source (through tsx). */
export const agentChildSource: ChildEntry = {
  path: fileURLToPath(new URL("./agent-child.ts", import.meta.url)),
  execArgv: ["--conditions=@cpekit/source", "--import", "tsx"],
};

const bundleOne = (entry: string, outfile: string) =>
  build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["@cpekit/source"],
    minify: true,
    logLevel: "error",
  });

/** Writes the child, its code cache and its launcher into `dir`; returns how to start it. */
export const bundleAgentChild = async (dir: string): Promise<ChildEntry> => {
  const bundle = join(dir, "agent-child.cjs");
  const launcher = join(dir, "agent-child-launcher.cjs");
  await Promise.all([
    bundleOne("./agent-child.ts", bundle),
    bundleOne("./agent-child-launcher.ts", launcher),
  ]);
  // Compiled here exactly as the launcher compiles it (same source, same file name).
  const script = new Script(Module.wrap(await readFile(bundle, "utf8")), { filename: bundle });
  await writeFile(`${bundle}.v8cache`, script.createCachedData());
  return { path: launcher, execArgv: [] };
};
