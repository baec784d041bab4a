/**
 * V8 settings of `cpekit` processes, set from the code rather than on the bin's `#!` line, so
 * they apply however the CLI is started (as the `cpekit` bin, or as `node dist/main.js`: the
 * container image, the benchmarks) and each command gets its own. This module is imported
 * first by `main.ts`: what it sets at load applies to every command.
 *
 * Allocation-site pretenuring is off. With it on, V8 saw a session's objects (its actor, fibers,
 * sockets) outlive a scavenge often enough to allocate them straight into the old generation,
 * where they died: about 56 KB per session that only a full mark-compact reclaimed, so the old
 * generation swung between 20 and 90 MB. Off, measured with `pnpm bench fleet` (issue 11,
 * docs/BENCHMARKS.md, round 6): `cpekit run` back to back 160 -> 102 MB RSS at the same CPU
 * per session; a fleet of 1,000 devices at 0.2 connection requests/s 506-531 -> 357-373 MB RSS
 * and 3.17-3.33 -> 2.92 ms CPU per session.
 * @module
 */
import { setFlagsFromString } from "node:v8";

// A GC heuristic read when V8 decides, so setting it after start-up takes effect.
setFlagsFromString("--no-allocation-site-pretenuring");

/**
 * Keeps the process of one device small (`cpekit run`; issue 11's goal of 80 MB of RSS), at a
 * CPU cost a fleet would not want (`cpekit fleet` leaves V8's defaults):
 * - the young generation stays at its first 1 MB semi-space instead of growing to 16 MB: about
 *   10 MB less after boot and 50-70 MB less while serving sessions back to back, for about 8 %
 *   more CPU per session (more scavenges);
 * - WebAssembly (undici's HTTP parser, compiled at the first connection) stays on its baseline
 *   compiler, whose optimizing tier-up took about 10 MB for a parser that reads three small
 *   responses per session.
 *
 * Called before the device starts: both are read when V8 next grows the young generation or
 * compiles a module.
 */
export const keepOneDeviceSmall = (): void => {
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString("--liftoff-only");
};
