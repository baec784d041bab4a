/**
 * `cpekit help [command]`: the same text as `--help`, plus the exit codes and examples on the
 * top-level help.
 * @module
 */
import type { Command } from "commander";

const epilogue = `
Exit codes:
  0  success (run: stopped by SIGINT or SIGTERM)
  1  failure while running (a device that cannot start, a demo step that failed)
  2  usage error or bad input: unknown command or option, bad profile (nothing started)

Examples:
  cpekit run ./device.yaml          run the device a profile describes
  cpekit run ./device.yaml -v       the same, printing every SOAP envelope
  cpekit demo --out ./cpekit-demo   tour of the protocol against an in-process ACS`;

/** Adds `help [command]` and the top-level epilogue to `program`. */
export const registerHelpCommand = (program: Command): void => {
  program.helpCommand("help [command]", "show help for a command");
  program.addHelpText("after", epilogue);
};
