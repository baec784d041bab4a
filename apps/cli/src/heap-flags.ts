/**
 * V8 heap settings for every `cpekit` process, set before the rest of the CLI loads (`main.ts`
 * imports this module first), so they apply however the CLI is started: as the `cpekit` bin, or
 * as `node dist/main.js` (the container image, the fleet benchmark).
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
