/**
 * Bundles `agent-child.ts` (with the workspace sources, under the `@cpekit/source` condition)
 * into one CommonJS file for plain `node`. Why: started through the tsx loader, the child
 * takes seconds to load Effect and the workspace module by module; the durability test starts
 * it after every one of its kills, so it runs a bundle that loads in a fraction of that.
 * @module
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { ChildEntry } from "./agent-process.js";

/** How to start the child from its TypeScript source (through tsx). */
export const agentChildSource: ChildEntry = {
  path: fileURLToPath(new URL("./agent-child.ts", import.meta.url)),
  execArgv: ["--conditions=@cpekit/source", "--import", "tsx"],
};

/** Writes the child as one file at `outfile` and returns how to start it. */
export const bundleAgentChild = async (outfile: string): Promise<ChildEntry> => {
  await build({
    entryPoints: [agentChildSource.path],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["@cpekit/source"],
    minify: true,
    logLevel: "error",
  });
  return { path: outfile, execArgv: [] };
};
