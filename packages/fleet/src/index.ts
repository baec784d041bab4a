/**
 * `@cpekit/fleet`: many cpekit devices in one process. {@link makeFleet} starts N devices from
 * one description (identities from a serial template, a store per device, one connection-request
 * port with a path per device, a boot ramp, a shard of the index range); {@link VirtualClock}
 * runs a fleet through simulated days in seconds.
 * @module
 */
export * from "./fleet.js";
export * from "./fleet-connection-requests.js";
export * from "./fleet-device.js";
export * from "./fleet-stats.js";
export * from "./periodic-phase.js";
export * from "./profile-mix.js";
export * from "./ramp.js";
export * from "./serial-template.js";
export * from "./session-observer.js";
export * from "./session-slots.js";
export * from "./shard.js";
export * from "./virtual-clock.js";
