/**
 * The agent's book of software-module management: the `"softwareModules"` section in memory,
 * written ahead to the store (every change saved before anything acts on it), and the instance
 * numbers of the plugin's EEs, DUs and EUs with the object references built from them.
 * @module
 */
import { Effect, Option } from "effect";
import { addCpeRequest } from "../agent/event-queue.js";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import type { SectionStore } from "../agent/section-store.js";
import type { EventStruct } from "../cwmp/structs.js";
import type { SoftwareInventory } from "../ports/software-modules.js";
import type { StoreError } from "../ports/store.js";
import type {
  AutonomousDUStateChangeComplete,
  DUStateChangeComplete,
} from "../soap/cpe-methods.js";
import {
  decodeSoftwareModulesState,
  emptySoftwareModulesState,
  encodeSoftwareModulesState,
  numberInstances,
  SOFTWARE_MODULES_SECTION,
  type SoftwareModulesState,
  type SoftwareModulesStateError,
  type SoftwareModulesTable,
} from "./software-modules-state.js";

/** The object references of one numbered inventory. */
export interface SoftwareModulesRefs {
  /** `Device.SoftwareModules.` (or the IGD equivalent). */
  readonly prefix: string;
  /** The instance number of a plugin key, when it has one. */
  readonly numberOf: (table: SoftwareModulesTable, key: string) => number | undefined;
  /** The plugin key of an instance number, when it names one. */
  readonly keyOf: (table: SoftwareModulesTable, n: number) => string | undefined;
  /** `Device.SoftwareModules.ExecEnv.2` for an EE id ("" when unknown). */
  readonly execEnvRef: (id: string) => string;
  readonly deploymentUnitRef: (duid: string) => string;
  readonly executionUnitRef: (euid: string) => string;
  /**
   * The EE id a reference names (`Device.SoftwareModules.ExecEnv.2`, a trailing `.` allowed),
   * or undefined when it names no EE of the inventory.
   */
  readonly execEnvIdOf: (ref: string) => string | undefined;
}

const tableNames: Readonly<Record<SoftwareModulesTable, string>> = {
  execEnvs: "ExecEnv",
  deploymentUnits: "DeploymentUnit",
  executionUnits: "ExecutionUnit",
};

/** The references of `state`'s numbers under `prefix`. */
export const refsOf = (state: SoftwareModulesState, prefix: string): SoftwareModulesRefs => {
  const numberOf = (table: SoftwareModulesTable, key: string) => state.numbers.byKey[table][key];
  const keyOf = (table: SoftwareModulesTable, n: number) =>
    Object.entries(state.numbers.byKey[table]).find(([, v]) => v === n)?.[0];
  const ref = (table: SoftwareModulesTable) => (key: string) => {
    const n = numberOf(table, key);
    return n === undefined ? "" : `${prefix}${tableNames[table]}.${n}`;
  };
  const eePrefix = `${prefix}${tableNames.execEnvs}.`;
  return {
    prefix,
    numberOf,
    keyOf,
    execEnvRef: ref("execEnvs"),
    deploymentUnitRef: ref("deploymentUnits"),
    executionUnitRef: ref("executionUnits"),
    execEnvIdOf: (raw) => {
      const r = raw.endsWith(".") ? raw.slice(0, -1) : raw;
      if (!r.startsWith(eePrefix)) return undefined;
      const n = r.slice(eePrefix.length);
      return /^[1-9]\d*$/.test(n) ? keyOf("execEnvs", Number(n)) : undefined;
    },
  };
};

/** The book of one device. */
export interface SoftwareModulesBook {
  readonly get: Effect.Effect<SoftwareModulesState>;
  /**
   * Whether a ChangeDUState is saved and not yet finished, read in place: the agent asks after
   * every session, and most sessions request none (issue 11).
   */
  readonly hasPending: () => boolean;
  /** Applies `f`, saves, then makes the result current. */
  readonly update: (
    f: (s: SoftwareModulesState) => SoftwareModulesState,
  ) => Effect.Effect<SoftwareModulesState, StoreError>;
  /**
   * Drops the pending change `id` and queues its report with `events`, in one save (a crash
   * can neither lose the report nor carry the change out twice).
   */
  readonly complete: (
    queue: PersistentEventQueue,
    id: number,
    report: DUStateChangeComplete,
    events: readonly EventStruct[],
  ) => Effect.Effect<void, StoreError>;
  /** Queues an autonomous report with `events` (numbers of the inventory saved with it). */
  readonly reportAutonomous: (
    queue: PersistentEventQueue,
    report: AutonomousDUStateChangeComplete,
    events: readonly EventStruct[],
  ) => Effect.Effect<void, StoreError>;
  /** Numbers every EE, DU and EU of `inventory` (saving new numbers) and returns the references. */
  readonly refs: (inventory: SoftwareInventory) => Effect.Effect<SoftwareModulesRefs, StoreError>;
}

/**
 * Loads the section (empty when absent). Reports go to the event queue given to each call (the
 * queue is made after the data model, whose view of the tables needs the book first).
 */
export const makeSoftwareModulesBook = (
  store: SectionStore,
  prefix: string,
): Effect.Effect<SoftwareModulesBook, StoreError | SoftwareModulesStateError> =>
  Effect.gen(function* () {
    const section = yield* store.read(SOFTWARE_MODULES_SECTION);
    const loaded = Option.isSome(section)
      ? yield* decodeSoftwareModulesState(section.value)
      : emptySoftwareModulesState;
    // The saved state; replaced only under `lock`, after its save succeeded.
    let state = loaded;
    const get = Effect.sync(() => state);
    const lock = yield* Effect.makeSemaphore(1);
    const update = (f: (s: SoftwareModulesState) => SoftwareModulesState) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const current = state;
          const next = f(current);
          if (next === current) return current;
          yield* store.write({ [SOFTWARE_MODULES_SECTION]: encodeSoftwareModulesState(next) });
          state = next;
          return next;
        }),
      );
    const numbered = (s: SoftwareModulesState, inventory: SoftwareInventory) => {
      const a = numberInstances(
        s.numbers,
        "execEnvs",
        inventory.execEnvs.map((e) => e.id),
      );
      const b = numberInstances(
        a,
        "deploymentUnits",
        inventory.deploymentUnits.map((d) => d.duid),
      );
      const c = numberInstances(
        b,
        "executionUnits",
        inventory.executionUnits.map((u) => u.euid),
      );
      return c === s.numbers ? s : { ...s, numbers: c };
    };
    const queueWith = (
      queue: PersistentEventQueue,
      f: (s: SoftwareModulesState) => SoftwareModulesState,
      report: DUStateChangeComplete | AutonomousDUStateChangeComplete,
      events: readonly EventStruct[],
    ) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          const next = f(state);
          yield* queue.update((q) => addCpeRequest(q, report, events), {
            [SOFTWARE_MODULES_SECTION]: encodeSoftwareModulesState(next),
          });
          state = next;
        }),
      );
    return {
      get,
      hasPending: () => state.pending.length > 0,
      update,
      complete: (queue, id, report, events) =>
        queueWith(
          queue,
          (s) => ({ ...s, pending: s.pending.filter((p) => p.id !== id) }),
          report,
          events,
        ),
      reportAutonomous: (queue, report, events) => queueWith(queue, (s) => s, report, events),
      refs: (inventory) =>
        Effect.map(
          update((s) => numbered(s, inventory)),
          (s) => refsOf(s, prefix),
        ),
    };
  });
