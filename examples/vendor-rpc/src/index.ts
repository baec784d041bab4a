/**
 * Example: a vendor RPC (`X_ACME_Ping`) registered and unregistered, and an allow-list of
 * methods. See README.md.
 * @module
 */
export * from "./ping-handler.js";
export * from "./vendor-rpc-agent.js";
