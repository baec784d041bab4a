/**
 * Servers a scenario starts for itself on 127.0.0.1 (coturn for STUN, Prosody for XMPP), for
 * the life of the scenario. A missing server binary skips the scenario with the reason (the row
 * stays "not covered"), except under `CPEKIT_REQUIRE_SERVERS=1` (CI), where it fails it.
 * @module
 */
import { Effect, type Scope } from "effect";
import { serversRequired } from "../servers/servers-required.js";
import { ScenarioFailed, ScenarioSkipped } from "./scenario.js";

/**
 * Starts `what` with `start` (stopped when the scope closes), or skips/fails the scenario when
 * `unavailable` gives a reason it cannot run here.
 */
export const scenarioServer = <S extends { readonly stop: () => Promise<void> }>(
  what: string,
  unavailable: () => string | undefined,
  start: () => Promise<S>,
): Effect.Effect<S, ScenarioFailed | ScenarioSkipped, Scope.Scope> =>
  Effect.suspend((): Effect.Effect<S, ScenarioFailed | ScenarioSkipped, Scope.Scope> => {
    const why = unavailable();
    if (why !== undefined)
      return serversRequired()
        ? Effect.fail(new ScenarioFailed({ reason: `CPEKIT_REQUIRE_SERVERS=1 but ${why}` }))
        : Effect.fail(new ScenarioSkipped({ reason: `${what} is not available: ${why}` }));
    return Effect.acquireRelease(
      Effect.tryPromise({
        try: start,
        catch: (e) =>
          new ScenarioFailed({
            reason: `${what} did not start: ${e instanceof Error ? e.message : String(e)}`,
          }),
      }),
      (server) => Effect.promise(() => server.stop().catch(() => undefined)),
    );
  });
