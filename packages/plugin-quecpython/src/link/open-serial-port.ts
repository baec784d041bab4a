/**
 * Opens a module's serial port for the bridge link (`BridgeLink.connect({ open })`), failing
 * with a typed error, so a reconnect loop can simply retry until the re-enumerated port is back.
 * @module
 */
import type { SerialPort } from "serialport";
import { BridgeLinkError } from "./bridge-link-error.js";

/**
 * Opens `path` at `baudRate` (nominal on USB CDC; QuecPython tools use 115200). Resolves once
 * the port is open; fails with a `ConnectFailed` {@link BridgeLinkError}.
 */
export const openSerialPort = async (path: string, baudRate = 115_200): Promise<SerialPort> => {
  const failure = (cause: unknown) =>
    new BridgeLinkError({
      reason: "ConnectFailed",
      detail: `${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause,
    });
  // Loaded on use: serialport's native binding costs a process about 15 MB of RSS that a
  // device without a serial module (or a process merely importing this package) never needs.
  let serialport: typeof import("serialport");
  try {
    serialport = await import("serialport");
  } catch (cause) {
    // The native binding could not load.
    throw failure(cause);
  }
  return new Promise((resolve, reject) => {
    try {
      const port: SerialPort = new serialport.SerialPort({ path, baudRate }, (error) => {
        if (error) reject(failure(error));
        else resolve(port);
      });
    } catch (cause) {
      // The options were refused.
      reject(failure(cause));
    }
  });
};
