/**
 * `cpekit demo`: a tour of the protocol between an in-process test ACS and one device on
 * loopback (no network, no ACS, no hardware), printed as a readable transcript and written as
 * a sequence diagram (`sessions.html`, `sessions.mmd`) with the transcript (`transcript.txt`,
 * `transcript.json`) to `--out`.
 * @module
 */
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import { demoDevices } from "../demo/demo-device.js";
import type { DemoCommandOptions } from "../demo/demo-main.js";

/** Adds `demo` to `program`. */
export const registerDemoCommand = (
  program: Command,
  io: CliIo,
  setExitCode: SetExitCode,
): void => {
  program
    .command("demo")
    .description("tour of TR-069 between an in-process ACS and a device, on loopback only")
    .option(
      "-o, --out <dir>",
      "folder for the sequence diagram and the transcript",
      "./cpekit-demo",
    )
    .option(
      "--device <name>",
      `device to run (${demoDevices.map((d) => d.name).join(", ")})`,
      demoDevices[0]?.name,
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
      // Loaded on use, so that `--help` and usage errors start fast.
      const { demoMain } = await import("../demo/demo-main.js");
      setExitCode(await demoMain(options, io));
    });
};
