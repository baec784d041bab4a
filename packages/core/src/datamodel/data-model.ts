/**
 * The per-device data model: the RPC semantics of TR-069 over a shared compiled schema, the
 * device's providers and its stored state.
 *
 * Concurrency: every operation of one device takes the device's lock (an Effect
 * `Semaphore(1)`), so RPCs, notification polls and provider pushes never interleave and each
 * sees a consistent state; a read that needs nothing but the state in memory is done in place
 * when no operation is under way (it cannot interleave with one). Devices never share a lock or
 * any mutable state.
 *
 * Persistence: every change (values, attributes, instances, instance counters, ParameterKey)
 * is written to the `Store` as the `"datamodel"` section before the operation reports success;
 * the store document is read, the section replaced and the document saved (under the lock).
 * Pending notifications and their baselines are kept in memory only.
 * @module
 */
import { Effect, Option, Stream } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type {
  ParameterAttributeStruct,
  ParameterInfoStruct,
  SetParameterAttributesStruct,
} from "../cwmp/structs.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type {
  ParameterChange,
  ParameterProvider,
  ProviderError,
} from "../ports/parameter-provider.js";
import type { StoreService } from "../ports/store.js";
import { type AddObjectResult, addObject } from "./add-object.js";
import { type CompiledSchema, compileSchema } from "./compiled-schema.js";
import { DataModelError } from "./data-model-error.js";
import { deleteObject } from "./delete-object.js";
import { capabilityValues, type DataModelOptions, type DeviceContext } from "./device-context.js";
import {
  DATAMODEL_SECTION,
  type DeviceState,
  decodeDeviceState,
  emptyDeviceState,
  encodeDeviceState,
} from "./device-state.js";
import { getParameterNames } from "./get-parameter-names.js";
import { getParameterValues, parametersForNames, valueStructs } from "./get-parameter-values.js";
import { informParameters } from "./inform-parameters.js";
import { makeTreeView, type TreeView } from "./instance-tree.js";
import { getParameterAttributes, setParameterAttributes } from "./parameter-attributes.js";
import type { DataModelSchema } from "./schema.js";
import { setParameterValues } from "./set-parameter-values.js";
import { flatMapNow, settledNow } from "./settled-now.js";
import {
  isActiveLightweightReport,
  isActiveReport,
  makePollNeeded,
  pollChanges,
  recordChanges,
} from "./value-change-tracking.js";

/**
 * One device's data model. Every method runs under the device's lock, but for reads that need
 * only the state in memory, done in place when no operation is under way.
 */
export interface DataModel {
  /** The compiled schema this device runs on (shared with every device given the same one). */
  readonly compiled: CompiledSchema;
  /** GetParameterValues. */
  readonly getParameterValues: (
    names: readonly string[],
  ) => Effect.Effect<ParameterValueStruct[], CwmpFault>;
  /**
   * GetParameterValues for the device's own use: hidden values (passwords) come back as they
   * are, so the agent can check credentials. Never send its result to the ACS.
   */
  readonly getDeviceValues: (
    names: readonly string[],
  ) => Effect.Effect<ParameterValueStruct[], CwmpFault>;
  /** GetParameterNames. */
  readonly getParameterNames: (
    path: string,
    nextLevel: boolean,
  ) => Effect.Effect<ParameterInfoStruct[], CwmpFault>;
  /** SetParameterValues; the status is 1 when a provider applies the change only later. */
  readonly setParameterValues: (
    list: readonly ParameterValueStruct[],
    parameterKey: string,
  ) => Effect.Effect<0 | 1, CwmpFault>;
  /** GetParameterAttributes. */
  readonly getParameterAttributes: (
    names: readonly string[],
  ) => Effect.Effect<ParameterAttributeStruct[], CwmpFault>;
  /** SetParameterAttributes. */
  readonly setParameterAttributes: (
    list: readonly SetParameterAttributesStruct[],
  ) => Effect.Effect<void, CwmpFault>;
  /** AddObject. */
  readonly addObject: (
    objectName: string,
    parameterKey: string,
  ) => Effect.Effect<AddObjectResult, CwmpFault>;
  /** DeleteObject. */
  readonly deleteObject: (
    objectName: string,
    parameterKey: string,
  ) => Effect.Effect<0 | 1, CwmpFault>;
  /** Records values changed on the device side; returns the names that became pending. */
  readonly recordChanges: (
    changes: readonly ParameterChange[],
  ) => Effect.Effect<readonly string[], CwmpFault>;
  /** Polls providers for changes of watched parameters; returns the names that became pending. */
  readonly poll: Effect.Effect<readonly string[], CwmpFault>;
  /** The Inform's ParameterList for an Inform carrying `eventCodes` (all InformParameter rows apply when omitted). */
  readonly informParameters: (
    eventCodes?: readonly string[],
  ) => Effect.Effect<ParameterValueStruct[], CwmpFault>;
  /** Names of parameters with a pending value-change notification. */
  readonly pendingNotifications: Effect.Effect<readonly string[]>;
  /** True when an active notification is pending (the Inform needs `4 VALUE CHANGE`). */
  readonly hasPendingActiveNotification: Effect.Effect<boolean>;
  /** Clears pending notifications once an Inform delivered them (all when `names` is omitted). */
  readonly clearPendingNotifications: (names?: readonly string[]) => Effect.Effect<void>;
  /** The current ParameterKey. */
  readonly parameterKey: Effect.Effect<string>;
  /** Parameters changed since the last UDP Lightweight Notification (notification 3..6, Annex M). */
  readonly pendingLightweightNotifications: Effect.Effect<readonly PendingLightweightChange[]>;
  /** Forgets lightweight notifications once sent (an entry whose value changed since stays). */
  readonly clearLightweightNotifications: (
    sent: readonly Pick<PendingLightweightChange, "name" | "value">[],
  ) => Effect.Effect<void>;
}

