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
  /**
   * Rewrites the status line in place (`""` clears it); present only when standard output is
   * a terminal. Long-running commands (`fleet`) show their progress there.
   */
  readonly status?: (line: string) => void;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
  ...(process.stdout.isTTY
    ? {
        status: (line: string) => {
          // Carriage return and erase-to-end-of-line: the line is rewritten, not appended. It is
          // cut to the terminal's width, as a wrapped line could not be rewritten (some
          // terminals report no width).
          const width = process.stdout.columns > 1 ? process.stdout.columns - 1 : 200;
          process.stdout.write(`\r\x1b[K${line.slice(0, width)}`);
        },
      }
    : {}),
};
