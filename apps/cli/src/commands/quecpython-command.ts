/**
 * `cpekit quecpython`: tools for Quectel modules that run QuecPython, from
 * `@cpekit/plugin-quecpython`: `generate` writes the MicroPython bridge, `deploy` uploads and
 * starts it on a module through the raw REPL, `simulate` runs a simulated module and serves
 * its bridge over TCP (for `plugin.options.tcp` of a profile).
 * @module
 */
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import type { DeployOptions } from "../quecpython/deploy-bridge.js";
import type { GenerateOptions } from "../quecpython/generate-bridge.js";
import type { SimulateOptions } from "../quecpython/simulate-module.js";

/** Adds `quecpython generate | deploy | simulate` to `program`. */
export const registerQuecPythonCommand = (
  program: Command,
  io: CliIo,
  setExitCode: SetExitCode,
): void => {
  const quecpython = program
    .command("quecpython")
    .description("QuecPython module tools: generate, deploy or simulate the bridge");
  // Implementations are loaded on use, so that `--help` and usage errors start fast.
  quecpython
    .command("generate")
    .description("write the MicroPython bridge the agent talks to")
    .option("-o, --out <file>", "file to write (standard output when omitted)")
    .action(async (options: GenerateOptions) => {
      const { generateBridgeFile } = await import("../quecpython/generate-bridge.js");
      setExitCode(await generateBridgeFile(options, io));
    });
  quecpython
    .command("deploy")
    .description("upload the bridge to a module through its raw REPL and start it")
    .requiredOption("--port <tty>", "the module's REPL serial port, or auto to find it")
    .option("--main-hook", "also write /usr/main.py so the module starts the bridge at boot")
    .option("--no-start", "upload only, do not start the bridge")
    .action(async (options: DeployOptions) => {
      const { deployBridgeToPort } = await import("../quecpython/deploy-bridge.js");
      setExitCode(await deployBridgeToPort(options, io));
    });
  quecpython
    .command("simulate")
    .description("run a simulated module (MicroPython/WebAssembly) serving its bridge over TCP")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--port <n>", "TCP port (0: any free port)", "0")
    .addHelpText(
      "after",
      `
Runs until SIGINT or SIGTERM. Point a profile at it with
  plugin: { name: quecpython, options: { tcp: "127.0.0.1:<port>" } }`,
    )
    .action(async (options: SimulateOptions) => {
      const { simulateModule } = await import("../quecpython/simulate-module.js");
      setExitCode(await simulateModule(options, io));
    });
};