/** A parameter waiting for the next UDP Lightweight Notification. */
export interface PendingLightweightChange {
  readonly name: string;
  /** Its latest value, in CWMP lexical form. */
  readonly value: string;
  /** Notification 5 or 6: an active lightweight notification (send at once). */
  readonly active: boolean;
}

/** What a device's data model is made of. */
export interface DataModelConfig {
  /** The schema, compiled once for all devices (a plain schema is compiled for this device). */
  readonly schema: CompiledSchema | DataModelSchema;
  readonly providers?: readonly ParameterProvider[];
  /** The device's store; the data model owns its `"datamodel"` section. */
  readonly store: StoreService;
  readonly options?: DataModelOptions;
  /** State of a device that has nothing stored yet (factory values, fixed instances). */
  readonly initial?: {
    readonly values?: Readonly<Record<string, string>>;
    /** Instance numbers of store-owned tables by table path (`Device.X.Table.`). */
    readonly instances?: Readonly<Record<string, readonly number[]>>;
  };
}

const isCompiled = (s: CompiledSchema | DataModelSchema): s is CompiledSchema => "patterns" in s;

const initialState = (config: DataModelConfig): DeviceState => {
  const state = emptyDeviceState();
  for (const [k, v] of Object.entries(config.initial?.values ?? {})) state.values.set(k, v);
  for (const [k, v] of Object.entries(config.initial?.instances ?? {})) {
    const sorted = [...v].sort((a, b) => a - b);
    state.instances.set(k, sorted);
    state.counters.set(k, sorted.at(-1) ?? 0);
  }
  return state;
};

const loadState = (config: DataModelConfig): Effect.Effect<DeviceState, DataModelError> =>
  Effect.gen(function* () {
    const doc = yield* Effect.mapError(
      config.store.load,
      (e) => new DataModelError({ reason: "StoreFailed", detail: e.message, cause: e }),
    );
    if (Option.isNone(doc) || doc.value[DATAMODEL_SECTION] === undefined)
      return initialState(config);
    return yield* decodeDeviceState(doc.value[DATAMODEL_SECTION]);
  });

