/**
 * The `ConnectionRequests` port: authenticated Connection Requests from the ACS
 * (requirements C1-C7), already coalesced into session triggers.
 *
 * Coalescing rule (C5): requests arriving before the triggered session starts give one trigger;
 * requests arriving while a session runs give one trigger after it ends. The consumer reports
 * session boundaries with `setSessionActive`, which is what makes coalescing possible.
 * @module
 */
import { Context, type Effect, type Scope, type Stream } from "effect";

/** One session trigger caused by one or more authenticated Connection Requests. */
export interface ConnectionRequestTrigger {
  /** Epoch milliseconds (from `Clock`) of the request that raised this trigger. */
  readonly receivedAt: number;
}

/** The credentials a Connection Request must prove: `ConnectionRequestUsername` / `Password`. */
export interface ConnectionRequestCredentials {
  readonly username: string;
  readonly password: string;
}

/** Receives Connection Requests. */
export interface ConnectionRequestsService {
  /**
   * Session triggers, one per coalesced group of requests. Meant for ONE consumer (the agent):
   * several subscribers would split the triggers between them.
   */
  readonly triggers: Stream.Stream<ConnectionRequestTrigger>;
  /**
   * The same triggers as plain calls of `listener`, in place of `triggers`, until the scope
   * closes: no fiber waits between requests (a fleet holds thousands of devices, issue 11).
   * Optional; the agent uses it when present. Triggers raised before the call are handed over.
   */
  readonly onTrigger?: (
    listener: (trigger: ConnectionRequestTrigger) => void,
  ) => Effect.Effect<void, never, Scope.Scope>;
  /** The reachable `ManagementServer.ConnectionRequestURL` (never a wildcard address, C1). */
  readonly url: string;
  /**
   * Reports that a session started (`true`: its Inform covers the pending trigger) or ended
   * (`false`: a request received meanwhile now yields a trigger).
   */
  readonly setSessionActive: (active: boolean) => Effect.Effect<void>;
  /**
   * `ManagementServer.HTTPConnectionRequestEnable` (C6): `false` closes the listening socket
   * (no answer at all), `true` listens again on the same address and port, so `url` stays
   * valid. Optional so that servers without a socket (fakes, in-memory) keep working.
   */
  readonly setEnabled?: (enabled: boolean) => Effect.Effect<void>;
}

/** The `ConnectionRequests` port. */
export class ConnectionRequests extends Context.Tag("@cpekit/core/ConnectionRequests")<
  ConnectionRequests,
  ConnectionRequestsService
>() {}
