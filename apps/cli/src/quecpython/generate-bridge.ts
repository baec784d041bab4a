/**
 * `cpekit quecpython generate`: the plugin's generated MicroPython bridge, to a file or to
 * standard output.
 * @module
 */
import { writeFile } from "node:fs/promises";
import { generateBridge } from "@cpekit/plugin-quecpython";
import { Either } from "effect";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-code.js";

/** Options of `quecpython generate`. */
export interface GenerateOptions {
  readonly out?: string;
}

/** Writes the bridge; resolves with the exit code. */
export const generateBridgeFile = async (
  options: GenerateOptions,
  io: CliIo,
): Promise<ExitCode> => {
  const bridge = generateBridge();
  if (Either.isLeft(bridge)) {
    io.err(`cpekit quecpython generate: ${bridge.left.message}`);
    return ExitCode.Failure;
  }
  const { source, bytes, imports } = bridge.right;
  if (options.out === undefined) {
    io.out(source);
    return ExitCode.Success;
  }
  try {
    await writeFile(options.out, source);
  } catch (cause) {
    io.err(`cpekit quecpython generate: cannot write ${options.out}: ${String(cause)}`);
    return ExitCode.Failure;
  }
  io.out(`wrote ${options.out}: ${bytes} bytes, imports ${imports.join(", ")}`);
  return ExitCode.Success;
};
