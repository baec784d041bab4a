/**
 * One CWMP session: the session machine, its input/output contract and events, and the
 * adapter that runs it over the `AcsTransport` port and the SOAP codec.
 * @module
 */

export * from "./effect-actor.js";
export * from "./effect-exchange.js";
export * from "./run-session.js";
export * from "./scope-finalizer.js";
export * from "./session.machine.js";
export {
  DEFAULT_MAX_RETRY_REQUESTS,
  DEFAULT_SESSION_TIMEOUT,
  MAX_INFORM_EVENTS,
  type SessionContext,
  type SessionFailure,
} from "./session-context.js";
export * from "./session-deps.js";
export * from "./session-events.js";
export * from "./session-exchange.js";
export * from "./session-io.js";
