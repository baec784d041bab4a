/**
 * What the agent keeps of software-module management in the Store section `"softwareModules"`:
 * the ChangeDUState requests answered and not yet reported (with the results of the operations
 * already carried out, so a restart goes on with the next one), and the instance numbers given
 * to the plugin's EEs, DUs and EUs (stable across restarts, never reused).
 * @module
 */
import { Data, Either, ParseResult, Schema } from "effect";
import type { JsonValue } from "../ports/store.js";
import type { OperationStruct, OpResultStruct } from "../soap/rpc-structs.js";
import { OpResultSchema } from "./op-result-schema.js";

/** The store section of software-module management. */
export const SOFTWARE_MODULES_SECTION = "softwareModules";

/** One ChangeDUState answered and not yet reported by a DUStateChangeComplete. */
export interface PendingDuChange {
  readonly id: number;
  readonly commandKey: string;
  readonly operations: readonly OperationStruct[];
  /** Results of the first `results.length` operations, in order. */
  readonly results: readonly OpResultStruct[];
  /**
   * Operations refused when the request arrived (their DU was being changed by an earlier
   * request: 9029), by position; the runner reports these results instead of running them.
   */
  readonly refused?: readonly (OpResultStruct | null)[];
}

/** The three tables the agent numbers. */
export type SoftwareModulesTable = "execEnvs" | "deploymentUnits" | "executionUnits";

/** Instance numbers by the plugin's key, per table, and the last number given per table. */
export interface InstanceNumbers {
  readonly byKey: Readonly<Record<SoftwareModulesTable, Readonly<Record<string, number>>>>;
  readonly last: Readonly<Record<SoftwareModulesTable, number>>;
}

/** The whole section. */
export interface SoftwareModulesState {
  readonly nextId: number;
  readonly pending: readonly PendingDuChange[];
  readonly numbers: InstanceNumbers;
}

/** The section of a device that never used software modules. */
export const emptySoftwareModulesState: SoftwareModulesState = {
  nextId: 1,
  pending: [],
  numbers: {
    byKey: { execEnvs: {}, deploymentUnits: {}, executionUnits: {} },
    last: { execEnvs: 0, deploymentUnits: 0, executionUnits: 0 },
  },
};

/** The stored section could not be read back. */
export class SoftwareModulesStateError extends Data.TaggedError("SoftwareModulesStateError")<{
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `software modules state corrupt: ${this.detail}`;
  }
}

const optional = Schema.optional(Schema.String);

const Operation = Schema.Union(
  Schema.Struct({
    _tag: Schema.Literal("InstallOpStruct"),
    url: Schema.String,
    uuid: optional,
    username: optional,
    password: optional,
    executionEnvRef: optional,
  }),
  Schema.Struct({
    _tag: Schema.Literal("UpdateOpStruct"),
    uuid: optional,
    version: optional,
    url: optional,
    username: optional,
    password: optional,
  }),
  Schema.Struct({
    _tag: Schema.Literal("UninstallOpStruct"),
    uuid: Schema.String,
    version: optional,
    executionEnvRef: optional,
  }),
);

const Counters = Schema.Struct({
  execEnvs: Schema.Number,
  deploymentUnits: Schema.Number,
  executionUnits: Schema.Number,
});

const Numbers = Schema.Record({ key: Schema.String, value: Schema.Number });

const Persisted = Schema.Struct({
  version: Schema.Literal(1),
  nextId: Schema.Number,
  pending: Schema.Array(
    Schema.Struct({
      id: Schema.Number,
      commandKey: Schema.String,
      operations: Schema.Array(Operation),
      results: Schema.Array(OpResultSchema),
      refused: Schema.optional(Schema.Array(Schema.NullOr(OpResultSchema))),
    }),
  ),
  numbers: Schema.Struct({
    byKey: Schema.Struct({
      execEnvs: Numbers,
      deploymentUnits: Numbers,
      executionUnits: Numbers,
    }),
    last: Counters,
  }),
});

/** The JSON written for `state`. */
export const encodeSoftwareModulesState = (state: SoftwareModulesState): JsonValue =>
  JSON.parse(JSON.stringify({ version: 1, ...state })) as JsonValue;

/** Reads the stored section back; a malformed one fails naming the bad field. */
export const decodeSoftwareModulesState = (
  json: unknown,
): Either.Either<SoftwareModulesState, SoftwareModulesStateError> =>
  Either.map(
    Either.mapLeft(
      Schema.decodeUnknownEither(Persisted)(json),
      (e) =>
        new SoftwareModulesStateError({
          detail: `section "${SOFTWARE_MODULES_SECTION}": ${ParseResult.TreeFormatter.formatErrorSync(e)}`,
          cause: e,
        }),
    ),
    ({ version: _version, ...state }) => state,
  );

/**
 * Gives every key of `keys` an instance number in `table` (a new key gets the next number
 * after the last one ever given, so numbers are never reused); keys no longer present are
 * forgotten. Returns the same object when nothing changed (nothing to save).
 */
export const numberInstances = (
  numbers: InstanceNumbers,
  table: SoftwareModulesTable,
  keys: readonly string[],
): InstanceNumbers => {
  const current = numbers.byKey[table];
  const unchanged =
    keys.every((k) => current[k] !== undefined) &&
    Object.keys(current).length === new Set(keys).size;
  if (unchanged) return numbers;
  let last = numbers.last[table];
  const next: Record<string, number> = {};
  for (const k of keys) {
    const known = current[k];
    if (known !== undefined) next[k] = known;
    else if (next[k] === undefined) {
      last += 1;
      next[k] = last;
    }
  }
  return {
    byKey: { ...numbers.byKey, [table]: next },
    last: { ...numbers.last, [table]: last },
  };
};
