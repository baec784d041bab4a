/**
 * The `ParameterProvider` port: plugin code that owns parts of a device's data model (values
 * that live on the device itself, such as a cellular module's signal strength).
 *
 * Registration follows obuspa's style: a provider declares the schema paths it serves, either a
 * parameter (`Device.DeviceInfo.UpTime`) or a whole subtree (`Device.Cellular.`). The most
 * specific declaration wins when two providers overlap. Everything a provider does not serve
 * lives in the device's stored state.
 *
 * Calls are batched: the data model asks each provider once per RPC for all the values it
 * needs, so one GetParameterValues of 200 values on a module is one round trip.
 * Paths passed to a provider are instance paths (`Device.Cellular.Interface.1.RSSI`).
 * @module
 */
import { Data, Effect, type Stream } from "effect";

/** Why a provider call failed. */
export type ProviderErrorReason = "Unavailable" | "Rejected" | "Failed";

/**
 * A failure of a provider call. `faultCode`, when given, is the CWMP fault the device itself
 * reported (e.g. 9007 for a value it refused); otherwise the data model answers 9002.
 */
export class ProviderError extends Data.TaggedError("ProviderError")<{
  readonly reason: ProviderErrorReason;
  readonly provider: string;
  readonly detail: string;
  readonly faultCode?: number;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `provider ${this.provider} ${this.reason}: ${this.detail}`;
  }
}

/** One value written to a provider, or pushed by it. */
export interface ParameterChange {
  /** Full instance path of the parameter. */
  readonly path: string;
  /** Value text in its CWMP lexical form. */
  readonly value: string;
}

/** Outcome of a write: 0 applied, 1 accepted but applied only after a reboot or an apply step. */
export interface ProviderApplyStatus {
  readonly status: 0 | 1;
}

/** A provider: the schema paths it serves and the batched operations on them. */
export interface ParameterProvider {
  /** Name used in errors and logs. */
  readonly name: string;
  /** Schema paths served: parameter paths, or object paths ending in `.` for whole subtrees. */
  readonly paths: readonly string[];
  /** Reads the values of `paths` (instance paths) in one call; every path must be answered. */
  readonly get: (
    paths: readonly string[],
  ) => Effect.Effect<ReadonlyMap<string, string>, ProviderError>;
  /** Writes all `changes` in one call. */
  readonly set: (
    changes: readonly ParameterChange[],
  ) => Effect.Effect<ProviderApplyStatus, ProviderError>;
  /** Instance numbers of a table it serves; `tablePath` is the instance path ending in the table name and `.` (`Device.Cellular.Interface.`). */
  readonly instances?: (tablePath: string) => Effect.Effect<readonly number[], ProviderError>;
  /** Creates an instance of a writable table it serves; the provider picks a never-used number. */
  readonly addInstance?: (
    tablePath: string,
  ) => Effect.Effect<ProviderApplyStatus & { readonly instanceNumber: number }, ProviderError>;
  /** Deletes an instance (`Device.X.Table.3.`) of a writable table it serves. */
  readonly deleteInstance?: (
    instancePath: string,
  ) => Effect.Effect<ProviderApplyStatus, ProviderError>;
  /** Value changes seen by the device, pushed as they happen (for notifications). */
  readonly changes?: Stream.Stream<readonly ParameterChange[], ProviderError>;
}

/** A provider whose operations return Promises (plain plugin code). */
export interface PromiseParameterProvider {
  readonly name: string;
  readonly paths: readonly string[];
  readonly get: (
    paths: readonly string[],
  ) => Promise<ReadonlyMap<string, string> | Readonly<Record<string, string>>>;
  readonly set: (changes: readonly ParameterChange[]) => Promise<ProviderApplyStatus | undefined>;
  readonly instances?: (tablePath: string) => Promise<readonly number[]>;
  readonly addInstance?: (
    tablePath: string,
  ) => Promise<ProviderApplyStatus & { readonly instanceNumber: number }>;
  readonly deleteInstance?: (instancePath: string) => Promise<ProviderApplyStatus | undefined>;
  readonly changes?: Stream.Stream<readonly ParameterChange[], ProviderError>;
}

/**
 * Adapts a Promise-returning provider to the port. A rejected Promise becomes a
 * {@link ProviderError} with reason `Failed` (or the `faultCode` of a rejection that carries
 * a numeric `faultCode` property, so a plugin can refuse a value with 9007).
 */
export const providerFromPromises = (p: PromiseParameterProvider): ParameterProvider => {
  const lift = <A>(what: string, run: () => Promise<A>): Effect.Effect<A, ProviderError> =>
    Effect.tryPromise({
      try: run,
      catch: (cause) => {
        const code = (cause as { faultCode?: unknown } | null)?.faultCode;
        return new ProviderError({
          reason: "Failed",
          provider: p.name,
          detail: `${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
          cause,
          ...(typeof code === "number" ? { faultCode: code } : {}),
        });
      },
    });
  const status = (r: ProviderApplyStatus | undefined): ProviderApplyStatus => ({
    status: r && r.status === 1 ? 1 : 0,
  });
  const { instances, addInstance, deleteInstance } = p;
  return {
    name: p.name,
    paths: p.paths,
    // Converted inside `lift`: a plugin answering nothing (undefined) is its error, not a defect.
    get: (paths) =>
      lift("get", async () => {
        const r = await p.get(paths);
        return r instanceof Map ? r : new Map(Object.entries(r as Record<string, string>));
      }),
    set: (changes) =>
      Effect.map(
        lift("set", () => p.set(changes)),
        status,
      ),
    ...(instances ? { instances: (t: string) => lift("instances", () => instances(t)) } : {}),
    ...(addInstance
      ? { addInstance: (t: string) => lift("addInstance", () => addInstance(t)) }
      : {}),
    ...(deleteInstance
      ? {
          deleteInstance: (i: string) =>
            Effect.map(
              lift("deleteInstance", () => deleteInstance(i)),
              status,
            ),
        }
      : {}),
    ...(p.changes ? { changes: p.changes } : {}),
  };
};
