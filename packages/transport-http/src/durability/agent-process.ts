/**
 * The parent's handle on one agent child process (`agent-child.ts`): start it with its
 * config, learn when it has started and when it exits, and SIGKILL it.
 * @module
 */
import { type ChildProcess, fork } from "node:child_process";
import type { AgentChildConfig, AgentChildReport } from "./agent-child-config.js";

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The tail of its stderr, for failure messages. */
  readonly stderr: string;
}

/** A running agent child. */
export interface AgentProcess {
  readonly run: number;
  /** True once the agent reports it started; false if the process exited first. */
  readonly started: Promise<boolean>;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** Kills the process with SIGKILL (the crash) and waits for its exit. */
  readonly kill: () => Promise<ChildExit>;
  /** Calls `listener` with every report the child sends. */
  readonly onReport: (listener: (report: AgentChildReport) => void) => void;
}

/** How to start the child: a script and the Node options it needs. */
export interface ChildEntry {
  /** The script: `agent-child.ts` (with tsx in `execArgv`) or a bundle of it. */
  readonly path: string;
  readonly execArgv: readonly string[];
}

const STDERR_TAIL = 4000;

/** Forks the agent child with `config` (stdout ignored, stderr kept, IPC for reports). */
export const startAgentProcess = (entry: ChildEntry, config: AgentChildConfig): AgentProcess => {
  const child: ChildProcess = fork(entry.path, [JSON.stringify(config)], {
    execArgv: [...entry.execArgv],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });
  const listeners: ((report: AgentChildReport) => void)[] = [];
  child.on("message", (m) => {
    for (const l of listeners) l(m as AgentChildReport);
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, stderr }));
  });
  const started = new Promise<boolean>((resolve) => {
    listeners.push((r) => {
      if (r.type === "started") resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  return {
    run: config.run,
    started,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
    onReport: (listener) => {
      listeners.push(listener);
    },
  };
};
