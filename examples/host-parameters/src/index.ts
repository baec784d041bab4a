/**
 * Example: a parameter provider serving live host values (uptime, memory, a network interface)
 * with a validating setter. See README.md.
 * @module
 */
export * from "./host-parameters-agent.js";
export * from "./host-provider.js";
