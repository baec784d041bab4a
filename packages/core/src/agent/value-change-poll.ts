/**
 * Value-change polling (requirement section 1.11): parameters served by providers that do not
 * push their changes are read every interval and compared with their last known values; a
 * change of a parameter with active notification asks for a `4 VALUE CHANGE` session.
 * Runs on Effect's `Clock`, so `TestClock` drives it.
 * @module
 */
import { Duration, Effect } from "effect";
import type { DataModel } from "../datamodel/data-model.js";

/** The default polling interval, seconds. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

/**
 * One poll of `model`: after a poll that found changes runs `onChange`; a failed poll (a
 * provider unavailable) is logged.
 */
export const pollValueChangesOnce = (
  model: Pick<DataModel, "poll">,
  onChange: Effect.Effect<void>,
): Effect.Effect<void> =>
  Effect.matchEffect(model.poll, {
    onFailure: (fault) => Effect.logDebug(`value-change poll failed: ${fault.message}`),
    onSuccess: (changed) => (changed.length > 0 ? onChange : Effect.void),
  });

/**
 * Polls `model` at once (the first poll only sets the baselines), then every
 * `intervalSeconds`; after a poll that found changes runs `onChange` (the agent's
 * `valueChanged`, which starts a session only for an active notification). A failed poll (a
 * provider unavailable) is logged and the next one comes at the usual time. Runs until
 * interrupted.
 */
export const pollValueChanges = (
  model: Pick<DataModel, "poll">,
  intervalSeconds: number,
  onChange: Effect.Effect<void>,
): Effect.Effect<never> => {
  const once = pollValueChangesOnce(model, onChange);
  const wait = Effect.sleep(Duration.seconds(intervalSeconds));
  return Effect.zipRight(once, Effect.forever(Effect.zipRight(wait, once)));
};
