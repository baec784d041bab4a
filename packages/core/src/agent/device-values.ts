/**
 * Reads several of the device's own values in one data-model call. Each call takes the
 * device's lock and resolves its names, a fixed cost the agent paid about 24 times per session
 * when it read its settings one by one (issue 11); read together, the settings of one moment
 * also come from one consistent state.
 * @module
 */
import { Effect, Option } from "effect";
import type { CompiledSchema } from "../datamodel/compiled-schema.js";
import type { DataModel } from "../datamodel/data-model.js";
import { readDeviceValue } from "./device-value.js";

/** Values read together: none for a name the model lacks or cannot read. */
export type DeviceValues = (name: string) => Option.Option<string>;

/** What {@link readDeviceValues} reads from; the schema, when given, leaves absent names out. */
export type DeviceValuesModel = Pick<DataModel, "getDeviceValues"> & {
  readonly compiled?: CompiledSchema;
};

// A name with an instance number (`.1.`) is not a schema path: the schema cannot tell.
const hasInstanceNumber = /\.\d+\./;

/**
 * Whether `name` may exist in the model: false only for a name without instance numbers that
 * the schema has no parameter for (it could only fail the whole call with 9005).
 */
const mayExist = (model: DeviceValuesModel, name: string): boolean =>
  model.compiled === undefined ||
  model.compiled.schema.parameters.has(name) ||
  hasInstanceNumber.test(name);

/**
 * The device values of `names` (hidden values as they are: for the agent's own use) in one
 * data-model call. When that call fails (a provider cannot read one of them), each name is
 * read alone, as {@link readDeviceValue} reads it, so one bad value hides no other.
 */
export const readDeviceValues = (
  model: DeviceValuesModel,
  names: readonly string[],
): Effect.Effect<DeviceValues> => {
  const present = names.filter((n) => mayExist(model, n));
  if (present.length === 0) return Effect.succeed(() => Option.none());
  return Effect.flatMap(Effect.option(model.getDeviceValues(present)), (batch) => {
    if (Option.isSome(batch)) {
      const values = new Map(batch.value.map((v) => [v.name, v.value]));
      return Effect.succeed((n: string) => Option.fromNullable(values.get(n)));
    }
    return Effect.map(
      Effect.forEach(present, (n) => readDeviceValue(model, n)),
      (list) => {
        const one = new Map(present.map((n, i) => [n, list[i] ?? Option.none<string>()]));
        return (n: string) => one.get(n) ?? Option.none<string>();
      },
    );
  });
};

/** `get(name)` when it is non-empty ("set" in the data model), as `readSetValue` reads one. */
export const setValueOf = (get: DeviceValues, name: string): Option.Option<string> =>
  Option.filter(get(name), (v) => v !== "");
