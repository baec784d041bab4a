/**
 * TraceRoute of the generic device with Node's UDP sockets, the way classic traceroute probes:
 * for each TTL from 1 to MaxHopCount, NumberOfTries datagrams of DataBlockSize bytes go to an
 * unlikely port (33434 + TTL - 1) from a connected socket with that TTL. The destination answers
 * ICMP port unreachable, which Linux reports on a connected UDP socket as ECONNREFUSED: that hop
 * is the host (ErrorCode 3, the ICMP code of "port unreachable"). Without raw sockets the ICMP
 * time-exceeded answers of the routers in between cannot be read, so those hops are listed with
 * an empty HostAddress and RTTimes of 0: honest, but less than a raw-socket traceroute shows.
 * Not reaching the host within MaxHopCount is `Error_MaxHopCountExceeded`.
 * @module
 */
import { createSocket } from "node:dgram";
import {
  DiagnosticsError,
  type TraceRouteHop,
  type TraceRouteInput,
  type TraceRouteResult,
} from "@cpekit/core";
import { Effect } from "effect";
import { boundedProbe, noRouteCodes } from "./bounded-probe.js";
import { preciseNow } from "./precise-now.js";
import { resolveHost } from "./resolve-host.js";
import { sourceAddressFor } from "./source-address.js";

/** The first destination port, as traceroute's. */
export const TRACE_BASE_PORT = 33434;

/** ICMP code of "port unreachable", the destination's answer to a probe. */
const PORT_UNREACHABLE = 3;

type ProbeOutcome =
  | { readonly kind: "reached"; readonly rttMs: number; readonly errorCode: number }
  | { readonly kind: "silent" }
  | { readonly kind: "noRoute" };

/** One datagram with `ttl`, waiting up to `timeoutMs` for the destination's answer. */
const udpProbe = (
  address: string,
  family: 4 | 6,
  ttl: number,
  size: number,
  timeoutMs: number,
  signal: AbortSignal,
): Effect.Effect<ProbeOutcome> =>
  boundedProbe<ProbeOutcome>({
    timeoutMs,
    signal,
    timedOut: { kind: "silent" },
    aborted: { kind: "silent" },
    start: (finish) => {
      const socket = createSocket(family === 6 ? "udp6" : "udp4");
      let started = 0;
      const elapsedMs = () => Math.max(0, Math.round(preciseNow() - started));
      socket.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ECONNREFUSED")
          finish({ kind: "reached", rttMs: elapsedMs(), errorCode: PORT_UNREACHABLE });
        else if (noRouteCodes.has(e.code ?? "")) finish({ kind: "noRoute" });
        else finish({ kind: "silent" });
      });
      // A service that answers on the port is the host too.
      socket.on("message", () => finish({ kind: "reached", rttMs: elapsedMs(), errorCode: 0 }));
      socket.connect(TRACE_BASE_PORT + ttl - 1, address, () => {
        socket.setTTL(ttl);
        started = preciseNow();
        socket.send(Buffer.alloc(size));
      });
      return () => {
        try {
          socket.close();
        } catch {
          // Closed already.
        }
      };
    },
  });

/** Runs a TraceRoute with UDP probes (see the module comment). */
export const udpTraceRoute = (
  input: TraceRouteInput,
  signal: AbortSignal,
): Effect.Effect<TraceRouteResult, DiagnosticsError> =>
  Effect.gen(function* () {
    const target = yield* resolveHost(input.host, input.protocolVersion);
    const used = yield* sourceAddressFor(target.address, target.family);
    const hops: TraceRouteHop[] = [];
    for (let ttl = 1; ttl <= input.maxHopCount && !signal.aborted; ttl++) {
      const times: number[] = [];
      let reached: { rttMs: number; errorCode: number } | undefined;
      let noRoute = 0;
      for (let t = 0; t < input.numberOfTries && !signal.aborted; t++) {
        const outcome = yield* udpProbe(
          target.address,
          target.family,
          ttl,
          input.dataBlockSize,
          input.timeoutMs,
          signal,
        );
        if (outcome.kind === "reached") {
          times.push(outcome.rttMs);
          reached ??= outcome;
        } else {
          times.push(0);
          if (outcome.kind === "noRoute") noRoute++;
        }
      }
      if (noRoute === input.numberOfTries)
        return yield* new DiagnosticsError({
          state: "Error_NoRouteToHost",
          detail: `no route to ${target.address}`,
        });
      if (reached !== undefined) {
        hops.push({
          host: input.host,
          hostAddress: target.address,
          errorCode: reached.errorCode,
          rtTimesMs: times,
        });
        return {
          ...(used === undefined ? {} : { ipAddressUsed: used }),
          responseTimeMs: reached.rttMs,
          hops,
        };
      }
      hops.push({ host: "", hostAddress: "", errorCode: 0, rtTimesMs: times });
    }
    return yield* new DiagnosticsError({
      state: "Error_MaxHopCountExceeded",
      detail: `${input.host} not reached within ${input.maxHopCount} hops`,
    });
  });
