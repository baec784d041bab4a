/**
 * RPC handling: the per-agent registry (dispatcher and GetRPCMethods answer), the handler
 * contract, the built-in handlers and the transfer-manager hooks.
 * @module
 */
export * from "./add-object.js";
export * from "./after-session.js";
export * from "./built-in-handlers.js";
export * from "./delete-object.js";
export * from "./factory-reset.js";
export * from "./get-parameter-attributes.js";
export * from "./get-parameter-names.js";
export * from "./get-parameter-values.js";
export * from "./get-rpc-methods.js";
export * from "./reboot.js";
export * from "./rpc-data-model.js";
export * from "./rpc-handler.js";
export * from "./rpc-registry.js";
export * from "./schedule-inform.js";
export * from "./set-parameter-attributes.js";
export * from "./set-parameter-values.js";
export * from "./transfer-manager.js";
