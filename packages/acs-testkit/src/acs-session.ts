/**
 * One CWMP session as the ACS holds it, from the CPE's Inform to the final 204 (or its
 * failure), and the summary scripts receive when it ends ({@link SessionRecord}).
 * @module
 */
import type { CwmpMessage, CwmpVersion, Inform, SoapHeader } from "@cpekit/core";
import type { Deferred, Fiber } from "effect";
import type { SessionFault } from "./fault-injection.js";
import type { Negotiation } from "./quirk-profile.js";
import type { PendingCall } from "./rpc-queue.js";

/** How a session ended. */
export type SessionOutcome =
  /** The ACS sent its final 204 (H3). */
  | "completed"
  /** The CPE stayed silent longer than the session timeout. */
  | "timedOut"
  /** The CPE started another session (new Inform) before this one ended. */
  | "superseded"
  /** The ACS stopped while the session was open. */
  | "stopped";

/** The CPE's Inform as received, with what the ACS settled from it. */
export interface InformRecord {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly inform: Inform;
  readonly header: SoapHeader;
  /** The version the ACS settled (per its profile). */
  readonly version: CwmpVersion;
  /** The namespace the ACS answers in. */
  readonly namespaceUri: string;
  /** The cwmp namespace the CPE wrote. */
  readonly cpeNamespaceUri: string | undefined;
  readonly receivedAt: string;
}

/** One RPC the ACS sent in a session and what came back. */
export interface AcsRequestRecord {
  readonly id: string;
  readonly request: CwmpMessage;
  /** The CPE's response or Fault; absent if the session ended first. */
  readonly response?: CwmpMessage;
}

/** A session, summarised when it ends (what `nextSession` yields). */
export interface SessionRecord {
  readonly sessionId: string;
  readonly deviceId: string;
  readonly inform: InformRecord;
  readonly outcome: SessionOutcome;
  readonly startedAt: string;
  readonly endedAt: string;
  /** CPE requests after the Inform (TransferComplete, GetRPCMethods, ...), in order. */
  readonly cpeRequests: readonly CwmpMessage[];
  readonly acsRequests: readonly AcsRequestRecord[];
  /** Protocol rules the CPE broke, each naming the requirement (e.g. "V4: ..."). */
  readonly violations: readonly string[];
  /** HTTP requests the session took (Inform included). */
  readonly httpRequests: number;
  /** TCP connections the session used (more than one: resumed by cookie, H6). */
  readonly connections: readonly number[];
}

/** Where the session stands (H1-H3). */
export type SessionStage = "cpeRequests" | "acsRequests";

/** The mutable state of one open session (held by the endpoint, one per session). */
export class AcsSession {
  stage: SessionStage = "cpeRequests";
  /** The RPC sent and not yet answered. */
  outstanding:
    | { readonly id: string; readonly call: PendingCall; readonly index: number }
    | undefined;
  /** Whether the last envelope the ACS sent carried HoldRequests=true (V5). */
  holdRequests = false;
  readonly cpeRequests: CwmpMessage[] = [];
  readonly acsRequests: AcsRequestRecord[] = [];
  readonly violations: string[] = [];
  readonly connections: number[] = [];
  readonly authenticatedConnections = new Set<number>();
  httpRequests = 0;
  timer: Fiber.RuntimeFiber<void> | undefined;
  /** Completed when a call is queued while the session is held open (`neverEnd`). */
  wake: Deferred.Deferred<void> | undefined;

  constructor(
    readonly id: string,
    readonly deviceId: string,
    readonly inform: InformRecord,
    readonly negotiation: Negotiation,
    /** Session-scoped faults, applied to each matching request of the session. */
    readonly faults: readonly SessionFault[],
    readonly startedAt: Date,
  ) {}

  /** Notes that a request arrived on `connection`. */
  touch(connection: number): void {
    this.httpRequests++;
    if (!this.connections.includes(connection)) this.connections.push(connection);
  }

  /** The summary of the session, ended now with `outcome`. */
  record(outcome: SessionOutcome, endedAt: Date): SessionRecord {
    return {
      sessionId: this.id,
      deviceId: this.deviceId,
      inform: this.inform,
      outcome,
      startedAt: this.startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      cpeRequests: [...this.cpeRequests],
      acsRequests: [...this.acsRequests],
      violations: [...this.violations],
      httpRequests: this.httpRequests,
      connections: [...this.connections],
    };
  }
}
