/**
 * The IP diagnostics of TR-181 `Device.IP.Diagnostics.` (TR-143) on the agent's side: the test
 * objects served to the data model and the runner behind the `Diagnostics` port.
 * @module
 */
export * from "./diagnostic-tests.js";
export * from "./diagnostics-manager.js";
export * from "./diagnostics-time.js";
