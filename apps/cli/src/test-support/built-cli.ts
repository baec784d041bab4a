/**
 * The built `cpekit` binary for tests that run it as a user would: builds it (and the packages
 * it depends on) when `dist/` is missing or older than a source file, then spawns
 * `node dist/main.js ...` with bounded waits.
 * @module
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const repoDir = resolve(cliDir, "../..");
/** The bin. */
export const mainJs = join(cliDir, "dist/main.js");

/** The packages the bin runs from their dist/ (the CLI and its workspace dependencies). */
const packageDirs = [
  cliDir,
  ...["core", "transport-http", "datamodel-tr181", "acs-testkit", "plugin-quecpython", "fleet"].map(
    (p) => join(repoDir, "packages", p),
  ),
];

const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "test-support") newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
};

const isStale = (pkg: string): boolean => {
  const built = join(pkg, "dist/index.js");
  return !existsSync(built) || statSync(built).mtimeMs < newestSource(join(pkg, "src"));
};

/**
 * Builds the CLI and its dependencies when any of them is stale (CI builds first, so this is
 * usually a no-op). Rejects with the build's output when the build fails and left no bin.
 */
export const ensureBuilt = async (): Promise<void> => {
  if (existsSync(mainJs) && !packageDirs.some(isStale)) return;
  await new Promise<void>((done, fail) => {
    execFile(
      "npx",
      ["turbo", "run", "build", "--filter=cpekit...", "--output-logs=errors-only"],
      { cwd: repoDir, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // tsc emits even when another file fails to typecheck; what matters here is the bin.
        if (error && !existsSync(mainJs)) fail(new Error(`build failed:\n${stdout}\n${stderr}`));
        else done();
      },
    );
  });
};

/** What a finished run printed and how it exited. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `cpekit` process. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything printed to stdout so far. */
  readonly stdout: () => string;
  /** Resolves when stdout contains `text`; rejects after `timeoutMs`. */
  readonly waitForOutput: (text: string, timeoutMs: number) => Promise<void>;
  /** Resolves when the process exits; kills it and rejects after `timeoutMs`. */
  readonly exited: (timeoutMs: number) => Promise<CliResult>;
}

/** Starts `node dist/main.js ...args` in `cwd`. */
export const startCli = (args: readonly string[], cwd: string = cliDir): CliProcess => {
  const child = spawn(process.execPath, [mainJs, ...args], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const exit = new Promise<CliResult>((done) => {
    child.once("close", (code, signal) => done({ code, signal, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    waitForOutput: async (text, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!stdout.includes(text)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no "${text}" in the output:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exited: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<CliResult>((_, fail) =>
          setTimeout(() => {
            child.kill("SIGKILL");
            fail(
              new Error(
                `cpekit ${args.join(" ")} still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`,
              ),
            );
          }, timeoutMs).unref(),
        ),
      ]),
  };
};

/** Runs `node dist/main.js ...args` to its end (killed after `timeoutMs`). */
export const runBuiltCli = (
  args: readonly string[],
  options: { readonly cwd?: string; readonly timeoutMs?: number } = {},
): Promise<CliResult> => startCli(args, options.cwd).exited(options.timeoutMs ?? 20_000);
