/**
 * `@cpekit/plugin-quecpython`: drive Quectel QuecPython modules from a cpekit agent.
 * @module
 */
export * from "./config/request-options.js";
