/**
 * Opens a module's serial port for the bridge link (`BridgeLink.connect({ open })`), failing
 * with a typed error, so a reconnect loop can simply retry until the re-enumerated port is back.
 * @module
 */
import { SerialPort } from "serialport";
import { BridgeLinkError } from "./bridge-link-error.js";

/**
 * Opens `path` at `baudRate` (nominal on USB CDC; QuecPython tools use 115200). Resolves once
 * the port is open; fails with a `ConnectFailed` {@link BridgeLinkError}.
 */
export const openSerialPort = (path: string, baudRate = 115_200): Promise<SerialPort> =>
  new Promise((resolve, reject) => {
    const fail = (cause: unknown) =>
      reject(
        new BridgeLinkError({
          reason: "ConnectFailed",
          detail: `${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
        }),
      );
    try {
      const port: SerialPort = new SerialPort({ path, baudRate }, (error) => {
        if (error) fail(error);
        else resolve(port);
      });
    } catch (cause) {
      // The native binding could not load, or the options were refused.
      fail(cause);
    }
  });
