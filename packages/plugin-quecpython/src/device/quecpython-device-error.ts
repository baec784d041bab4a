/**
 * The typed error of starting a QuecPython device.
 * @module
 */
import { Data } from "effect";

/**
 * Why the device could not start:
 * - `BadOptions`: the plugin options are malformed (not exactly one of port / tcp / simulate, ...);
 * - `NoPort`: `port: "auto"` found no Quectel REPL port;
 * - `ConnectFailed`: the port, socket or simulator could not be opened, or the bridge did not answer;
 * - `DeployFailed`: uploading or starting the bridge through the raw REPL failed;
 * - `IdentityUnreadable`: the module did not give its IMEI (needed for the DeviceId).
 */
export type QuecPythonDeviceErrorReason =
  | "BadOptions"
  | "NoPort"
  | "ConnectFailed"
  | "DeployFailed"
  | "IdentityUnreadable";

/** A QuecPython device that could not start. */
export class QuecPythonDeviceError extends Data.TaggedError("QuecPythonDeviceError")<{
  readonly reason: QuecPythonDeviceErrorReason;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `quecpython device ${this.reason}: ${this.detail}`;
  }
}
