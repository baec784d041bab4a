#!/usr/bin/env node
/**
 * The `cpekit` executable: runs the command line and exits with its code.
 *
 * V8 settings (issue 11) are made in code, in `heap-flags.ts`, not on the `#!` line above:
 * `node dist/main.js` then runs as the bin does, and `run` can keep one device's process small
 * without making a fleet pay for it.
 * @module
 */
// First: the heap settings apply to everything loaded after them.
import "./heap-flags.js";
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
