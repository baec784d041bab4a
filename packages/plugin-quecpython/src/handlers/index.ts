/**
 * Quectel-style RPC handlers: a handler table over cpekit's registry and the request/response
 * shapes of Quectel's QuecPython TR-069 client.
 * @module
 */
export * from "./quectel-element.js";
export * from "./quectel-handlers.js";
