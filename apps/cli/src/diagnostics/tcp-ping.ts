/**
 * IPPing of the generic device, as a TCP handshake probe: Node has no raw ICMP sockets, and
 * the host may have neither a `ping` binary nor unprivileged ICMP sockets
 * (`net.ipv4.ping_group_range`). Each repetition opens a TCP connection to the host's port
 * `probePort` (7, echo, by default) and times the host's answer: a SYN-ACK (connected) or a
 * RST (connection refused) both prove the host answered, like an echo reply; no answer within
 * the timeout is a failed repetition. `DataBlockSize` and `DSCP` do not apply to a handshake and
 * are ignored. A host that does not resolve is `Error_CannotResolveHostName`; a route error on
 * every repetition is `Error_NoRouteToHost`.
 * @module
 */
import { connect } from "node:net";
import { DiagnosticsError, type IpPingInput, type IpPingResult } from "@cpekit/core";
import { Effect } from "effect";
import { boundedProbe, noRouteCodes } from "./bounded-probe.js";
import { preciseNow } from "./precise-now.js";
import { resolveHost } from "./resolve-host.js";
import { sourceAddressFor } from "./source-address.js";

/** How one repetition ended. */
type ProbeOutcome =
  | { readonly kind: "answered"; readonly rttUs: number }
  | { readonly kind: "timeout" }
  | { readonly kind: "noRoute" }
  | { readonly kind: "failed" };

/** One TCP handshake probe of `address:port`, bounded by `timeoutMs`. */
export const tcpProbe = (
  address: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Effect.Effect<ProbeOutcome> =>
  boundedProbe<ProbeOutcome>({
    timeoutMs,
    signal,
    timedOut: { kind: "timeout" },
    aborted: { kind: "failed" },
    start: (finish) => {
      const started = preciseNow();
      const socket = connect({ host: address, port });
      const answered = () =>
        finish({
          kind: "answered",
          rttUs: Math.max(0, Math.round((preciseNow() - started) * 1000)),
        });
      socket.on("connect", answered);
      socket.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ECONNREFUSED") answered();
        else finish({ kind: noRouteCodes.has(e.code ?? "") ? "noRoute" : "failed" });
      });
      return () => socket.destroy();
    },
  });

/** Runs an IPPing as TCP handshake probes (see the module comment). */
export const tcpPing = (
  input: IpPingInput,
  signal: AbortSignal,
  probePort = 7,
): Effect.Effect<IpPingResult, DiagnosticsError> =>
  Effect.gen(function* () {
    const target = yield* resolveHost(input.host, input.protocolVersion);
    const used = yield* sourceAddressFor(target.address, target.family);
    const rtts: number[] = [];
    let noRoute = 0;
    for (let i = 0; i < input.numberOfRepetitions && !signal.aborted; i++) {
      const outcome = yield* tcpProbe(target.address, probePort, input.timeoutMs, signal);
      if (outcome.kind === "answered") rtts.push(outcome.rttUs);
      else if (outcome.kind === "noRoute") noRoute++;
    }
    if (noRoute === input.numberOfRepetitions)
      return yield* new DiagnosticsError({
        state: "Error_NoRouteToHost",
        detail: `no route to ${target.address}`,
      });
    const sum = rtts.reduce((a, b) => a + b, 0);
    return {
      ...(used === undefined ? {} : { ipAddressUsed: used }),
      successCount: rtts.length,
      failureCount: input.numberOfRepetitions - rtts.length,
      minimumResponseTimeUs: rtts.length === 0 ? 0 : Math.min(...rtts),
      averageResponseTimeUs: rtts.length === 0 ? 0 : Math.round(sum / rtts.length),
      maximumResponseTimeUs: rtts.length === 0 ? 0 : Math.max(...rtts),
    };
  });
