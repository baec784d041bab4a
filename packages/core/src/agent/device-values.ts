/**
 * Reads several of the device's values in one data-model call. Each call resolves its names
 * (and, for a read with work to do, takes the device's lock): a fixed cost the agent paid about
 * 24 times per session when it read its settings one by one (issue 11). Read together, the
 * settings of one moment also come from one consistent state.
 * @module
 */
import { Effect, Option } from "effect";
import type { CompiledSchema } from "../datamodel/compiled-schema.js";
import type { DataModel } from "../datamodel/data-model.js";
import { type ReadValues, readValueWith } from "./device-value.js";

/** Values read together: none for a name the model lacks or cannot read. */
export type DeviceValues = (name: string) => Option.Option<string>;

/** What {@link readDeviceValues} reads from; the schema, when given, leaves absent names out. */
export type DeviceValuesModel = Pick<DataModel, "getDeviceValues"> & {
  readonly compiled?: CompiledSchema;
};

// A name with an instance number (`.1.`) is not a schema path: the schema cannot tell.
const hasInstanceNumber = /\.\d+\./;

/**
 * Whether `name` may exist: false only for a name without instance numbers that `compiled`
 * has no parameter for (it could only fail the whole call with 9005).
 */
const mayExist = (compiled: CompiledSchema | undefined, name: string): boolean =>
  compiled === undefined || compiled.schema.parameters.has(name) || hasInstanceNumber.test(name);

/**
 * The values of `names` through `read`, in one call for the names `compiled` may have. When
 * that call fails (a provider cannot read one of them, the model lacks one) or leaves a name
 * unanswered, each name is read alone, so one bad value hides no other.
 */
export const readValuesTogether = (
  read: ReadValues,
  names: readonly string[],
  compiled?: CompiledSchema,
): Effect.Effect<DeviceValues> => {
  const present = names.filter((n) => mayExist(compiled, n));
  if (present.length === 0) return Effect.succeed(() => Option.none());
  return Effect.flatMap(Effect.option(read(present)), (batch) => {
    const values = Option.isSome(batch)
      ? new Map(batch.value.map((v) => [v.name, v.value]))
      : undefined;
    if (values !== undefined && present.every((n) => values.has(n)))
      return Effect.succeed((n: string) => Option.fromNullable(values.get(n)));
    return Effect.map(
      Effect.forEach(present, (n) => readValueWith(read, n)),
      (list) => {
        const one = new Map(present.map((n, i) => [n, list[i] ?? Option.none<string>()]));
        return (n: string) => one.get(n) ?? Option.none<string>();
      },
    );
  });
};

/**
 * The device values of `names` (hidden values as they are: for the agent's own use) in one
 * data-model call, as {@link readValuesTogether} reads them.
 */
export const readDeviceValues = (
  model: DeviceValuesModel,
  names: readonly string[],
): Effect.Effect<DeviceValues> =>
  readValuesTogether((n) => model.getDeviceValues(n), names, model.compiled);

/** `get(name)` when it is non-empty ("set" in the data model). */
export const setValueOf = (get: DeviceValues, name: string): Option.Option<string> =>
  Option.filter(get(name), (v) => v !== "");
