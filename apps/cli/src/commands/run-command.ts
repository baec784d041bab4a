/**
 * `cpekit run <profile>`: loads a device profile (YAML or JSON), starts the device it
 * describes and runs its agent until SIGINT or SIGTERM. One line per session and per
 * exchange; `--verbose` adds the SOAP envelopes.
 *
 * A bad profile is refused before anything starts, with one line per problem naming the field,
 * and exit code 2 (bad input, like an unknown option). On the first SIGINT/SIGTERM an open
 * session may finish (at most `--grace` seconds); a second signal abandons it. The servers then
 * close and the store, written atomically, holds the last complete state: exit code 0.
 * @module
 */
import { deviceKeyOf } from "@cpekit/acs-testkit";
import type { Command } from "commander";
import { Duration, Effect, Either, Schedule } from "effect";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import { deviceSpecOf } from "../device/device-spec.js";
import { startDevice } from "../device/start-device.js";
import { listenForStopSignals } from "../device/stop-signals.js";
import { ExitCode } from "../exit-code.js";
import { deviceLogLines } from "../output/device-log.js";
import { loadProfile } from "../profile/load-profile.js";

/** Options of `run`. */
interface RunOptions {
  readonly verbose?: boolean;
  readonly grace: string;
}

const timestamp = () => new Date().toISOString();

const runProfile = async (file: string, options: RunOptions, io: CliIo): Promise<ExitCode> => {
  const grace = Number(options.grace);
  if (!Number.isFinite(grace) || grace < 0) {
    io.err(`cpekit run: --grace expects a number of seconds, got "${options.grace}"`);
    return ExitCode.Usage;
  }
  const loaded = await loadProfile(file);
  const spec = Either.flatMap(loaded, (l) => deviceSpecOf(l, file));
  if (Either.isLeft(spec)) {
    io.err(spec.left.message);
    return ExitCode.Usage;
  }
  if (spec.right.plugin === "quecpython") {
    io.err(
      `bad profile ${file}:\n  plugin.name: "quecpython" is not available in this version (the plugin has no TR-181 mapping yet); use "generic"`,
    );
    return ExitCode.Usage;
  }
  const device = spec.right;
  const log = (line: string) => io.out(`${timestamp()} ${line}`);

  const program = Effect.scoped(
    Effect.gen(function* () {
      const signals = yield* listenForStopSignals;
      const handle = yield* startDevice(device, (event) => {
        for (const line of deviceLogLines(event, options.verbose === true)) log(line);
      });
      log(
        `device ${deviceKeyOf(device.deviceId)} running: ACS ${device.acs.url}, store ${device.storePath}`,
      );
      const signal = yield* Effect.raceFirst(handle.failed, signals.requested);
      const open = yield* handle.openSessions;
      if (open > 0) {
        log(`${signal}: letting the open session finish (at most ${grace} s; signal again to abandon it)`);
        const idle = Effect.repeat(handle.openSessions, {
          until: (n) => n === 0,
          schedule: Schedule.spaced(Duration.millis(50)),
        });
        const how = yield* Effect.raceAll([
          Effect.as(idle, "finished"),
          Effect.as(signals.insisted, "abandoned"),
          Effect.as(Effect.sleep(Duration.seconds(grace)), "abandoned"),
        ]);
        log(`session ${how}`);
      } else {
        log(`${signal}: stopping`);
      }
    }),
  );
  const exit = await Effect.runPromise(Effect.either(program));
  if (Either.isLeft(exit)) {
    io.err(`cpekit run: ${exit.left.message}`);
    return ExitCode.Failure;
  }
  log(`stopped; state saved in ${device.storePath}`);
  return ExitCode.Success;
};

/** Adds `run <profile>` to `program`. */
export const registerRunCommand = (program: Command, io: CliIo, setExitCode: SetExitCode): void => {
  program
    .command("run")
    .description("run the device a profile describes until SIGINT or SIGTERM")
    .argument("<profile>", "device profile, YAML or JSON (.json)")
    .option("-v, --verbose", "print every SOAP envelope sent and received")
    .option("--grace <seconds>", "time an open session may take to finish on stop", "10")
    .addHelpText(
      "after",
      `
The profile names the ACS (acs.url or Quectel's acs.requestOptions), the DeviceId (device.*),
the data model (dataModel.root, dataModel.profile, dataModel.values), the connection-request
listener (connectionRequest.*), the store file (store) and the plugin (plugin.name: generic).
Relative paths are taken from the profile's folder.

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 the device failed, 2 bad profile or usage.`,
    )
    .action(async (file: string, options: RunOptions) => {
      setExitCode(await runProfile(file, options, io));
    });
};
