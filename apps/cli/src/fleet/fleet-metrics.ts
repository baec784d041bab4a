/**
 * `--metrics-port`: the fleet's counters as Prometheus metrics (`prom-client`), served at
 * `GET /metrics` on 127.0.0.1 unless another address is given, with the process's own metrics
 * (CPU seconds, resident memory, event-loop lag) from prom-client's defaults.
 * @module
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { FleetStats } from "@cpekit/fleet";
import { Data, Effect, type Scope } from "effect";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** The metrics port could not be opened. */
export class MetricsListenError extends Data.TaggedError("MetricsListenError")<{
  readonly detail: string;
}> {
  override get message(): string {
    return `metrics: ${this.detail}`;
  }
}

/** A registry reading `stats` at every scrape. */
export const fleetMetricsRegistry = (stats: FleetStats): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: "cpekit_fleet_devices",
    help: "Devices of this fleet process (its shard)",
    registers,
    collect() {
      this.set(stats.snapshot().devices);
    },
  });
  new Gauge({
    name: "cpekit_fleet_devices_online",
    help: "Devices whose agent runs",
    registers,
    collect() {
      this.set(stats.snapshot().online);
    },
  });
  new Gauge({
    name: "cpekit_fleet_sessions_open",
    help: "Sessions in progress",
    registers,
    collect() {
      this.set(stats.openSessions);
    },
  });
  // Counters only go up: each scrape adds what happened since the previous one.
  const seen = { succeeded: 0, failed: 0, byReason: new Map<string, number>() };
  new Counter({
    name: "cpekit_fleet_sessions_total",
    help: "Sessions ended, by outcome",
    labelNames: ["outcome"],
    registers,
    collect() {
      const s = stats.snapshot();
      this.inc({ outcome: "succeeded" }, s.sessionsSucceeded - seen.succeeded);
      this.inc({ outcome: "failed" }, s.sessionsFailed - seen.failed);
      seen.succeeded = s.sessionsSucceeded;
      seen.failed = s.sessionsFailed;
    },
  });
  new Counter({
    name: "cpekit_fleet_session_failures_total",
    help: "Failed sessions, by reason (transport error, HTTP status, or Session)",
    labelNames: ["reason"],
    registers,
    collect() {
      for (const [reason, n] of Object.entries(stats.snapshot().failures)) {
        this.inc({ reason }, n - (seen.byReason.get(reason) ?? 0));
        seen.byReason.set(reason, n);
      }
    },
  });
  new Gauge({
    name: "cpekit_fleet_session_duration_seconds",
    help: "Session time over the recent sessions, by quantile",
    labelNames: ["quantile"],
    registers,
    collect() {
      const s = stats.snapshot();
      if (s.sessionP50Ms !== undefined) this.set({ quantile: "0.5" }, s.sessionP50Ms / 1000);
      if (s.sessionP99Ms !== undefined) this.set({ quantile: "0.99" }, s.sessionP99Ms / 1000);
    },
  });
  return registry;
};

/** Serves `registry` at `http://host:port/metrics` for the life of the scope; yields the URL. */
export const serveMetrics = (
  registry: Registry,
  host: string,
  port: number,
): Effect.Effect<string, MetricsListenError, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.async<http.Server, MetricsListenError>((resume) => {
        const server = http.createServer((req, res) => {
          req.resume();
          if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
            res.writeHead(404, { "content-length": "0" }).end();
            return;
          }
          registry.metrics().then(
            (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
            (e: unknown) => res.writeHead(500).end(String(e)),
          );
        });
        server.once("error", (e) =>
          resume(
            Effect.fail(
              new MetricsListenError({ detail: `cannot listen on ${host}:${port}: ${e.message}` }),
            ),
          ),
        );
        server.listen(port, host, () => resume(Effect.succeed(server)));
      }),
      (server) =>
        Effect.async<void>((done) => {
          server.close(() => done(Effect.void));
          server.closeAllConnections();
        }),
    ),
    (server) => {
      const address = server.address() as AddressInfo;
      const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return `http://${shown}:${address.port}/metrics`;
    },
  );
