/**
 * The agent: the device's life (boot, the persistent Inform event queue, triggers, the retry
 * policy, after-session actions) as an XState machine, and `makeAgent` that wires it to the
 * data model, the RPC registry, the transfers and the ports.
 * @module
 */
export * from "./acs-credentials.js";
export * from "./agent.js";
export * from "./agent.machine.js";
export * from "./agent-config.js";
export * from "./agent-session.js";
export * from "./autonomous-transfer-policy.js";
export * from "./connection-request-credentials.js";
export * from "./connection-request-url.js";
export * from "./cpe-requests.js";
export * from "./device-value.js";
export * from "./device-values.js";
export * from "./effect-clock.js";
export * from "./event-codes.js";
export * from "./event-queue.js";
export * from "./event-queue-store.js";
export * from "./heartbeat-policy.js";
export * from "./heartbeat-session.js";
export * from "./lightweight-notification-message.js";
export * from "./lightweight-notifier.js";
export * from "./management-server-config.js";
export * from "./periodic-schedule.js";
export * from "./reboot-handler.js";
export * from "./retry-policy.js";
export * from "./schedule-inform-handler.js";
export * from "./scheduled-reboot.js";
export * from "./section-store.js";
export * from "./value-change-poll.js";
export * from "./value-change-polls.js";
