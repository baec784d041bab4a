/**
 * At most N sessions of a fleet open at once (issue 11). Beyond that a device waits for a slot
 * BEFORE it connects, so a fleet that offers more sessions than its process can carry (a boot
 * storm on a small machine) queues them instead of letting them time out midway: a timed-out
 * Inform is sent again, as the protocol asks (its events stay until an InformResponse is
 * received), and the ACS would see the same `0 BOOTSTRAP` twice because the simulator, not the
 * ACS, was too slow.
 * @module
 */
import { type AcsTransportService, addScopeFinalizer } from "@cpekit/core";
import { Effect } from "effect";

/**
 * Default most sessions open at once in one fleet process: far below a storm of thousands, and
 * still 600 sessions/s against an ACS that takes 400 ms per session (a distant one).
 */
export const DEFAULT_MAX_OPEN_SESSIONS = 256;

/**
 * A first-come first-served counter of slots. Effect's `Semaphore` wakes every waiter on each
 * release (they race for the permit and all but one wait again): with thousands of devices
 * waiting, each session's end woke thousands of fibers. Here a release hands its slot to the
 * longest waiter, and only that one wakes.
 */
const makeSlots = (max: number) => {
  let free = max;
  const waiting = new Set<() => void>();
  const release = () => {
    const next = waiting.values().next();
    if (next.done === true) free++;
    else next.value();
  };
  const take = Effect.async<void>((resume) => {
    if (free > 0) {
      free--;
      resume(Effect.void);
      return;
    }
    let granted = false;
    const grant = () => {
      granted = true;
      waiting.delete(grant);
      resume(Effect.void);
    };
    waiting.add(grant);
    // Interrupted while waiting: leave the line; handed a slot it will not use: pass it on.
    return Effect.sync(() => {
      if (granted) release();
      else waiting.delete(grant);
    });
  });
  return { take, release };
};

/**
 * `transport` with at most `max` connections open at once; a session holds its slot until its
 * scope closes (the session's end), and waits for one, first come first served, before
 * connecting.
 */
export const limitOpenSessions = (
  transport: AcsTransportService,
  max: number,
): Effect.Effect<AcsTransportService> =>
  Effect.sync(() => {
    const slots = makeSlots(Math.max(1, Math.floor(max)));
    return {
      open: (endpoint) =>
        Effect.zipRight(
          // The wait stays interruptible (a device stopped while it waits); the slot, once
          // taken, is always given back when the session's scope closes.
          Effect.uninterruptibleMask((restore) =>
            Effect.zipRight(restore(slots.take), addScopeFinalizer(Effect.sync(slots.release))),
          ),
          transport.open(endpoint),
        ),
    };
  });
