/**
 * `@cpekit/plugin-quecpython`: drives Quectel modules that run QuecPython from a host.
 *
 * - `generateBridge` turns the parameter and action map into one MicroPython bridge file;
 * - `BridgeLink` talks to it over any Duplex (serial port, TCP socket, simulator) with framed,
 *   checksummed requests, time-outs, events and reconnection;
 * - `discoverReplPorts` finds the module's REPL port, `deployBridge` uploads and starts the
 *   bridge through the raw REPL;
 * - `SimulatedModule` runs the same bridge in MicroPython (WebAssembly) over fake QuecPython
 *   modules, for tests and fleets without hardware;
 * - `makeQuecPythonSoftwareModules` and `makeQuecPythonDiagnostics` implement core's
 *   SoftwareModules (apps under `/usr/apps`) and Diagnostics (IPPing with `uping`) ports.
 * @module
 */
export * from "./bridge/app-actions.js";
export * from "./bridge/bridge-generate-error.js";
export * from "./bridge/bridge-imports.js";
export * from "./bridge/bridge-map.js";
export { BRIDGE_VERSION } from "./bridge/bridge-runtime.js";
export * from "./bridge/generate-bridge.js";
export * from "./bridge/ping-action.js";
export * from "./config/request-options.js";
export * from "./device/index.js";
export * from "./diagnostics/index.js";
export * from "./handlers/index.js";
export * from "./link/backoff.js";
export * from "./link/bridge-link.js";
export * from "./link/bridge-link-error.js";
export * from "./link/crc16.js";
export * from "./link/discover-ports.js";
export * from "./link/frame.js";
export * from "./link/list-serial-ports.js";
export * from "./link/messages.js";
export * from "./link/open-serial-port.js";
export * from "./repl/fake-repl.js";
export * from "./repl/raw-repl.js";
export * from "./repl/repl-error.js";
export * from "./repl/upload.js";
export * from "./simulator/simulated-module.js";
export * from "./simulator/simulated-port.js";
export * from "./simulator/simulator-error.js";
export * from "./software/index.js";
