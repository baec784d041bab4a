/**
 * `@cpekit/core`: the protocol and agent logic of a TR-069 (CWMP) CPE agent.
 * No sockets and no files here: I/O lives behind the ports, implemented in sibling packages.
 * @module
 */

export * from "./agent/index.js";
export * from "./cwmp/fault.js";
export * from "./cwmp/structs.js";
export * from "./cwmp/value.js";
export * from "./datamodel/index.js";
export * from "./datamodel/schema.js";
export * from "./diagnostics/index.js";
export * from "./ports/index.js";
export * from "./rpc/index.js";
export * from "./session/index.js";
export * from "./soap/index.js";
export * from "./software-modules/index.js";
export * from "./transfers/index.js";
