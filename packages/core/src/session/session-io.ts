/**
 * The contract between the agent and one CWMP session: what the agent gives the session machine
 * (`SessionInput`), what it gets back (`SessionOutput`), and the inputs and outputs of its two
 * exchanges (`post` and `handleRpc`, performed by the `SessionInput.exchange` it is given;
 * `SessionInput.deps` is passed on in every exchange's input).
 * @module
 */
import type { DeviceIdStruct, EventStruct } from "../cwmp/structs.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type { TransportErrorReason } from "../ports/acs-transport.js";
import type { AfterSession, CpeRequestMessage } from "../rpc/after-session.js";
import type { CwmpMessage, CwmpVersion, Envelope, SoapHeader } from "../soap/messages.js";
import type { SessionDeps } from "./session-deps.js";
import type { SessionExchange } from "./session-exchange.js";

/** Every CWMP version, oldest first (the order used to compare versions). */
export const cwmpVersions: readonly CwmpVersion[] = ["1.0", "1.1", "1.2", "1.3", "1.4"];

/** The content of the Inform, as the agent assembles it (`MaxEnvelopes` is always 1, H4). */
export interface InformContent {
  readonly deviceId: DeviceIdStruct;
  /** At most 64 events are sent (XSD `EventStruct` maxOccurs 64); the rest are left out. */
  readonly event: readonly EventStruct[];
  /** The device's time, as an `xs:dateTime` (the Unknown Time when it has none). */
  readonly currentTime: string;
  /** Consecutive failed sessions before this one (§1.6). */
  readonly retryCount: number;
  readonly parameterList: readonly ParameterValueStruct[];
}

/** A CPE request waiting for delivery; `id` is the agent's key for it (not the `cwmp:ID`). */
export interface QueuedCpeRequest {
  readonly id: string;
  readonly request: CpeRequestMessage;
}

/** What the agent gives one session. */
export interface SessionInput {
  readonly inform: InformContent;
  /** CPE requests to send after the InformResponse, in order (H2). Default: none. */
  readonly cpeRequests?: readonly QueuedCpeRequest[];
  /** The version the Inform is written in (normally the highest the agent speaks). */
  readonly version: CwmpVersion;
  /**
   * Versions the agent speaks, sent as `SupportedCWMPVersions` when any is above 1.0 (V7).
   * Default: every version from 1.0 up to `version`.
   */
  readonly supportedVersions?: readonly CwmpVersion[];
  /**
   * Seconds to wait for each ACS message (V6): sent as `SessionTimeout` in a 1.3+ Inform; an
   * InformResponse carrying `SessionTimeout` replaces it for the rest of the session. Default 30.
   */
  readonly sessionTimeout?: number;
  /** How many times one request is resent after fault 8005 "Retry request" (H11). Default 10. */
  readonly maxRetryRequests?: number;
  /**
   * What the exchange works with (kept in the context, handed to each exchange's input).
   * Only exchanges that need it read it: tests' fakes leave it out.
   */
  readonly deps?: SessionDeps;
  /**
   * The session's I/O: how it POSTs and runs the RPC handlers (`run-session.ts` gives the
   * transport's; tests give fakes). Without it the session fails at once with reason Internal.
   */
  readonly exchange?: SessionExchange;
}

/** Why a session failed. Transport reasons are passed through unchanged. */
export type SessionFailureReason =
  | TransportErrorReason
  /** Fault 8006, or an UseCWMPVersion the agent does not speak (V7): retry with an older version. */
  | "VersionIncompatible"
  /** The ACS answered the Inform (or a CPE response) with a SOAP Fault. */
  | "AcsFault"
  /** A message that is not allowed at this point (e.g. no InformResponse where one is due, H1). */
  | "UnexpectedMessage"
  /** No ACS message within SessionTimeout seconds (V6). */
  | "SessionTimeout"
  /** The ACS's body was not a CWMP envelope. */
  | "BadEnvelope"
  /** The exchange failed in a way it should not (a bug, not a protocol event). */
  | "Internal";

/** A CPE request the ACS answered with a fault (other than 8005) or kept asking to retry. */
export interface RejectedCpeRequest {
  readonly id: string;
  readonly faultCode: number;
  readonly faultString: string;
}

/** What one session reports to the agent. */
export interface SessionOutput {
  readonly outcome: "done" | "failed";
  readonly reason?: SessionFailureReason;
  readonly detail?: string;
  /** The ACS's fault code, when the failure is an ACS fault. */
  readonly faultCode?: number;
  /** Seconds the ACS asked to wait (Retry-After of a 503), for the retry policy. */
  readonly retryAfter?: number;
  /** The version in use when the session ended (after UseCWMPVersion, V7). */
  readonly version: CwmpVersion;
  /** True once the InformResponse arrived: the events in `informedEvents` are delivered (H1). */
  readonly informDelivered: boolean;
  /** The events the delivered Inform carried (empty when not delivered). */
  readonly informedEvents: readonly EventStruct[];
  /** Ids of the CPE requests whose response arrived (e.g. `7 TRANSFER COMPLETE` is delivered). */
  readonly deliveredCpeRequests: readonly string[];
  /** The ACS's responses to delivered CPE requests, by request id. */
  readonly cpeResponses: Readonly<Record<string, CwmpMessage>>;
  /** CPE requests the ACS refused with a fault; the agent decides whether to keep them. */
  readonly rejectedCpeRequests: readonly RejectedCpeRequest[];
  /**
   * Ids of the queued CPE requests left unsent when the session completed because the ACS held
   * them (HoldRequests=true in its last envelope, V5/H3); they belong to the next session.
   * Empty when the session failed.
   */
  readonly heldCpeRequests: readonly string[];
  /** Work the ACS's requests asked for once the session is over. */
  readonly afterSession: AfterSession;
}

/** Input of the `post` exchange: the envelope to POST, or `null` for the empty POST (H2). */
export interface PostInput {
  readonly envelope: Envelope | null;
  /** The session's {@link SessionInput.deps}. */
  readonly deps?: SessionDeps;
}

/**
 * Output of the `post` exchange: the ACS's answer, decoded; `null` for an empty body (204 or an
 * empty 200, H3). The exchange fails with a `TransportError` or a SOAP `DecodeError`.
 */
export interface PostOutput {
  readonly envelope: Envelope | null;
}

/** Input of the `handleRpc` exchange: one ACS request. */
export interface HandleRpcInput {
  readonly request: CwmpMessage;
  readonly header: SoapHeader;
  readonly version: CwmpVersion;
  /** The session's {@link SessionInput.deps}. */
  readonly deps?: SessionDeps;
}

/** Output of the `handleRpc` exchange: the answer (a response or a `Fault`) and after-session work. */
export interface HandleRpcOutput {
  readonly response: CwmpMessage;
  readonly afterSession: AfterSession;
}
