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
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import { keepOneDeviceSmall } from "../heap-flags.js";
import type { RunOptions } from "../run/run-profile.js";

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
listener (connectionRequest.*; connectionRequest.udp adds TR-069 Annex G UDP connection requests,
and stun.* the STUN client that keeps a NAT binding open for them; connectionRequest.xmpp adds
TR-069 Annex K XMPP connection requests over an outbound XMPP stream: domain, username, password,
resource, server, port, useTls, caFile, verifyTls, allowedJabberIds, keepAliveInterval,
retryInitialInterval, retryIntervalMultiplier, retryMaxInterval, connectAttempts), the store file (store) and the plugin (plugin.name: generic, or quecpython with plugin.options.port | tcp | simulate).
Relative paths are taken from the profile's folder.

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 the device failed, 2 bad profile or usage.`,
    )
    .action(async (file: string, options: RunOptions) => {
      keepOneDeviceSmall();
      // Loaded on use, so that `--help` and usage errors start fast.
      const { runProfile } = await import("../run/run-profile.js");
      setExitCode(await runProfile(file, options, io));
    });
};
