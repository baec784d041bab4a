/**
 * What `cpekit run <profile>` does (see `commands/run-command.ts` for the command itself):
 * loads and settles the profile, starts the device, logs its sessions, and stops it on
 * SIGINT/SIGTERM, letting an open session finish for at most the grace time.
 * @module
 */
import { Duration, Effect, Either, Schedule } from "effect";
import type { CliIo } from "../cli-io.js";
import { deviceSpecOf } from "../device/device-spec.js";
import { runWithBoundedClose } from "../device/run-with-bounded-close.js";
import { startDevice } from "../device/start-device.js";
import { listenForStopSignals } from "../device/stop-signals.js";
import { ExitCode } from "../exit-code.js";
import { deviceKeyOf } from "../output/device-key.js";
import { deviceLogLines } from "../output/device-log.js";
import { makeLogTimestamp } from "../output/log-timestamp.js";
import { loadProfile } from "../profile/load-profile.js";

/** Options of `run`. */
export interface RunOptions {
  readonly verbose?: boolean;
  readonly grace: string;
}

/** Runs the device of the profile `file` until a stop signal; resolves with the exit code. */
export const runProfile = async (
  file: string,
  options: RunOptions,
  io: CliIo,
): Promise<ExitCode> => {
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
  const device = spec.right;
  const timestamp = makeLogTimestamp();
  const log = (line: string) => io.out(`${timestamp()} ${line}`);

  const body = Effect.gen(function* () {
    const signals = yield* listenForStopSignals;
    const handle = yield* startDevice(device, (event) => {
      for (const line of deviceLogLines(event, options.verbose === true)) log(line);
    });
    log(
      `device ${deviceKeyOf(handle.deviceId)} running (${handle.description}): ACS ${device.acs.url}, store ${device.storePath}`,
    );
    if (handle.udpConnectionRequestPort !== undefined)
      log(
        `UDP connection requests on port ${handle.udpConnectionRequestPort}${device.udpConnectionRequest?.stun.enable === true ? ", STUN on" : ""}`,
      );
    const defaulted = Object.entries(device.versionDefaults ?? {});
    if (defaulted.length > 0)
      log(
        `the profile sets no ${defaulted.map(([n]) => n).join(", ")}: informing "${defaulted[0]?.[1]}" (set them under dataModel.values)`,
      );
    const signal = yield* Effect.raceFirst(handle.failed, signals.requested);
    const open = yield* handle.openSessions;
    if (open > 0) {
      log(
        `${signal}: letting the open session finish (at most ${grace} s; signal again to abandon it)`,
      );
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
  });
  // The device's resources close when the body ends, within a bound.
  const program = runWithBoundedClose(body, (message) => io.err(`cpekit run: ${message}`));
  const exit = await Effect.runPromise(Effect.either(program));
  if (Either.isLeft(exit)) {
    io.err(`cpekit run: ${exit.left.message}`);
    return ExitCode.Failure;
  }
  log(`stopped; state saved in ${device.storePath}`);
  return ExitCode.Success;
};
