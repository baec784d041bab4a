/**
 * `cpekit conformance`: registers the command (see `conformance-main.ts` for what it does).
 * @module
 */
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import type { SetExitCode } from "../cli-program.js";
import type { ConformanceCommandOptions } from "./conformance-main.js";

/** Adds `conformance` to `program`. */
export const registerConformanceCommand = (
  program: Command,
  io: CliIo,
  setExitCode: SetExitCode,
): void => {
  program
    .command("conformance")
    .description("check a cpekit agent against the CWMP requirement rows, on loopback only")
    .option("-o, --out <file>", "Markdown report (default <repo>/docs/CONFORMANCE.md)")
    .option("--no-write", "print the table only")
    .option("--only <regex>", "only scenarios with a requirement ID matching this")
    .option("--concurrency <n>", "scenarios run at once", "4")
    .option(
      "--requirements <file>",
      "requirements document (default <repo>/docs/cwmp-requirements.md)",
    )
    .option("--strict", "exit 1 when a row fails")
    .addHelpText(
      "after",
      `
Every scenario starts a fresh in-process test ACS and a fresh agent (transport-http on
127.0.0.1, TR-181 Device:2 schema) and checks one or more requirement rows. Rows no scenario
checks are listed as "not covered". The §1.8-STUN and §1.9 XMPP scenarios start Debian's
coturn and Prosody on 127.0.0.1 with generated configurations; where they are not installed
those scenarios are skipped with the reason (failed when CPEKIT_REQUIRE_SERVERS=1).

Exit codes: 0 the suite ran (failing rows are in the report; 1 with --strict), 2 usage error.`,
    )
    .action(async (options: ConformanceCommandOptions) => {
      // Loaded on use, so that `--help` and usage errors start fast.
      const { conformanceMain } = await import("./conformance-main.js");
      const viaScript = process.env.npm_lifecycle_event === "conformance";
      const command = viaScript ? "pnpm conformance" : `cpekit ${process.argv.slice(2).join(" ")}`;
      setExitCode(await conformanceMain({ ...options, command }, io, process.cwd()));
    });
};
