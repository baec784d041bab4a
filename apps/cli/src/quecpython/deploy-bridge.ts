/**
 * `cpekit quecpython deploy --port <tty>`: uploads the generated bridge to a module through its
 * raw REPL (`auto` finds the REPL port by Quectel's USB ids) and starts it.
 * @module
 */
import {
  deployBridge,
  discoverReplPorts,
  generateBridge,
  openSerialPort,
} from "@cpekit/plugin-quecpython";
import { Either } from "effect";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-code.js";

/** Options of `quecpython deploy`. */
export interface DeployOptions {
  readonly port: string;
  readonly mainHook?: boolean;
  /** Commander's `--no-start`: false when given. */
  readonly start: boolean;
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** Deploys the bridge; resolves with the exit code. */
export const deployBridgeToPort = async (options: DeployOptions, io: CliIo): Promise<ExitCode> => {
  const fail = (text: string) => {
    io.err(`cpekit quecpython deploy: ${text}`);
    return ExitCode.Failure;
  };
  const bridge = generateBridge();
  if (Either.isLeft(bridge)) return fail(bridge.left.message);
  let path = options.port;
  if (path === "auto") {
    let found: Awaited<ReturnType<typeof discoverReplPorts>>;
    try {
      found = await discoverReplPorts();
    } catch (cause) {
      return fail(`cannot list serial ports: ${messageOf(cause)}`);
    }
    const first = found[0];
    if (first === undefined) return fail("no Quectel REPL port found (give --port <tty>)");
    path = first.path;
  }
  let port: Awaited<ReturnType<typeof openSerialPort>>;
  try {
    port = await openSerialPort(path);
  } catch (cause) {
    return fail(messageOf(cause));
  }
  try {
    await deployBridge(port, bridge.right.source, {
      installMainHook: options.mainHook === true,
      start: options.start,
    });
  } catch (cause) {
    return fail(`${path}: ${messageOf(cause)}`);
  } finally {
    port.close();
  }
  io.out(
    `deployed the bridge (${bridge.right.bytes} bytes) to ${path}${options.mainHook ? " with a main.py hook" : ""}${options.start ? ", started" : ""}`,
  );
  return ExitCode.Success;
};
