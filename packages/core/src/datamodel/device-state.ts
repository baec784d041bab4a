/**
 * The per-device state of the data model: what one device stores besides its shared schema.
 *
 * Kept lean for fleets of thousands of devices: only values that differ from the schema's
 * defaults (written ones), only non-default attributes, only instance lists of tables the
 * store owns. Persisted as the `"datamodel"` section of the device's store document.
 * @module
 */
import { Either, ParseResult, Schema } from "effect";
import type { JsonValue } from "../ports/store.js";
import { DataModelError } from "./data-model-error.js";

/** The store section that holds the data model's state. */
export const DATAMODEL_SECTION = "datamodel";

/** Mutable state of one device (owned by its `DataModel`, changed only under its lock). */
export interface DeviceState {
  /** ParameterKey of the last successful SPV/AddObject/DeleteObject. */
  parameterKey: string;
  /** Written values of store-owned parameters, by instance path. */
  readonly values: Map<string, string>;
  /** Non-default attributes by instance path: notification (bits 0-2) + 8 when `Subscriber` is in the AccessList. */
  readonly attributes: Map<string, number>;
  /** Instance numbers (ascending) of store-owned tables, by table path (`Device.X.Table.`). */
  readonly instances: Map<string, number[]>;
  /** Highest instance number ever given, by table path; never decreases. */
  readonly counters: Map<string, number>;
}

/** Bit of an attribute word that says the AccessList holds `Subscriber`. */
export const SUBSCRIBER_BIT = 8;

/** An empty state. */
export const emptyDeviceState = (): DeviceState => ({
  parameterKey: "",
  values: new Map(),
  attributes: new Map(),
  instances: new Map(),
  counters: new Map(),
});

const Counter = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0));
const InstanceNumber = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1));

/** The persisted form (version 1). */
const PersistedState = Schema.Struct({
  version: Schema.Literal(1),
  parameterKey: Schema.String,
  values: Schema.Record({ key: Schema.String, value: Schema.String }),
  attributes: Schema.Record({
    key: Schema.String,
    value: Schema.Int.pipe(Schema.between(0, 15)),
  }),
  instances: Schema.Record({ key: Schema.String, value: Schema.Array(InstanceNumber) }),
  counters: Schema.Record({ key: Schema.String, value: Counter }),
});

/** The JSON written to the store for `state`. */
export const encodeDeviceState = (state: DeviceState): JsonValue => ({
  version: 1,
  parameterKey: state.parameterKey,
  values: Object.fromEntries(state.values),
  attributes: Object.fromEntries(state.attributes),
  instances: Object.fromEntries(state.instances),
  counters: Object.fromEntries(state.counters),
});

/**
 * Reads a persisted section back. A section that does not have the expected shape fails with
 * reason `CorruptState` and a message naming the bad field: a device never silently restarts
 * from an empty state.
 */
export const decodeDeviceState = (json: unknown): Either.Either<DeviceState, DataModelError> =>
  Either.map(
    Either.mapLeft(
      Schema.decodeUnknownEither(PersistedState)(json),
      (e) =>
        new DataModelError({
          reason: "CorruptState",
          detail: `section "${DATAMODEL_SECTION}": ${ParseResult.TreeFormatter.formatErrorSync(e)}`,
          cause: e,
        }),
    ),
    (p) => ({
      parameterKey: p.parameterKey,
      values: new Map(Object.entries(p.values)),
      attributes: new Map(Object.entries(p.attributes)),
      instances: new Map(
        Object.entries(p.instances).map(([k, v]) => [k, [...v].sort((a, b) => a - b)] as const),
      ),
      counters: new Map(Object.entries(p.counters)),
    }),
  );
