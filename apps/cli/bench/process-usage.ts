/**
 * CPU time and memory of another process, read from Linux's /proc: what the CPE side of a
 * benchmark costs, measured from outside so the CPE runs exactly as shipped.
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";

/** CPU and memory of one process at one instant. */
export interface ProcessUsage {
  /** Nanoseconds on CPU, summed over every thread (`/proc/<pid>/task/<tid>/schedstat`). */
  readonly cpuNs: number;
  /** utime + stime in clock ticks (`/proc/<pid>/stat`, 10 ms each): a coarse cross-check. */
  readonly ticks: number;
  /** Resident set size now, bytes. */
  readonly rssBytes: number;
  /** Peak resident set size, bytes (VmHWM). */
  readonly peakRssBytes: number;
  /** Proportional set size, bytes (shared pages split among their users). */
  readonly pssBytes: number;
}

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux). */
export const TICKS_PER_SECOND = 100;

const statusKb = (status: string, field: string): number => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m === null ? 0 : Number(m[1]) * 1024;
};

/** Reads `pid`'s usage; throws when the process is gone or /proc is missing (not Linux). */
export const processUsage = (pid: number): ProcessUsage => {
  let cpuNs = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      cpuNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended between the listing and the read: its time is in the process's.
    }
  }
  // Fields after the command name, which may itself hold spaces: utime and stime are 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  let pssBytes = 0;
  try {
    pssBytes = statusKb(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
  } catch {
    // Older kernels have no smaps_rollup; PSS is then reported as 0.
  }
  return {
    cpuNs,
    ticks,
    rssBytes: statusKb(status, "VmRSS"),
    peakRssBytes: statusKb(status, "VmHWM"),
    pssBytes,
  };
};
