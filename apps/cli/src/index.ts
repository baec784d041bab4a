/**
 * `cpekit`: the command line, and the pieces it is made of for programs that want to run a
 * device profile or the demo themselves.
 * @module
 */
export * from "./cli-io.js";
export * from "./cli-program.js";
export * from "./demo/demo-device.js";
export * from "./demo/demo-error.js";
export type { TourResult } from "./demo/demo-tour.js";
export * from "./demo/run-demo.js";
export * from "./demo/sequence-diagram.js";
export * from "./device/device-event.js";
export * from "./device/device-plugin.js";
export * from "./device/device-spec.js";
export type { TrafficEvent } from "./device/observed-transport.js";
export type { PluginCpeRequests, PluginPendingRequest } from "./device/plugin-cpe-requests.js";
export * from "./device/start-device.js";
export * from "./exit-code.js";
export * from "./fleet/fleet-plan.js";
export * from "./profile/device-profile.js";
export * from "./profile/load-profile.js";
