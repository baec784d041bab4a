/**
 * How the host reaches the module's bridge: a serial port (a path, or `auto` discovery by USB
 * ids, with the bridge deployed through the raw REPL on first contact), a TCP socket, or a
 * simulated module. Each gives the `open` function the `BridgeLink` calls at connect and at
 * every reconnect (a module's port vanishes while it restarts).
 * @module
 */
import { connect as tcpConnect } from "node:net";
import type { Duplex } from "node:stream";
import { generateBridge } from "../bridge/generate-bridge.js";
import { discoverReplPorts } from "../link/discover-ports.js";
import { deployBridge } from "../repl/upload.js";
import type { SimulatedModule } from "../simulator/simulated-module.js";
import { QuecPythonDeviceError } from "./quecpython-device-error.js";

/** Where the bridge is. */
export type ModuleEndpoint =
  | { readonly kind: "serial"; readonly port: string; readonly deploy: boolean }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "simulated"; readonly module: SimulatedModule };

/** A way to open the bridge's stream, fresh for each (re)connection. */
export interface ModuleConnection {
  readonly open: () => Promise<Duplex>;
  /** Human-readable description for logs. */
  readonly describe: string;
}

const openSerial = async (path: string): Promise<Duplex> => {
  // Loaded on use: serialport's native binding is heavy (see link/open-serial-port.ts).
  const { SerialPort } = await import("serialport");
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
};

const openTcp = (host: string, port: number): Promise<Duplex> =>
  new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port });
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });

/** The REPL port to use: `path`, or the first one discovered for `auto`. */
const resolvePort = async (path: string): Promise<string> => {
  if (path !== "auto") return path;
  const found = await discoverReplPorts();
  const first = found[0];
  if (first === undefined)
    throw new QuecPythonDeviceError({
      reason: "NoPort",
      detail: "no Quectel REPL port found (USB vendor 0x2C7C)",
    });
  return first.path;
};

/**
 * The connection of `endpoint`. For a serial port with `deploy`, the first open uploads and
 * starts the bridge with a `main.py` hook, so after a restart the module starts it again by
 * itself and later opens only reopen the port (re-discovering it for `auto`: USB ports
 * re-enumerate).
 */
export const moduleConnection = (endpoint: ModuleEndpoint): ModuleConnection => {
  switch (endpoint.kind) {
    case "simulated":
      return { open: () => endpoint.module.open(), describe: "simulated module" };
    case "tcp":
      return {
        open: () => openTcp(endpoint.host, endpoint.port),
        describe: `tcp ${endpoint.host}:${endpoint.port}`,
      };
    case "serial": {
      let deployed = !endpoint.deploy;
      return {
        describe: `serial ${endpoint.port}`,
        open: async () => {
          const stream = await openSerial(await resolvePort(endpoint.port));
          if (deployed) return stream;
          const bridge = generateBridge();
          if (bridge._tag === "Left") throw bridge.left;
          try {
            await deployBridge(stream, bridge.right.source, { installMainHook: true });
          } catch (cause) {
            stream.destroy();
            throw new QuecPythonDeviceError({
              reason: "DeployFailed",
              detail: cause instanceof Error ? cause.message : String(cause),
              cause,
            });
          }
          deployed = true;
          return stream;
        },
      };
    }
  }
};

/** Splits `host:port`. */
export const parseTcpTarget = (target: string): { host: string; port: number } | undefined => {
  const at = target.lastIndexOf(":");
  const port = Number(target.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: target.slice(0, at), port };
};
