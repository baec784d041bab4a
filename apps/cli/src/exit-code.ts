/**
 * The exit codes of `cpekit`, the same for every command.
 * @module
 */

/** Exit codes: 0 success, 1 failure while running, 2 bad usage or bad input (nothing started). */
export const ExitCode = {
  /** The command did what it was asked (`run` stopped by SIGINT/SIGTERM included). */
  Success: 0,
  /** Something failed while running (a device that cannot start, a demo step that failed). */
  Failure: 1,
  /** The command line or a file it names is wrong (unknown command or option, bad profile). */
  Usage: 2,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
