/**
 * What the session machine remembers between messages (its context) and what it derives from it:
 * the first context from the agent's input, the envelopes it posts, the failure an event means,
 * and the output it reports. Pure functions only; the machine wires them to its transitions.
 * @module
 */
import type { AfterSession } from "../rpc/after-session.js";
import { noAfterSession } from "../rpc/after-session.js";
import type { CwmpMessage, CwmpVersion, Envelope, SoapHeader } from "../soap/messages.js";
import type { SessionDeps } from "./session-deps.js";
import type { SessionEvent } from "./session-events.js";
import type { SessionExchange } from "./session-exchange.js";
import {
  cwmpVersions,
  type InformContent,
  type QueuedCpeRequest,
  type RejectedCpeRequest,
  type SessionFailureReason,
  type SessionInput,
  type SessionOutput,
} from "./session-io.js";

/** Default seconds to wait for an ACS message (GenieACS's own default is 30 s too). */
export const DEFAULT_SESSION_TIMEOUT = 30;
/** Default bound on resends after fault 8005 (easycwmp uses 10). */
export const DEFAULT_MAX_RETRY_REQUESTS = 10;
/** Most events one Inform may carry (XSD `EventStruct` maxOccurs). */
export const MAX_INFORM_EVENTS = 64;

/** Why and how the session failed. */
export interface SessionFailure {
  readonly reason: SessionFailureReason;
  readonly detail: string;
  readonly faultCode?: number;
  readonly retryAfter?: number;
}

/** The machine's context: what the session must remember between messages, nothing else. */
export interface SessionContext {
  readonly inform: InformContent;
  readonly queue: readonly QueuedCpeRequest[];
  readonly supportedVersions: readonly CwmpVersion[];
  readonly maxRetryRequests: number;
  /** The version of every envelope sent from now on. */
  readonly version: CwmpVersion;
  /** Seconds to wait for each ACS message. */
  readonly sessionTimeout: number;
  /** HoldRequests of the ACS's last message (V5). */
  readonly holdRequests: boolean;
  /** Index in `queue` of the CPE request to send next. */
  readonly next: number;
  /** Resends of the current CPE request after fault 8005. */
  readonly retries: number;
  /** CPE-originated messages sent so far; numbers their `cwmp:ID`. */
  readonly sent: number;
  /** The ACS request being answered. */
  readonly acsRequest?: { readonly header: SoapHeader; readonly request: CwmpMessage };
  /** The answer to `acsRequest`, once ready. */
  readonly cpeResponse?: CwmpMessage;
  readonly informDelivered: boolean;
  readonly delivered: readonly string[];
  readonly cpeResponses: Readonly<Record<string, CwmpMessage>>;
  readonly rejected: readonly RejectedCpeRequest[];
  readonly afterSession: AfterSession;
  readonly failure?: SessionFailure;
  /** The session's dependencies, for the exchanges' inputs; never part of the output. */
  readonly deps?: SessionDeps;
  /** The session's I/O ({@link SessionInput.exchange}); never part of the output. */
  readonly exchange?: SessionExchange;
}

/** Position of a version in {@link cwmpVersions} (higher is newer). */
export const versionRank = (version: CwmpVersion): number => cwmpVersions.indexOf(version);

/** Reads `UseCWMPVersion` (V7); `undefined` when absent, `null` when not a version we speak. */
export const usedVersion = (
  header: SoapHeader,
  supported: readonly CwmpVersion[],
): CwmpVersion | null | undefined => {
  if (header.useCwmpVersion === undefined) return undefined;
  const wanted = header.useCwmpVersion.trim();
  return supported.find((v) => v === wanted) ?? null;
};

/** The Inform envelope (H1, H4, V6, V7). */
export const informEnvelope = (context: SessionContext): Envelope => {
  const header: SoapHeader = {
    id: String(context.sent),
    ...(context.supportedVersions.some((v) => v !== "1.0")
      ? { supportedCwmpVersions: context.supportedVersions.join(",") }
      : {}),
    // SessionTimeout exists from CWMP 1.3 on (V6).
    ...(versionRank(context.version) >= versionRank("1.3")
      ? { sessionTimeout: context.sessionTimeout }
      : {}),
  };
  return {
    header,
    body: { _tag: "Inform", ...context.inform, maxEnvelopes: 1 },
    version: context.version,
  };
};

