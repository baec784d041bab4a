/**
 * Runs the built `cpekit` as a user does (`node apps/cli/dist/main.js run <profile>`), after
 * building it and this example with turbo (a cache hit when CI built them already).
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const exampleDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const repoDir = resolve(exampleDir, "../..");

/** The built CLI and the built plugin module. */
export const cpekitBin = join(repoDir, "apps/cli/dist/main.js");
export const pluginModule = join(exampleDir, "dist/index.js");
export const sampleProfile = join(exampleDir, "sensor.yaml");

/** Builds this example and what it depends on (the CLI among them). */
export const buildExample = (): Promise<void> =>
  new Promise((done, fail) => {
    execFile(
      "npx",
      ["turbo", "run", "build", "--filter=example-device-plugin...", "--output-logs=errors-only"],
      { cwd: repoDir, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
      // tsc emits even when another file fails to typecheck; what matters is the two modules.
      (error, stdout, stderr) =>
        error && !(existsSync(cpekitBin) && existsSync(pluginModule))
          ? fail(new Error(`build failed:\n${stdout}\n${stderr}`))
          : done(),
    );
  });

/** A running `cpekit`. */
export interface CpekitProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** SIGTERM, then the exit code (SIGKILL after `timeoutMs`). */
  readonly stop: (timeoutMs?: number) => Promise<number | null>;
}

/** Starts `cpekit ...args`. */
export const startCpekit = (args: readonly string[]): CpekitProcess => {
  const child = spawn(process.execPath, [cpekitBin, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (output += s));
  const exited = new Promise<number | null>((done) => child.once("close", (code) => done(code)));
  return {
    child,
    output: () => output,
    stop: (timeoutMs = 15_000) => {
      if (child.exitCode === null) child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      return exited.finally(() => clearTimeout(kill));
    },
  };
};
