/**
 * The ports of cpekit: the services core needs from the world, implemented elsewhere.
 * @module
 */
export * from "./acs-transport.js";
export * from "./connection-requests.js";
export * from "./device-actions.js";
export * from "./diagnostics.js";
export * from "./file-transfer.js";
export * from "./lightweight-notification-sink.js";
export * from "./parameter-provider.js";
export * from "./software-modules.js";
export * from "./store.js";