/** Creates one device's data model, loading its state from the store. */
export const makeDataModel = (config: DataModelConfig): Effect.Effect<DataModel, DataModelError> =>
  Effect.gen(function* () {
    const compiled = isCompiled(config.schema) ? config.schema : compileSchema(config.schema);
    const state = yield* loadState(config);
    const lock = yield* Effect.makeSemaphore(1);
    const { store } = config;
    const persist: Effect.Effect<void, CwmpFault> = Effect.gen(function* () {
      const doc = yield* store.load;
      yield* store.save({
        ...Option.getOrElse(doc, () => ({})),
        [DATAMODEL_SECTION]: encodeDeviceState(state),
      });
    }).pipe(Effect.mapError((e) => cwmpFault(9002, `cannot persist the data model: ${e.message}`)));
    const options = config.options ?? {};
    const fixedValues = capabilityValues(compiled, options);
    const ctx: DeviceContext = {
      compiled,
      providers: config.providers ?? [],
      state,
      notifications: { lastKnown: new Map(), pending: new Map(), lightweight: new Map() },
      options,
      ...(fixedValues.size > 0 ? { fixedValues } : {}),
      persist,
    };
    // Operations under way (0 or 1): one may be suspended mid-way, waiting for a provider or
    // the store, with the state half changed.
    let inside = 0;
    const leave = Effect.sync(() => {
      inside--;
    });
    const locked = <A, E>(run: (view: TreeView) => Effect.Effect<A, E>): Effect.Effect<A, E> =>
      lock.withPermits(1)(
        // Counted in and out uninterruptibly: an interruption cannot leave the count wrong.
        Effect.uninterruptibleMask((restore) => {
          inside++;
          return Effect.ensuring(restore(Effect.suspend(() => run(makeTreeView(ctx)))), leave);
        }),
      );
    /**
     * A read. When no operation is under way and the read needs nothing but the state in
     * memory (it settles at once: stored values, names the schema resolves), it is done in
     * place, without the lock: nothing can change the state while it runs, as it never waits.
     * The agent reads its settings so several times per session (issue 11). A read with work
     * to do (a provider, a table to list) or one issued while an operation is under way takes
     * the lock like any other operation.
     */
    const read = <A, E>(run: (view: TreeView) => Effect.Effect<A, E>): Effect.Effect<A, E> =>
      Effect.suspend(() => {
        if (inside === 0) {
          const done = settledNow(run(makeTreeView(ctx)));
          if (done !== undefined) return done;
        }
        return locked(run);
      });
    const { pending, lightweight } = ctx.notifications;
    const pollNeeded = makePollNeeded(ctx);
    const nothingPolled = Effect.succeed<readonly string[]>([]);
    return {
      compiled,
      getParameterValues: (names) => read((v) => getParameterValues(v, names)),
      getDeviceValues: (names) =>
        read((v) =>
          flatMapNow(parametersForNames(v, names), (nodes) => valueStructs(v, nodes, true)),
        ),
      getParameterNames: (path, nextLevel) => locked((v) => getParameterNames(v, path, nextLevel)),
      setParameterValues: (list, key) => locked((v) => setParameterValues(v, list, key)),
      getParameterAttributes: (names) => locked((v) => getParameterAttributes(v, names)),
      setParameterAttributes: (list) => locked((v) => setParameterAttributes(v, list)),
      addObject: (name, key) => locked((v) => addObject(v, name, key)),
      deleteObject: (name, key) => locked((v) => deleteObject(v, name, key)),
      recordChanges: (changes) => locked((v) => recordChanges(v, changes)),
      poll: Effect.suspend(() => (pollNeeded() ? locked(pollChanges) : nothingPolled)),
      informParameters: (events) => read((v) => informParameters(v, events)),
      pendingNotifications: read(() => Effect.succeed([...pending.keys()])),
      hasPendingActiveNotification: read(() =>
        Effect.succeed([...pending.values()].some(isActiveReport)),
      ),
      clearPendingNotifications: (names) =>
        locked(() =>
          Effect.sync(() => {
            if (names === undefined) pending.clear();
            else for (const n of names) pending.delete(n);
          }),
        ),
      parameterKey: read(() => Effect.succeed(state.parameterKey)),
      pendingLightweightNotifications: locked(() =>
        Effect.sync(() =>
          [...lightweight].map(([name, p]) => ({
            name,
            value: p.value,
            active: isActiveLightweightReport(p.notification),
          })),
        ),
      ),
      clearLightweightNotifications: (sent) =>
        locked(() =>
          Effect.sync(() => {
            // Only what was sent: a newer value recorded meanwhile stays for the next message.
            for (const s of sent)
              if (lightweight.get(s.name)?.value === s.value) lightweight.delete(s.name);
          }),
        ),
    };
  });

/**
 * Feeds every provider's pushed changes into `model.recordChanges` until interrupted. The
 * agent forks this in its scope; a provider stream that fails ends it with that error.
 */
export const followProviderChanges = (
  model: DataModel,
  providers: readonly ParameterProvider[],
): Effect.Effect<void, ProviderError> =>
  Stream.mergeAll(
    providers.flatMap((p) => (p.changes ? [p.changes] : [])),
    { concurrency: "unbounded" },
  ).pipe(Stream.runForEach((changes) => Effect.ignore(model.recordChanges(changes))));
