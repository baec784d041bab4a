/**
 * Reads one value of the device's own data model for the agent's use: with hidden values
 * included (credentials, URLs) or as the ACS reads it (timing settings).
 * @module
 */
import { Effect, Option } from "effect";
import type { DataModel } from "../datamodel/data-model.js";

/** The value of `name` as stored or served, or none when the model lacks it or cannot read it. */
export const readDeviceValue = (
  model: Pick<DataModel, "getDeviceValues">,
  name: string,
): Effect.Effect<Option.Option<string>> =>
  Effect.map(Effect.option(model.getDeviceValues([name])), (o) =>
    Option.flatMap(o, (list) => Option.fromNullable(list[0]?.value)),
  );

/**
 * The value of `name` as an ACS would read it (`getParameterValues`, hidden values not
 * shown), or none when the model lacks it or cannot read it: for settings the ACS sets.
 */
export const readParameterValue = (
  model: Pick<DataModel, "getParameterValues">,
  name: string,
): Effect.Effect<Option.Option<string>> =>
  Effect.map(Effect.option(model.getParameterValues([name])), (o) =>
    Option.flatMap(o, (list) => Option.fromNullable(list[0]?.value)),
  );
