/**
 * The `cpekit` command tree (commander): `run`, `fleet`, `demo`, `quecpython`, `conformance` and `help`,
 * with `--help` on each.
 * Usage errors (unknown command or option, missing argument) exit with 2; commander's own
 * `process.exit` is overridden so that every exit goes through {@link runCli}'s result.
 * @module
 */
import { Command, CommanderError } from "commander";
import type { CliIo } from "./cli-io.js";
import { registerDemoCommand } from "./commands/demo-command.js";
import { registerFleetCommand } from "./commands/fleet-command.js";
import { registerHelpCommand } from "./commands/help-command.js";
import { registerQuecPythonCommand } from "./commands/quecpython-command.js";
import { registerRunCommand } from "./commands/run-command.js";
import { registerConformanceCommand } from "./conformance/conformance-command.js";
import { cpekitVersion } from "./cpekit-version.js";
import { ExitCode } from "./exit-code.js";

/** What a command's action reports back: its exit code. */
export type SetExitCode = (code: ExitCode) => void;

/** Builds the command tree; actions report their exit code through `setExitCode`. */
export const makeProgram = (io: CliIo, setExitCode: SetExitCode): Command => {
  const program = new Command("cpekit")
    .description("cpekit: run TR-069 (CWMP) CPE agents, a demo, and module tools")
    .version(cpekitVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    })
    .showHelpAfterError("(run cpekit --help for usage)")
    // Subcommands created below inherit this: usage errors throw instead of exiting.
    .exitOverride();
  registerRunCommand(program, io, setExitCode);
  registerFleetCommand(program, io, setExitCode);
  registerDemoCommand(program, io, setExitCode);
  registerQuecPythonCommand(program, io, setExitCode);
  registerConformanceCommand(program, io, setExitCode);
  registerHelpCommand(program);
  return program;
};

/**
 * Runs the command line `argv` (user arguments only, without `node` and the script) and
 * resolves with the exit code. Never rejects: an unexpected error is printed and gives 1.
 */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<ExitCode> => {
  let code: ExitCode = ExitCode.Success;
  const program = makeProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError)
      // Help and version "errors" carry exit code 0; anything else is a usage error.
      return error.exitCode === 0 ? ExitCode.Success : ExitCode.Usage;
    io.err(
      `cpekit: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return ExitCode.Failure;
  }
};
