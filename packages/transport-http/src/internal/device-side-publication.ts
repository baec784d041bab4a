/**
 * Publishing values the device learns (a STUN binding, an XMPP JID) in its own data model:
 * the parameters are read-only for the ACS, so they are written as device-side changes
 * (`recordChanges`), which raise `4 VALUE CHANGE` per their notification attribute. The
 * UDP and XMPP publications differ only in which parameters they write.
 * @module
 */
import { type DataModel, type ParameterChange, readDeviceValue } from "@cpekit/core";
import { Effect, Option, Stream } from "effect";

/** The data model calls a publication uses. */
export type PublicationModel = Pick<DataModel, "getDeviceValues" | "recordChanges">;

/** What values are published into: the agent's data model and its value-change signal. */
export interface PublicationTarget {
  readonly dataModel: PublicationModel;
  /** `Agent.valueChanged`: starts a session when an active notification is pending. */
  readonly valueChanged: Effect.Effect<void>;
}

/**
 * Records the `wanted` values that differ from the stored ones; returns the names whose
 * notification became pending. Parameters the model lacks are skipped (a model without them
 * does not publish them), and unchanged values are not written (no spurious value change).
 */
export const recordChangedValues = (
  model: PublicationModel,
  wanted: readonly ParameterChange[],
): Effect.Effect<readonly string[]> =>
  Effect.gen(function* () {
    const changes: ParameterChange[] = [];
    for (const c of wanted) {
      const stored = yield* readDeviceValue(model, c.path);
      if (Option.isSome(stored) && stored.value !== c.value) changes.push(c);
    }
    if (changes.length === 0) return [];
    return yield* Effect.orElseSucceed(model.recordChanges(changes), () => [] as readonly string[]);
  });

/**
 * Publishes every value of `values` into `target` with `publish` until interrupted (fork it),
 * telling the agent when a notification became pending.
 */
export const followPublication = <A>(
  values: Stream.Stream<A>,
  target: PublicationTarget,
  publish: (model: PublicationModel, value: A) => Effect.Effect<readonly string[]>,
): Effect.Effect<void> =>
  Stream.runForEach(values, (v) =>
    Effect.flatMap(publish(target.dataModel, v), (pending) =>
      pending.length > 0 ? target.valueChanged : Effect.void,
    ),
  );
