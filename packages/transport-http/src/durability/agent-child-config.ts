/**
 * What the parent tells one agent child process (`agent-child.ts`): its store, its ACS, its
 * identity and its timing, passed as one JSON argument; and what the child reports back over
 * the IPC channel. Shared by the child, the durability test and the session benchmark.
 * @module
 */
import { Schema } from "effect";

/** The settings of one agent child process. */
export const AgentChildConfig = Schema.Struct({
  /** The JSON file store of the device (kept across runs: the device's flash). */
  storePath: Schema.String,
  acsUrl: Schema.String,
  serialNumber: Schema.String,
  /** Which life of the device this is; sent as the `User-Agent` so the ACS transcript tells runs apart. */
  run: Schema.Int,
  /** `PeriodicInformInterval` in seconds; 0 disables periodic Informs. */
  periodicInformSeconds: Schema.Int,
  /** How long applying a downloaded file takes, in ms (widens the "applying" crash window). */
  applyDelayMs: Schema.Int,
  /**
   * At each start, make one CPE request through `agent.cpeRequests` (Kicked, RequestDownload,
   * AutonomousTransferComplete or GetRPCMethods by turn, keyed by serial and run) and report it
   * once the call returned (it is saved then).
   */
  cpeRequests: Schema.optional(Schema.Boolean),
  /** Keep the device's state in memory instead of the JSON file (the benchmark's comparison). */
  memoryStore: Schema.optional(Schema.Boolean),
  /**
   * Benchmark mode: after `warmup` sessions, run `sessions` back-to-back sessions (each started
   * by an in-process connection request as soon as the previous one ended), report the CPU
   * time they took and exit.
   */
  bench: Schema.optional(Schema.Struct({ warmup: Schema.Int, sessions: Schema.Int })),
});

/** The settings of one agent child process. */
export type AgentChildConfig = typeof AgentChildConfig.Type;

/** What the child sends to its parent over IPC. */
export type AgentChildReport =
  /** The agent is running (its boot Inform is on its way). */
  | { readonly type: "started"; readonly run: number }
  | { readonly type: "sessionEnded"; readonly outcome: "success" | "failure" }
  /** A CPE request was queued (saved); `item` names it as the delivery ledger does. */
  | { readonly type: "cpeRequestQueued"; readonly item: string }
  /** Benchmark figures: CPU microseconds and wall milliseconds for `sessions` sessions. */
  | {
      readonly type: "bench";
      readonly sessions: number;
      readonly userMicros: number;
      readonly systemMicros: number;
      readonly wallMs: number;
    };

/** The child's exit code when the device rebooted (the ACS asked for it); the parent restarts it. */
export const REBOOT_EXIT_CODE = 75;

/** The `User-Agent` of run `run`, and the run read back from one (as the transcript keeps it). */
export const runUserAgent = (run: number): string => `cpekit-durability/run-${run}`;

/** The run number in a `User-Agent` written by {@link runUserAgent}, if it is one. */
export const runOfUserAgent = (userAgent: string | undefined): number | undefined => {
  const match = /^cpekit-durability\/run-(\d+)$/.exec(userAgent ?? "");
  return match?.[1] === undefined ? undefined : Number(match[1]);
};
