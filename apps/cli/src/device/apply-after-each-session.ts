/**
 * Settings the ACS may change in a session (STUN*, the XMPP connection) apply after the session
 * that set them, not in the middle of it: a connection-request source re-reads them when the
 * agent's session ends, and once when an agent life starts (values stored by an earlier life).
 * @module
 */
import type { Agent } from "@cpekit/core";
import { Effect, Runtime, type Scope } from "effect";

/**
 * Runs `applySettings` now and after every session of `agent`, for as long as the current
 * scope (one life of the agent) lasts.
 */
export const applyAfterEachSession = (
  agent: Pick<Agent, "actor">,
  applySettings: Effect.Effect<void>,
): Effect.Effect<void, never, Scope.Scope> =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>();
    const subscription = agent.actor.on("sessionEnded", () => {
      Runtime.runFork(runtime)(applySettings);
    });
    yield* Effect.addFinalizer(() => Effect.sync(() => subscription.unsubscribe()));
    // Settings stored by an earlier life (set by the ACS) apply now.
    yield* applySettings;
  });
