/**
 * `cpekit quecpython simulate`: a simulated QuecPython module (the generated bridge running in
 * MicroPython/WebAssembly over fake QuecPython modules) whose bridge is served over TCP, one
 * client at a time, as a serial-to-TCP adapter would serve a real module. When the module
 * restarts (a Reboot, a firmware update) the client's connection ends, as a USB port vanishes;
 * the client reconnects once the module is back.
 * @module
 */
import { createServer, type Socket } from "node:net";
import { SimulatedModule } from "@cpekit/plugin-quecpython";
import { Effect } from "effect";
import type { CliIo } from "../cli-io.js";
import { listenForStopSignals } from "../device/stop-signals.js";
import { ExitCode } from "../exit-code.js";

/** Options of `quecpython simulate`. */
export interface SimulateOptions {
  readonly host: string;
  readonly port: string;
}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/** Connects one client to the module's port, both ways, until either side ends. */
const serveClient = async (module: SimulatedModule, socket: Socket, io: CliIo) => {
  await module.whenBooted();
  let port: Awaited<ReturnType<SimulatedModule["open"]>>;
  try {
    port = await module.open();
  } catch (cause) {
    io.err(`refused a client: ${messageOf(cause)}`);
    socket.destroy();
    return;
  }
  socket.pipe(port);
  port.pipe(socket);
  const end = () => {
    socket.destroy();
    port.destroy();
  };
  socket.once("close", end);
  socket.once("error", end);
  port.once("close", end);
  port.once("error", end);
};

/** Runs the simulator until SIGINT/SIGTERM; resolves with the exit code. */
export const simulateModule = async (options: SimulateOptions, io: CliIo): Promise<ExitCode> => {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`cpekit quecpython simulate: --port expects 0-65535, got "${options.port}"`);
    return ExitCode.Usage;
  }
  const program = Effect.scoped(
    Effect.gen(function* () {
      const signals = yield* listenForStopSignals;
      const module = yield* Effect.acquireRelease(
        Effect.tryPromise(() => SimulatedModule.start()),
        (m) => Effect.sync(() => m.close()),
      );
      const server = yield* Effect.acquireRelease(
        Effect.async<ReturnType<typeof createServer>, Error>((resume) => {
          const s = createServer((socket) => {
            void serveClient(module, socket, io);
          });
          s.once("error", (e) => resume(Effect.fail(e)));
          s.listen(port, options.host, () => {
            resume(Effect.succeed(s));
          });
        }),
        (s) =>
          Effect.async<void>((done) => {
            s.close(() => done(Effect.void));
          }),
      );
      const address = server.address();
      const bound = typeof address === "object" && address !== null ? address.port : port;
      io.out(
        `simulated QuecPython module serving its bridge at tcp ${options.host}:${bound} (plugin.options.tcp: "${options.host}:${bound}")`,
      );
      const signal = yield* signals.requested;
      io.out(`${signal}: stopping the simulated module`);
    }),
  );
  const exit = await Effect.runPromise(Effect.either(program));
  if (exit._tag === "Left") {
    io.err(`cpekit quecpython simulate: ${messageOf(exit.left)}`);
    return ExitCode.Failure;
  }
  return ExitCode.Success;
};
