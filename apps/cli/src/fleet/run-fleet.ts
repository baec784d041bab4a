/**
 * What `cpekit fleet <profile>` does (the command itself is `commands/fleet-command.ts`): settles
 * the fleet, starts it (devices boot at the ramp), shows a status line on a terminal (a log line
 * every 30 s otherwise), serves Prometheus metrics when asked, and on SIGINT/SIGTERM lets open
 * sessions finish for at most the grace time (a second signal abandons them), closes everything
 * and prints a summary.
 * @module
 */
import { dirname, resolve } from "node:path";
import { DEFAULT_MAX_OPEN_SESSIONS, type Fleet, makeFleet, shardRange } from "@cpekit/fleet";
import { AcsClient, HttpFileTransfer } from "@cpekit/transport-http";
import { Duration, Effect, Either, Schedule } from "effect";
import type { CliIo } from "../cli-io.js";
import { runWithBoundedClose } from "../device/run-with-bounded-close.js";
import { runtimeProvider } from "../device/runtime-provider.js";
import { listenForStopSignals } from "../device/stop-signals.js";
import { ExitCode } from "../exit-code.js";
import { loadProfile } from "../profile/load-profile.js";
import { fleetMetricsRegistry, serveMetrics } from "./fleet-metrics.js";
import {
  type FleetCommandOptions,
  fleetDeviceSpecOf,
  fleetKindOf,
  fleetPlanOf,
  type MixedProfile,
} from "./fleet-plan.js";
import { type FleetReading, ratesBetween, statusLine, summaryLines } from "./fleet-status.js";
import { openFleetStore } from "./fleet-store.js";

/** Without a terminal, a status line goes to the log this often. */
const LOG_STATUS_EVERY = Duration.seconds(30);

const timestamp = () => new Date().toISOString();

const reading = (fleet: Fleet): FleetReading => {
  const cpu = process.cpuUsage();
  return {
    snapshot: fleet.stats.snapshot(),
    atMs: performance.now(),
    cpuMicros: cpu.user + cpu.system,
  };
};