/** The queued CPE request to send next, if any. */
export const currentCpeRequest = (context: SessionContext): QueuedCpeRequest | undefined =>
  context.queue[context.next];

/** A short name for an event, for failure details. */
const describe = (event: SessionEvent): string => {
  switch (event.type) {
    case "ACS_REQUEST":
      return `ACS request ${event.request._tag}`;
    case "ACS_RESPONSE":
      return `ACS response ${event.response._tag}`;
    default:
      return event.type;
  }
};

/** The failure an event ends the session with. */
export const failureOf = (event: SessionEvent): SessionFailure => {
  switch (event.type) {
    case "ACS_FAULT":
      return {
        reason: event.faultCode === 8006 ? "VersionIncompatible" : "AcsFault",
        detail: `ACS fault ${event.faultCode}: ${event.faultString}`,
        faultCode: event.faultCode,
      };
    case "TRANSPORT_ERROR":
      return {
        reason: event.reason,
        detail: event.detail,
        ...(event.retryAfter === undefined ? {} : { retryAfter: event.retryAfter }),
      };
    case "BAD_ENVELOPE":
      return { reason: "BadEnvelope", detail: event.detail };
    default:
      return { reason: "UnexpectedMessage", detail: `unexpected ${describe(event)}` };
  }
};

/** The {@link SessionOutput} for a final context. */
export const sessionOutput = (context: SessionContext): SessionOutput => ({
  outcome: context.failure === undefined ? "done" : "failed",
  ...(context.failure === undefined
    ? {}
    : {
        reason: context.failure.reason,
        detail: context.failure.detail,
        ...(context.failure.faultCode === undefined
          ? {}
          : { faultCode: context.failure.faultCode }),
        ...(context.failure.retryAfter === undefined
          ? {}
          : { retryAfter: context.failure.retryAfter }),
      }),
  version: context.version,
  informDelivered: context.informDelivered,
  informedEvents: context.informDelivered ? context.inform.event : [],
  deliveredCpeRequests: context.delivered,
  cpeResponses: context.cpeResponses,
  rejectedCpeRequests: context.rejected,
  heldCpeRequests:
    context.failure === undefined ? context.queue.slice(context.next).map((r) => r.id) : [],
  afterSession: context.afterSession,
});

/** The context of a new session. */
export const initialContext = (input: SessionInput): SessionContext => ({
  inform: { ...input.inform, event: input.inform.event.slice(0, MAX_INFORM_EVENTS) },
  queue: input.cpeRequests ?? [],
  supportedVersions:
    input.supportedVersions ??
    cwmpVersions.filter((v) => versionRank(v) <= versionRank(input.version)),
  maxRetryRequests: input.maxRetryRequests ?? DEFAULT_MAX_RETRY_REQUESTS,
  version: input.version,
  sessionTimeout: input.sessionTimeout ?? DEFAULT_SESSION_TIMEOUT,
  holdRequests: false,
  next: 0,
  retries: 0,
  sent: 0,
  informDelivered: false,
  delivered: [],
  cpeResponses: {},
  rejected: [],
  afterSession: noAfterSession,
  ...(input.deps === undefined ? {} : { deps: input.deps }),
  ...(input.exchange === undefined ? {} : { exchange: input.exchange }),
});

/** The envelope of the queued CPE request to send (`null` if none: never posted then). */
export const cpeRequestEnvelope = (context: SessionContext): Envelope | null => {
  const queued = currentCpeRequest(context);
  return queued === undefined
    ? null
    : { header: { id: String(context.sent) }, body: queued.request, version: context.version };
};

/** The envelope answering the current ACS request, echoing its `cwmp:ID` (V4). */
export const responseEnvelope = (context: SessionContext): Envelope | null => {
  const id = context.acsRequest?.header.id;
  return context.cpeResponse === undefined
    ? null
    : {
        header: id === undefined ? {} : { id },
        body: context.cpeResponse,
        version: context.version,
      };
};
