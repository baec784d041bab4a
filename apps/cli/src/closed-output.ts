/**
 * A closed standard output (`cpekit run --help | head -2`, a pager quit early) ends the command
 * quietly with exit 0, as other Unix tools end, instead of an unhandled EPIPE stack trace. A
 * closed standard error is ignored: there is no one left to tell. Any other stream error is
 * rethrown, so it still surfaces.
 * @module
 */

/** The streams and the exit a command runs with (the process's own by default). */
export interface OutputStreams {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly exit: (code: number) => void;
}

const isClosedPipe = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === "EPIPE";

/** Installs the handlers on `streams` (default: `process`). */
export const endQuietlyOnClosedOutput = (
  streams: OutputStreams = {
    stdout: process.stdout,
    stderr: process.stderr,
    exit: (code) => process.exit(code),
  },
): void => {
  streams.stdout.on("error", (error: unknown) => {
    if (!isClosedPipe(error)) throw error;
    streams.exit(0);
  });
  streams.stderr.on("error", (error: unknown) => {
    if (!isClosedPipe(error)) throw error;
  });
};