/** Runs the fleet of the profile `file` until a stop signal; resolves with the exit code. */
export const runFleet = async (
  file: string,
  options: FleetCommandOptions,
  io: CliIo,
): Promise<ExitCode> => {
  const usage = (line: string) => {
    io.err(`cpekit fleet: ${line}`);
    return ExitCode.Usage;
  };
  const grace = Number(options.grace);
  if (!Number.isFinite(grace) || grace < 0)
    return usage(`--grace expects a number of seconds, got "${options.grace}"`);
  const metricsPort = options.metricsPort === undefined ? undefined : Number(options.metricsPort);
  if (
    metricsPort !== undefined &&
    !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort <= 65535)
  )
    return usage(`--metrics-port expects a TCP port, got "${options.metricsPort}"`);
  const loaded = await loadProfile(file);
  if (Either.isLeft(loaded)) {
    io.err(loaded.left.message);
    return ExitCode.Usage;
  }
  // The other kinds of device, their paths taken from this profile's folder.
  const mixed: MixedProfile[] = [];
  for (const m of loaded.right.profile.fleet?.mix ?? []) {
    const mixFile = resolve(dirname(resolve(file)), m.profile);
    const other = await loadProfile(mixFile);
    if (Either.isLeft(other)) {
      io.err(other.left.message);
      return ExitCode.Usage;
    }
    mixed.push({ loaded: other.right, file: mixFile, weight: m.weight });
  }
  const plan = fleetPlanOf(loaded.right, file, options, mixed);
  if (Either.isLeft(plan)) {
    io.err(plan.left.message);
    return ExitCode.Usage;
  }
  const p = plan.right;
  const status = options.status === false ? undefined : io.status;
  let statusShown = "";
  const log = (line: string) => {
    if (status && statusShown !== "") status("");
    io.out(`${timestamp()} ${line}`);
    if (status && statusShown !== "") status(statusShown);
  };

  let first: FleetReading | undefined;
  let last: FleetReading | undefined;
  const body = Effect.gen(function* () {
    const signals = yield* listenForStopSignals;
    const storeOf = yield* openFleetStore(p.store);
    const acs = p.device.acs;
    const tls = {
      ...(acs.caFile === undefined ? {} : { caFile: acs.caFile }),
      ...(acs.certFile === undefined ? {} : { certFile: acs.certFile }),
      ...(acs.keyFile === undefined ? {} : { keyFile: acs.keyFile }),
      rejectUnauthorized: acs.rejectUnauthorized,
      ...(acs.credentialsOnRedirect === true ? { credentialsOnRedirect: true } : {}),
    };
    const cr = p.device.connectionRequest;
    const schema = p.device.schema;
    const fleet = yield* makeFleet({
      count: p.count,
      shard: p.shard,
      ramp: p.ramp,
      spec: (index) => fleetDeviceSpecOf(p, index),
      store: storeOf,
      ...(p.maxOpenSessions === undefined ? {} : { maxOpenSessions: p.maxOpenSessions }),
      // Every device brings its kind's compiled schema; this is the profile's own.
      schema: fleetKindOf(p, 0).schema,
      managementServerPrefix: `${schema.root}.ManagementServer.`,
      // One transport for the whole fleet: its connections and TLS files are shared.
      transport: AcsClient.make({
        ...tls,
        ...(acs.requestCompression === undefined
          ? {}
          : { requestCompression: acs.requestCompression }),
      }),
      fileTransfer: HttpFileTransfer.make(tls),
      providers: (spec, startedAt) => [
        runtimeProvider(fleetKindOf(p, spec.index).device.schema, startedAt),
      ],
      connectionRequests: {
        host: cr.host,
        port: cr.port,
        pathPrefix: p.pathPrefix,
        ...(cr.advertisedHost === undefined ? {} : { advertisedHost: cr.advertisedHost }),
        ...(p.rateLimit === undefined ? {} : { rateLimit: p.rateLimit }),
      },
      onEvent: (event) => {
        if (event.type === "failed") log(`device ${event.serial} stopped: ${event.detail}`);
      },
    });
    const range = shardRange(p.count, p.shard);
    log(
      `fleet: ${range.end - range.start} of ${p.count} devices (shard ${p.shard.index}/${p.shard.total}: ${p.serialOf(range.start)} .. ${p.serialOf(Math.max(range.start, range.end - 1))}), ` +
        `ramp ${Number.isFinite(p.ramp) ? `${p.ramp}/s` : "none"}, ACS ${acs.url}, connection requests at ${fleet.connectionRequests.origin}${p.pathPrefix}<serial>, ` +
        `store ${p.store.kind === "memory" ? "in memory" : p.store.dir}, ` +
        `open sessions at most ${p.maxOpenSessions ?? DEFAULT_MAX_OPEN_SESSIONS}` +
        (p.kinds.length > 1
          ? `, kinds by weight: ${p.kinds.map((k) => `${k.device.deviceId.productClass} ${k.weight}`).join(", ")}`
          : ""),
    );
    if (metricsPort !== undefined) {
      const url = yield* serveMetrics(
        fleetMetricsRegistry(fleet.stats),
        options.metricsHost,
        metricsPort,
      );
      log(`metrics at ${url}`);
    }
    first = reading(fleet);
    last = first;
    const tick = Effect.sync(() => {
      const now = reading(fleet);
      const line = statusLine(now.snapshot, ratesBetween(last ?? now, now));
      last = now;
      if (status) {
        statusShown = line;
        status(line);
      } else log(line);
    });
    yield* Effect.forkScoped(
      Effect.repeat(tick, Schedule.spaced(status ? Duration.seconds(1) : LOG_STATUS_EVERY)).pipe(
        Effect.delay(status ? Duration.seconds(1) : LOG_STATUS_EVERY),
      ),
    );
    const signal = yield* signals.requested;
    log(
      `${signal}: stopping; open sessions may finish (at most ${grace} s; signal again to abandon them)`,
    );
    const how = yield* Effect.raceAll([
      Effect.as(fleet.sessionsDone, "every session finished"),
      Effect.as(signals.insisted, "open sessions abandoned"),
      Effect.as(Effect.sleep(Duration.seconds(grace)), "open sessions abandoned (grace time over)"),
    ]);
    last = reading(fleet);
    log(how);
    return fleet;
  });
  const program = runWithBoundedClose(body, (message) => io.err(`cpekit fleet: ${message}`));
  const exit = await Effect.runPromise(Effect.either(program));
  if (status && statusShown !== "") {
    status("");
    statusShown = "";
  }
  if (first !== undefined && last !== undefined)
    for (const line of summaryLines(first, last)) io.out(line);
  if (Either.isLeft(exit)) {
    io.err(`cpekit fleet: ${exit.left.message}`);
    return ExitCode.Failure;
  }
  log("stopped");
  return ExitCode.Success;
};
