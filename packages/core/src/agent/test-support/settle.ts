/**
 * Test support: lets the agent's fibers and promise chains run. They wait on real macrotasks,
 * which virtual time (TestClock) does not move, so a test yields to the event loop a number of
 * times before it looks at the outcome.
 * @module
 */
import { Effect } from "effect";

/** Yields to the event loop 21 times (one `setImmediate` each). */
export const settle: Effect.Effect<void> = Effect.promise(
  () => new Promise<void>((r) => setImmediate(r)),
).pipe(Effect.repeatN(20));
