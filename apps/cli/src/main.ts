#!/usr/bin/env -S node --max-semi-space-size=2 --liftoff-only
/**
 * The `cpekit` executable: runs the command line and exits with its code.
 *
 * The V8 flags above keep a one-device `cpekit run` near 80 MB of RSS (issue 11, round 4 in
 * docs/BENCHMARKS.md): a 2 MB semi-space instead of V8's 16 MB (no CPU cost measured per
 * session), and WebAssembly (undici's HTTP parser) kept on its baseline compiler, whose
 * optimizing tier-up took ~10 MB for a parser that reads three small responses per session.
 * They apply when the bin runs as a program (`cpekit ...`); `node dist/main.js` runs without
 * them, as a large fleet may prefer (see deploy/). The settings that help in both cases are in
 * `heap-flags.ts`, imported first.
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
