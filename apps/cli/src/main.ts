#!/usr/bin/env node
/**
 * The `cpekit` executable: runs the command line and exits with its code.
 * @module
 */
import { processIo } from "./cli-io.js";
import { runCli } from "./cli-program.js";
import { endQuietlyOnClosedOutput } from "./closed-output.js";

endQuietlyOnClosedOutput();

const code = await runCli(process.argv.slice(2), processIo);
// Setting exitCode (not calling exit) lets pending writes to stdout/stderr drain.
process.exitCode = code;
// A safety net: should a library keep a handle open after the command ended, exit anyway.
// An unref'd timer never keeps the process alive by itself.
setTimeout(() => process.exit(code), 1_000).unref();
