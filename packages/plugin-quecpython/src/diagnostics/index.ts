/**
 * Diagnostics run on a QuecPython module (IPPing with `uping`).
 * @module
 */
export * from "./quecpython-diagnostics.js";
