/**
 * The `AcsTransport` port: the HTTP side of one CWMP session (requirements H1-H9, A1-A3).
 *
 * A session opens one connection (scoped: closing the scope ends the TCP connection and
 * forgets the session's cookies and Digest state), then posts SOAP envelopes on it one after
 * the other. The transport owns cookies, authentication, redirects of the first POST and
 * response decompression; the session machine only sees bodies and typed failures.
 * @module
 */
import { Context, Data, type Effect, type Scope } from "effect";

/** Where and as whom to reach the ACS: `ManagementServer.URL`, `.Username`, `.Password`. */
export interface AcsEndpoint {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
}

/** A successful (2xx) answer of the ACS. */
export interface AcsResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", " (set-cookie excepted, kept by the transport). */
  readonly headers: Readonly<Record<string, string>>;
  /** The decoded body; `""` when empty (204, or the ACS's empty answer ending the session, H3). */
  readonly body: string;
}

/** Why a POST to the ACS failed. */
export type TransportErrorReason =
  /** No complete answer within the configured time. */
  | "Timeout"
  /** The TCP connection could not be opened (refused, unreachable, DNS). */
  | "ConnectFailed"
  /** The connection broke while a request was in flight. */
  | "ConnectionLost"
  /** Certificate verification or the TLS handshake failed. */
  | "Tls"
  /** The ACS refused our credentials (after answering its challenge once). */
  | "Unauthorized"
  /** A non-2xx status other than 401 and a followed redirect. */
  | "HttpStatus"
  /** The response body exceeded the configured maximum. */
  | "TooLarge"
  /** Too many redirects, a redirect of a later POST (H9), or a bad `Location`. */
  | "Redirect"
  /** The URL is not an http(s) URL, or a configuration file could not be read. */
  | "InvalidConfig"
  /** The response could not be decoded (bad gzip/deflate data, unknown Content-Encoding). */
  | "BadResponse";

/** A failure of the ACS transport. */
export class TransportError extends Data.TaggedError("TransportError")<{
  readonly reason: TransportErrorReason;
  readonly detail: string;
  /** The HTTP status, when a response was received. */
  readonly status?: number;
  /** Seconds the ACS asked us to wait (`Retry-After` of a 503 or 429), when present and valid. */
  readonly retryAfter?: number;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `ACS transport ${this.reason}${this.status === undefined ? "" : ` (HTTP ${this.status})`}: ${this.detail}`;
  }
}

/** Type guard for {@link TransportError}. */
export const isTransportError = (u: unknown): u is TransportError => u instanceof TransportError;

/** Where {@link AcsConnection.postNow} reports: exactly one of the two, once. */
export interface AcsPostSettle {
  readonly done: (response: AcsResponse) => void;
  /** A `TransportError`; anything else is a defect. */
  readonly fail: (error: unknown) => void;
}

/** The connection of one session to the ACS. */
export interface AcsConnection {
  /**
   * POSTs one envelope; `null` sends the empty POST (Content-Length 0, no SOAPAction, H2).
   * Non-2xx answers fail with reason `HttpStatus` (carrying `status` and `retryAfter`).
   */
  readonly post: (body: string | null) => Effect.Effect<AcsResponse, TransportError>;
  /**
   * The same POST as a plain call, when the transport can make it one (the ACS client on the
   * live clock): no fiber per POST (issue 11). Exactly one of `settle`'s calls follows, with
   * what `post` would succeed or fail with (anything but a `TransportError` is a bug). There is
   * no interrupting it: closing the connection's scope ends a request still running, and its
   * result is then reported as a failure. Optional: a session uses `post` without it.
   */
  readonly postNow?: (body: string | null, settle: AcsPostSettle) => void;
  /** The URL the session posts to now (differs from the endpoint's after a redirect, H9). */
  readonly url: Effect.Effect<string>;
}

/** Opens session-scoped connections to the ACS. */
export interface AcsTransportService {
  /**
   * Opens the connection of one session. Nothing is sent until the first `post`. Fails only on
   * a configuration the transport cannot use (not an http(s) URL, unreadable CA/cert/key file).
   */
  readonly open: (
    endpoint: AcsEndpoint,
  ) => Effect.Effect<AcsConnection, TransportError, Scope.Scope>;
}

/** The `AcsTransport` port. */
export class AcsTransport extends Context.Tag("@cpekit/core/AcsTransport")<
  AcsTransport,
  AcsTransportService
>() {}
