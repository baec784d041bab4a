/**
 * The `Diagnostics` port: the IP diagnostics of TR-181 `Device.IP.Diagnostics.` (TR-143), run by
 * the device. The agent owns the data model side (DiagnosticsState, the input and result
 * parameters, event `8 DIAGNOSTICS COMPLETE`); a plugin only runs one test and returns its
 * result values or a {@link DiagnosticsError} whose `state` is the TR-181 `Error_*` value of
 * DiagnosticsState.
 *
 * Cancellation: a second request (or a write of an input parameter) cancels a running test. The
 * agent then aborts the `signal` passed to the method AND interrupts the returned effect; an
 * implementation may honour either (e.g. pass `signal` to `fetch`, or stop a bridge call in an
 * `Effect.onInterrupt`). The result of a cancelled test is discarded.
 *
 * Times: every point in time is epoch milliseconds as a number that may carry a fraction down to
 * the microsecond (`performance.timeOrigin + performance.now()`), because TR-143 asks for
 * microsecond precision in ROMTime, BOMTime, EOMTime and the TCP open times. Durations name their
 * unit in the field name (`...Us` microseconds, `...Ms` milliseconds).
 * @module
 */
import { Context, Data, type Effect } from "effect";

/** The `ProtocolVersion` input of every test: which IP version to use. */
export type DiagnosticsProtocolVersion = "Any" | "IPv4" | "IPv6";

/**
 * The `Error_*` values of DiagnosticsState across the tests of TR-181 2.17. Each test's
 * DiagnosticsState lists a subset; when a plugin fails with a value the test does not list
 * (e.g. `Error_InitConnectionFailed` for IPPing) the agent reports `Error_Other` instead.
 *
 * - `Error_CannotResolveHostName`: the host (or the URL's host) does not resolve.
 * - `Error_NoRouteToHost`: no route (e.g. EHOSTUNREACH / ENETUNREACH).
 * - `Error_MaxHopCountExceeded`: TraceRoute did not reach the host within MaxHopCount.
 * - `Error_InitConnectionFailed`: Download/Upload could not open the TCP connection.
 * - `Error_NoResponse`: Download/Upload got no (or no valid) response to the request.
 * - `Error_TransferFailed`: Download broke off or the server answered an error status.
 * - `Error_PasswordRequestFailed`, `Error_LoginFailed`, `Error_NoTransferMode`, `Error_NoPASV`,
 *   `Error_NoCWD`, `Error_NoSTOR`, `Error_NoTransferComplete`: the FTP failures of TR-143.
 * - `Error_IncorrectSize`: Download received a different size than announced.
 * - `Error_Timeout`: Download/Upload did not finish in time.
 * - `Error_Internal`: the device failed internally (the test could not be started).
 * - `Error_Other`: anything else, including a test the device does not support.
 */
export type DiagnosticsErrorState =
  | "Error_CannotResolveHostName"
  | "Error_NoRouteToHost"
  | "Error_MaxHopCountExceeded"
  | "Error_InitConnectionFailed"
  | "Error_NoResponse"
  | "Error_TransferFailed"
  | "Error_PasswordRequestFailed"
  | "Error_LoginFailed"
  | "Error_NoTransferMode"
  | "Error_NoPASV"
  | "Error_NoCWD"
  | "Error_NoSTOR"
  | "Error_NoTransferComplete"
  | "Error_IncorrectSize"
  | "Error_Timeout"
  | "Error_Internal"
  | "Error_Other";

/** A failed diagnostic test; `state` becomes the test's DiagnosticsState. */
export class DiagnosticsError extends Data.TaggedError("DiagnosticsError")<{
  readonly state: DiagnosticsErrorState;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `diagnostics ${this.state}: ${this.detail}`;
  }
}

/** Type guard for {@link DiagnosticsError}. */
export const isDiagnosticsError = (u: unknown): u is DiagnosticsError =>
  u instanceof DiagnosticsError;

