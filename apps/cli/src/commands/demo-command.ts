/**
 * `cpekit demo`: a tour of the protocol between an in-process test ACS and one device on
 * loopback (no network, no ACS, no hardware), printed as a readable transcript and written as
 * a sequence diagram (`sessions.html`, `sessions.mmd`) with the transcript (`transcript.txt`,
 * `transcript.json`) to `--out`.
 * @module
 */
import type { Command } from "commander";
import { Effect, Either } from "effect";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import { demoDevices } from "../demo/demo-device.js";
import { runDemo } from "../demo/run-demo.js";
import { ExitCode } from "../exit-code.js";

/** Options of `demo`. */
interface DemoCommandOptions {
  readonly out: string;
  readonly device: string;
  readonly stepTimeout: string;
  readonly verbose?: boolean;
}

const demo = async (options: DemoCommandOptions, io: CliIo): Promise<ExitCode> => {
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

/** Adds `demo` to `program`. */
export const registerDemoCommand = (
  program: Command,
  io: CliIo,
  setExitCode: SetExitCode,
): void => {
  program
    .command("demo")
    .description("tour of TR-069 between an in-process ACS and a device, on loopback only")
    .option("-o, --out <dir>", "folder for the sequence diagram and the transcript", "./cpekit-demo")
    .option(
      "--device <name>",
      `device to run (${demoDevices.map((d) => d.name).join(", ")})`,
      "generic",
    )
    .option("--step-timeout <ms>", "bound of every wait of the tour", "10000")
    .option("-v, --verbose", "also print the device's own log with every SOAP envelope")
    .addHelpText(
      "after",
      `
The tour: BOOTSTRAP Inform, GetParameterNames, GetParameterValues, a SetParameterValues that
faults (9003 with a fault per parameter) and one that succeeds, AddObject, a Digest connection
request, a firmware Download with its TransferComplete, a Reboot (1 BOOT + M Reboot), and a
check that the store kept the values across the reboot.

Exit codes: 0 every step passed, 1 a step failed (its name is printed), 2 usage error.`,
    )
    .action(async (options: DemoCommandOptions) => {
      setExitCode(await demo(options, io));
    });
};
