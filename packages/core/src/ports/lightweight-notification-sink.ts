/**
 * The `LightweightNotificationSink` port: sends one UDP Lightweight Notification (TR-069
 * Annex M, requirement V8) to the host and port the data model names
 * (`ManagementServer.UDPLightweightNotificationHost` / `Port`). Fire and forget: Annex M has no
 * answer, so a sent datagram is a delivered one as far as the agent can tell.
 * `@cpekit/transport-http` implements it over a UDP socket.
 * @module
 */
import { Context, Data, type Effect } from "effect";

/** One message and where it goes. */
export interface LightweightNotificationDatagram {
  /** Host name or address (`UDPLightweightNotificationHost`, or the ACS host when empty). */
  readonly host: string;
  /** `UDPLightweightNotificationPort` (7547 when not implemented). */
  readonly port: number;
  /** The `lwn:Notification` XML text, sent as UTF-8 in one datagram. */
  readonly payload: string;
}

/** The message could not be sent (no route, name not resolved, socket closed, too large). */
export class LightweightNotificationSendError extends Data.TaggedError(
  "LightweightNotificationSendError",
)<{ readonly detail: string; readonly cause?: unknown }> {
  override get message(): string {
    return `lightweight notification not sent: ${this.detail}`;
  }
}

/** Sends UDP Lightweight Notifications. */
export interface LightweightNotificationSinkService {
  /** The protocols it implements, as `LightweightNotificationProtocolsSupported` lists them. */
  readonly protocols: readonly "UDP"[];
  readonly send: (
    datagram: LightweightNotificationDatagram,
  ) => Effect.Effect<void, LightweightNotificationSendError>;
}

/** The `LightweightNotificationSink` port. */
export class LightweightNotificationSink extends Context.Tag(
  "@cpekit/core/LightweightNotificationSink",
)<LightweightNotificationSink, LightweightNotificationSinkService>() {}
