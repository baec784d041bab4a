/**
 * The `Diagnostics` port of a QuecPython module: IPPing runs ON the module, with QuecPython's
 * `uping` through the bridge's `ipPing` action, so it measures the module's cellular data path
 * rather than the host's network. The other tests go to a host implementation when one is
 * given (`base`), and otherwise fail with `Error_Other` (not supported).
 *
 * Mapping to TR-181 `IPPing.`: SuccessCount is uping's `rx`, FailureCount the repetitions
 * asked minus `rx`; the times (ms, 3 decimals in uping) become microseconds; `IPAddressUsed` is
 * the module's data-call address. A host that does not resolve on the module is
 * `Error_CannotResolveHostName`; a firmware without `uping`, IPv6 (uping pings over IPv4) or
 * another failure on the module is `Error_Other`; a link failure is `Error_Internal`.
 * `DataBlockSize` is the ICMP data: uping's SIZE counts the 8-byte ICMP header too (at least 16).
 * DSCP cannot be set with uping and is ignored.
 * @module
 */
import {
  DiagnosticsError,
  type DiagnosticsService,
  type IpPingInput,
  type IpPingResult,
} from "@cpekit/core";
import { Effect } from "effect";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import type { JsonValue } from "../link/messages.js";

/** Options of {@link makeQuecPythonDiagnostics}. */
export interface QuecPythonDiagnosticsOptions {
  /** The host's diagnostics, for the tests the module does not run. */
  readonly base?: DiagnosticsService;
  /** Interval between echo requests, in ms (uping's INTERVAL; default 1000). */
  readonly pingIntervalMs?: number;
}

/** The bridge's `ipPing` reply. */
interface PingReply {
  readonly a?: string;
  readonly u?: string | null;
  readonly tx?: number;
  readonly rx?: number;
  readonly mn?: number | null;
  readonly av?: number | null;
  readonly mx?: number | null;
}

const ICMP_HEADER_BYTES = 8;
/** uping refuses smaller packets ("pkt size too small"). */
const UPING_MIN_SIZE = 16;

const micros = (ms: number | null | undefined): number =>
  typeof ms === "number" && Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) : 0;

/** The TR-181 results of an `ipPing` reply to `repetitions` echo requests. */
export const ipPingResultOf = (reply: JsonValue, repetitions: number): IpPingResult => {
  const r = (typeof reply === "object" && reply !== null ? reply : {}) as PingReply;
  const received = Math.max(0, Math.min(repetitions, typeof r.rx === "number" ? r.rx : 0));
  return {
    ...(typeof r.u === "string" && r.u !== "" ? { ipAddressUsed: r.u } : {}),
    successCount: received,
    failureCount: repetitions - received,
    minimumResponseTimeUs: received === 0 ? 0 : micros(r.mn),
    averageResponseTimeUs: received === 0 ? 0 : micros(r.av),
    maximumResponseTimeUs: received === 0 ? 0 : micros(r.mx),
  };
};

/** The DiagnosticsState of a failed `ipPing` request. */
export const ipPingErrorOf = (cause: unknown): DiagnosticsError => {
  if (cause instanceof BridgeLinkError && cause.reason === "Remote") {
    if (cause.detail.startsWith("resolve:"))
      return new DiagnosticsError({
        state: "Error_CannotResolveHostName",
        detail: `the module cannot resolve the host (${cause.detail})`,
        cause,
      });
    return new DiagnosticsError({
      state: "Error_Other",
      detail: `ping on the module failed: ${cause.detail}`,
      cause,
    });
  }
  return new DiagnosticsError({
    state: "Error_Internal",
    detail: `the module did not answer the ping: ${cause instanceof Error ? cause.message : String(cause)}`,
    cause,
  });
};

const unsupported = (test: string) =>
  Effect.fail(
    new DiagnosticsError({
      state: "Error_Other",
      detail: `${test} is not run on a QuecPython module (no host diagnostics given)`,
    }),
  );

/** Diagnostics of the module behind `link`. */
export const makeQuecPythonDiagnostics = (
  link: BridgeLink,
  options: QuecPythonDiagnosticsOptions = {},
): DiagnosticsService => {
  const interval = options.pingIntervalMs ?? 1000;
  const ipPing = (input: IpPingInput): Effect.Effect<IpPingResult, DiagnosticsError> => {
    if (input.protocolVersion === "IPv6")
      return Effect.fail(
        new DiagnosticsError({
          state: "Error_Other",
          detail: "uping on the module pings over IPv4 only",
        }),
      );
    const count = input.numberOfRepetitions;
    const args = {
      h: input.host,
      c: count,
      t: input.timeoutMs,
      s: Math.max(UPING_MIN_SIZE, input.dataBlockSize + ICMP_HEADER_BYTES),
      i: interval,
    };
    // The module answers once every echo request has had its interval or its time-out.
    const timeoutMs = count * (input.timeoutMs + interval) + 10_000;
    return Effect.tryPromise({
      try: () => link.action("ipPing", args, { timeoutMs }),
      catch: ipPingErrorOf,
    }).pipe(Effect.map((reply) => ipPingResultOf(reply, count)));
  };
  const base = options.base;
  return {
    ipPing,
    traceRoute: (input, signal) =>
      base === undefined ? unsupported("TraceRoute") : base.traceRoute(input, signal),
    downloadDiagnostics: (input, signal) =>
      base === undefined
        ? unsupported("DownloadDiagnostics")
        : base.downloadDiagnostics(input, signal),
    uploadDiagnostics: (input, signal) =>
      base === undefined ? unsupported("UploadDiagnostics") : base.uploadDiagnostics(input, signal),
    ...(base?.serverSelection === undefined ? {} : { serverSelection: base.serverSelection }),
  };
};
