/**
 * Reads one value of the device's own data model for the agent's use: with hidden values
 * included (credentials, URLs) or as the ACS reads it (timing settings).
 * @module
 */
import { Effect, Option } from "effect";
import type { CwmpFault } from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type { DataModel } from "../datamodel/data-model.js";

/** A data-model read of several names: `getDeviceValues` or `getParameterValues`. */
export type ReadValues = (
  names: readonly string[],
) => Effect.Effect<readonly ParameterValueStruct[], CwmpFault>;

/** The value of `name` through `read`, or none when the model lacks it or cannot read it. */
export const readValueWith = (
  read: ReadValues,
  name: string,
): Effect.Effect<Option.Option<string>> =>
  Effect.map(Effect.option(read([name])), (o) =>
    Option.flatMap(o, (list) => Option.fromNullable(list[0]?.value)),
  );

/** The value of `name` as stored or served, or none when the model lacks it or cannot read it. */
export const readDeviceValue = (
  model: Pick<DataModel, "getDeviceValues">,
  name: string,
): Effect.Effect<Option.Option<string>> =>
  readValueWith((names) => model.getDeviceValues(names), name);

/**
 * The value of `name` as an ACS would read it (`getParameterValues`, hidden values not
 * shown), or none when the model lacks it or cannot read it: for settings the ACS sets.
 */
export const readParameterValue = (
  model: Pick<DataModel, "getParameterValues">,
  name: string,
): Effect.Effect<Option.Option<string>> =>
  readValueWith((names) => model.getParameterValues(names), name);
