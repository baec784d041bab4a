/**
 * `cpekit fleet <profile>`: N devices from one profile in one process, sharing one
 * connection-request port (a path per device), booting at a ramp, optionally one shard of a
 * fleet spread over several machines; a status line, Prometheus metrics on request, a clean
 * stop on SIGINT/SIGTERM and a summary at exit.
 * @module
 */
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import type { FleetCommandOptions } from "../fleet/fleet-plan.js";

/** Adds `fleet <profile>` to `program`. */
export const registerFleetCommand = (
  program: Command,
  io: CliIo,
  setExitCode: SetExitCode,
): void => {
  program
    .command("fleet")
    .description("run many devices from one profile until SIGINT or SIGTERM")
    .argument("<profile>", "device profile, YAML or JSON (.json), with an optional fleet: section")
    .option("-n, --count <n>", "devices in the whole fleet (fleet.count)")
    .option("--ramp <rate>", "boot rate: 200/s, 1000/min or none (fleet.ramp; default 200/s)")
    .option("--shard <i/n>", "run the i-th of n disjoint slices of the serial range (fleet.shard)")
    .option(
      "--store <dir|memory>",
      "state: an LMDB folder holding every device, or memory (fleet.store)",
    )
    .option(
      "--max-sessions <n>",
      "most sessions open at once; more devices wait for a slot (fleet.maxOpenSessions; default 256)",
    )
    .option("--metrics-port <port>", "serve Prometheus metrics at /metrics on this port")
    .option("--metrics-host <address>", "address of the metrics port", "127.0.0.1")
    .option("--grace <seconds>", "time open sessions may take to finish on stop", "10")
    .option("--no-status", "no status line on a terminal")
    .addHelpText(
      "after",
      `
Every device is the profile's device with its own serial number (fleet.serialTemplate, default
CPE{index:06}), its own state, its own connection-request path (<connectionRequest.path or /cr/><serial>
on the one connectionRequest.port) and credentials ({serial} and {index} in
connectionRequest.username/password are filled in), and its own periodic phase (PeriodicInformTime
spread over the interval unless the profile sets one). fleet.connectionRequestRateLimit
{ max, windowSeconds } limits each device's accepted connection requests; fleet.mix
[{ profile, weight }] adds other kinds of device (fleet.weight is this profile's weight).

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 the fleet could not start, 2 bad profile or usage.`,
    )
    .action(async (file: string, options: FleetCommandOptions) => {
      const { runFleet } = await import("../fleet/run-fleet.js");
      setExitCode(await runFleet(file, options, io));
    });
};
