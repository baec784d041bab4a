/**
 * Where the commands write: standard output for results and logs, standard error for problems.
 * Passed to every command so nothing reaches for `process` on its own.
 * @module
 */

/** The output streams of a command. */
export interface CliIo {
  /** Writes one line to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line to standard error. */
  readonly err: (line: string) => void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};