/** Inputs common to the tests: the TR-181 parameters of the same names. */
export interface DiagnosticsCommonInput {
  /**
   * The `Interface` parameter: the path of the IP interface to use (e.g.
   * `Device.IP.Interface.1`), or empty for the routing policy's choice.
   */
  readonly interface: string;
  readonly protocolVersion: DiagnosticsProtocolVersion;
  /** The `DSCP` parameter (0..63) for the test's packets. */
  readonly dscp: number;
}

/** Inputs of `Device.IP.Diagnostics.IPPing.`. */
export interface IpPingInput extends DiagnosticsCommonInput {
  /** Host name or address to ping. Never empty (the agent checks it). */
  readonly host: string;
  /** How many echo requests to send (≥ 1). */
  readonly numberOfRepetitions: number;
  /** How long to wait for each reply, in milliseconds (≥ 1). */
  readonly timeoutMs: number;
  /** Size of each echo request's data block, in bytes (1..65535). */
  readonly dataBlockSize: number;
}

/** Results of an IPPing; the agent fills the result parameters from them. */
export interface IpPingResult {
  /** The source address used (`IPAddressUsed`), when known. */
  readonly ipAddressUsed?: string;
  readonly successCount: number;
  readonly failureCount: number;
  /**
   * Round-trip times of the successful repetitions in microseconds (0 when none succeeded);
   * the agent derives the millisecond parameters (`AverageResponseTime`, ...) from them.
   */
  readonly minimumResponseTimeUs: number;
  readonly averageResponseTimeUs: number;
  readonly maximumResponseTimeUs: number;
}

/** Inputs of `Device.IP.Diagnostics.TraceRoute.`. */
export interface TraceRouteInput extends DiagnosticsCommonInput {
  /** Host name or address to trace. Never empty (the agent checks it). */
  readonly host: string;
  /** Probes per hop (1..3). */
  readonly numberOfTries: number;
  /** How long to wait for each probe's answer, in milliseconds (≥ 1). */
  readonly timeoutMs: number;
  /** Size of each probe's data block, in bytes (1..65535). */
  readonly dataBlockSize: number;
  /** The most hops to try (1..64). */
  readonly maxHopCount: number;
}

/** One hop of a trace (`TraceRoute.RouteHops.{i}.`). */
export interface TraceRouteHop {
  /** Name of the hop's host if it resolved back, else its address. */
  readonly host: string;
  /** Address of the hop (empty when no probe was answered). */
  readonly hostAddress: string;
  /** The ICMP error code of the answer (0 when none, e.g. a time-exceeded answer has 0). */
  readonly errorCode: number;
  /** Round-trip time of each try in milliseconds (one per NumberOfTries; 0 for an unanswered try). */
  readonly rtTimesMs: ReadonlyArray<number>;
}

/** Results of a TraceRoute. */
export interface TraceRouteResult {
  readonly ipAddressUsed?: string;
  /** Round-trip time of the probe that reached the host, in milliseconds. */
  readonly responseTimeMs: number;
  /** The hops in order, the last one being the host. */
  readonly hops: ReadonlyArray<TraceRouteHop>;
}

/** Inputs shared by DownloadDiagnostics and UploadDiagnostics. */
export interface TransferDiagnosticsInput extends DiagnosticsCommonInput {
  /** The `EthernetPriority` parameter (0..7). */
  readonly ethernetPriority: number;
  /** Parallel connections to use (≥ 1; 1 unless the device announces more). */
  readonly numberOfConnections: number;
  /** `TimeBasedTestDuration` in seconds; 0 means a file-size based test (the usual). */
  readonly timeBasedTestDurationS: number;
}

/** Inputs of `Device.IP.Diagnostics.DownloadDiagnostics.`. */
export interface DownloadDiagnosticsInput extends TransferDiagnosticsInput {
  /** The URL to download (`DownloadURL`), `http://` (or `ftp://` if the device supports it). */
  readonly url: string;
}

/** Inputs of `Device.IP.Diagnostics.UploadDiagnostics.`. */
export interface UploadDiagnosticsInput extends TransferDiagnosticsInput {
  /** The URL to upload to (`UploadURL`). */
  readonly url: string;
  /** Bytes to send (`TestFileLength`). */
  readonly testFileLength: number;
}

