/**
 * What `cpekit demo` does (see `commands/demo-command.ts` for the command itself): checks the
 * options, runs the demo and prints where its outputs are.
 * @module
 */
import { Effect, Either } from "effect";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-code.js";
import { demoDevices } from "./demo-device.js";
import { runDemo } from "./run-demo.js";

/** Options of `demo`. */
export interface DemoCommandOptions {
  readonly out: string;
  readonly device: string;
  readonly stepTimeout: string;
  readonly verbose?: boolean;
}

/** Runs the demo with the command's options; resolves with the exit code. */
export const demoMain = async (options: DemoCommandOptions, io: CliIo): Promise<ExitCode> => {
  const device = demoDevices.find((d) => d.name === options.device);
  if (device === undefined) {
    io.err(
      `cpekit demo: --device expects one of ${demoDevices.map((d) => d.name).join(", ")}, got "${options.device}"`,
    );
    return ExitCode.Usage;
  }
  const stepTimeoutMs = Number(options.stepTimeout);
  if (!Number.isInteger(stepTimeoutMs) || stepTimeoutMs <= 0) {
    io.err(`cpekit demo: --step-timeout expects milliseconds, got "${options.stepTimeout}"`);
    return ExitCode.Usage;
  }
  const result = await Effect.runPromise(
    Effect.either(
      runDemo({
        device,
        outDir: options.out,
        stepTimeoutMs,
        verbose: options.verbose === true,
        out: io.out,
      }),
    ),
  );
  if (Either.isLeft(result)) {
    io.err(`cpekit demo: ${result.left.message}`);
    return ExitCode.Failure;
  }
  const { tour, files } = result.right;
  io.out(`demo complete: ${tour.sessions.length} sessions`);
  io.out(`sequence diagram: ${files.html} (Mermaid source ${files.mermaid})`);
  io.out(`transcript: ${files.text}, ${files.json}`);
  return ExitCode.Success;
};
