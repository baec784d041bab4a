/**
 * The `Diagnostics` port on the host, with Node only: the generic device's IPPing (TCP
 * handshake probes, `tcp-ping.ts`), TraceRoute (UDP probes with a TTL, `udp-trace-route.ts`) and
 * Download/UploadDiagnostics (HTTP, `http-transfer-diagnostics.ts`). No ServerSelection.
 * @module
 */
import type { DiagnosticsService } from "@cpekit/core";
import { httpDownloadDiagnostics, httpUploadDiagnostics } from "./http-transfer-diagnostics.js";
import { tcpPing } from "./tcp-ping.js";
import { udpTraceRoute } from "./udp-trace-route.js";

/** Settings of the host diagnostics. */
export interface HostDiagnosticsOptions {
  /** The port IPPing's handshake probes go to. Default 7 (echo). */
  readonly pingProbePort?: number;
  /** The most a download or upload test may take, in milliseconds. Default 60000. */
  readonly transferTimeoutMs?: number;
}

/** The host's `DiagnosticsService`. */
export const hostDiagnostics = (options: HostDiagnosticsOptions = {}): DiagnosticsService => {
  const limits = { timeoutMs: options.transferTimeoutMs ?? 60_000 };
  return {
    ipPing: (input, signal) => tcpPing(input, signal, options.pingProbePort ?? 7),
    traceRoute: udpTraceRoute,
    downloadDiagnostics: (input, signal) => httpDownloadDiagnostics(input, signal, limits),
    uploadDiagnostics: (input, signal) => httpUploadDiagnostics(input, signal, limits),
  };
};