/**
 * Timing of a transfer test (TR-143 terms), each an epoch-milliseconds number with an optional
 * microsecond fraction.
 */
export interface TransferTimes {
  /** Request Of Message: the request (HTTP GET/PUT, FTP RETR/STOR) was sent. */
  readonly romTime: number;
  /** Begin Of Message: the first byte of the file was received (download) or sent (upload). */
  readonly bomTime: number;
  /** End Of Message: the last byte was received (download) or acknowledged (upload). */
  readonly eomTime: number;
  /** The TCP connection was requested (SYN sent). */
  readonly tcpOpenRequestTime: number;
  /** The TCP connection was open (SYN-ACK received). */
  readonly tcpOpenResponseTime: number;
}

/** Results of a DownloadDiagnostics. */
export interface DownloadDiagnosticsResult extends TransferTimes {
  readonly ipAddressUsed?: string;
  /** Bytes of the file received between BOMTime and EOMTime. */
  readonly testBytesReceived: number;
  /** Bytes received on the interface (or connection) between BOMTime and EOMTime, headers included. */
  readonly totalBytesReceived: number;
  /** Bytes sent on the interface (or connection) between BOMTime and EOMTime. */
  readonly totalBytesSent: number;
}

/** Results of an UploadDiagnostics. */
export interface UploadDiagnosticsResult extends TransferTimes {
  readonly ipAddressUsed?: string;
  /** Bytes of the file sent between BOMTime and EOMTime. */
  readonly testBytesSent: number;
  readonly totalBytesReceived: number;
  readonly totalBytesSent: number;
}

/** Inputs of `Device.IP.Diagnostics.ServerSelectionDiagnostics.`. */
export interface ServerSelectionInput extends Omit<DiagnosticsCommonInput, "dscp"> {
  readonly protocol: "ICMP" | "UDP Echo";
  /** The hosts to compare (`HostList`, at most 10). */
  readonly hostList: ReadonlyArray<string>;
  readonly numberOfRepetitions: number;
  readonly timeoutMs: number;
}

/** Results of a ServerSelectionDiagnostics. */
export interface ServerSelectionResult {
  readonly ipAddressUsed?: string;
  /** The host of `hostList` with the smallest average response time. */
  readonly fastestHost: string;
  /** Response times of the fastest host in microseconds. */
  readonly minimumResponseTimeUs: number;
  readonly averageResponseTimeUs: number;
  readonly maximumResponseTimeUs: number;
}

/**
 * The diagnostic tests a device runs. Each method runs one test to its end and succeeds with the
 * result values or fails with a {@link DiagnosticsError}; it should not throw or die (a defect
 * is reported as `Error_Internal`). A device that cannot run one of the four required tests
 * fails it with `Error_Other`.
 */
export interface DiagnosticsService {
  readonly ipPing: (
    input: IpPingInput,
    signal: AbortSignal,
  ) => Effect.Effect<IpPingResult, DiagnosticsError>;
  readonly traceRoute: (
    input: TraceRouteInput,
    signal: AbortSignal,
  ) => Effect.Effect<TraceRouteResult, DiagnosticsError>;
  readonly downloadDiagnostics: (
    input: DownloadDiagnosticsInput,
    signal: AbortSignal,
  ) => Effect.Effect<DownloadDiagnosticsResult, DiagnosticsError>;
  readonly uploadDiagnostics: (
    input: UploadDiagnosticsInput,
    signal: AbortSignal,
  ) => Effect.Effect<UploadDiagnosticsResult, DiagnosticsError>;
  /** Only when the profile lists `Device.IP.Diagnostics.ServerSelectionDiagnostics.`. */
  readonly serverSelection?: (
    input: ServerSelectionInput,
    signal: AbortSignal,
  ) => Effect.Effect<ServerSelectionResult, DiagnosticsError>;
}

/** The `Diagnostics` port (optional: without it the agent leaves diagnostics unsupported). */
export class Diagnostics extends Context.Tag("@cpekit/core/Diagnostics")<
  Diagnostics,
  DiagnosticsService
>() {}
