/**
 * The agent's side of the IP diagnostics (TR-181 `Device.IP.Diagnostics.`, TR-143): a
 * `ParameterProvider` that owns the objects of the tests the schema has, and the runner that
 * carries a requested test out through the {@link Diagnostics} port.
 *
 * Rules (TR-181 DiagnosticsState):
 * - SetParameterValues of DiagnosticsState=`Requested` (with or without input parameters in the
 *   same call) marks the test to run once the session has ended; results are cleared.
 * - `Canceled` stops a pending or running test and leaves the state `None`; any other value
 *   written by the ACS is refused with 9007.
 * - Writing an input parameter without `Requested` cancels the test and sets the state to
 *   `None` (a second `Requested` restarts it with the new inputs).
 * - A finished test writes its result parameters (or its `Error_*` state) and queues
 *   `8 DIAGNOSTICS COMPLETE` in the same save; the agent then starts a session to report it.
 *   An error state the test's DiagnosticsState does not list is reported as `Error_Other`.
 *
 * State (inputs, results, route hops) is saved in the store section `"diagnostics"`; a test
 * still `Requested` when the agent starts runs again after the first session.
 * @module
 */
import { Cause, Effect, Exit, Fiber, Option, type Scope } from "effect";
import type { EventQueueState } from "../agent/event-queue.js";
import { addEvent } from "../agent/event-queue.js";
import type { SectionStore } from "../agent/section-store.js";
import type { DataModelSchema, ParameterSchema } from "../datamodel/schema.js";
import { zeroValue } from "../datamodel/value-check.js";
import { type DiagnosticsService, isDiagnosticsError } from "../ports/diagnostics.js";
import {
  type ParameterChange,
  type ParameterProvider,
  ProviderError,
} from "../ports/parameter-provider.js";
import type { JsonValue, StoreError } from "../ports/store.js";
import {
  type DiagnosticOutcome,
  type DiagnosticTest,
  diagnosticTests,
} from "./diagnostic-tests.js";

/** The store section of the diagnostics' state. */
export const DIAGNOSTICS_SECTION = "diagnostics";

/** The event a finished test queues. */
const DIAGNOSTICS_COMPLETE = "8 DIAGNOSTICS COMPLETE";

/** Where a finished test's event goes (the agent's persistent event queue). */
export interface DiagnosticsEventSink {
  /** Applies `f` and saves it together with `alsoWrite` (see `PersistentEventQueue.update`). */
  readonly update: (
    f: (state: EventQueueState) => EventQueueState,
    alsoWrite?: Readonly<Record<string, JsonValue>>,
  ) => Effect.Effect<unknown, StoreError>;
}

/** What the diagnostics of one agent are made of. */
export interface DiagnosticsManagerConfig {
  readonly schema: DataModelSchema;
  readonly service: DiagnosticsService;
  readonly store: SectionStore;
}

/** The diagnostics of one agent. */
export interface DiagnosticsManager {
  /** Serves the test objects the schema has (empty `paths` when it has none). */
  readonly provider: ParameterProvider;
  /**
   * Starts every test requested so far (call when a session has ended). A finished test queues
   * `8 DIAGNOSTICS COMPLETE` into `events`, then calls `completed` (start a session). Tests
   * run in `scope` and stop with it.
   */
  readonly startRequested: (
    events: DiagnosticsEventSink,
    completed: () => void,
  ) => Effect.Effect<void, never, Scope.Scope>;
  /**
   * Whether a test waits to be started: when none does, a session's end skips
   * `startRequested` (and the fiber it would run in, issue 11).
   */
  readonly anyRequested: () => boolean;
  /** Test kinds pending or running (for tests and logs). */
  readonly active: Effect.Effect<readonly string[]>;
}

interface Running {
  readonly controller: AbortController;
  readonly fiber: Fiber.RuntimeFiber<void>;
}

interface TestState {
  readonly test: DiagnosticTest;
  /** Object instance path, e.g. `Device.IP.Diagnostics.IPPing.`. */
  readonly object: string;
  readonly stateParam: ParameterSchema;
  /** Parameter names (relative) of the object, with their schema. */
  readonly params: ReadonlyMap<string, ParameterSchema>;
  pending: boolean;
  /** Incremented by every request and cancel: a finished run of an older one is dropped. */
  generation: number;
  running: Running | undefined;
}

interface StoredState {
  readonly values: Record<string, string>;
  readonly rows: Record<string, number>;
}

const providerError = (detail: string, faultCode: number, cause?: unknown) =>
  new ProviderError({
    reason: faultCode === 9007 ? "Rejected" : "Failed",
    provider: "diagnostics",
    detail,
    faultCode,
    ...(cause === undefined ? {} : { cause }),
  });

const decodeStored = (json: unknown): StoredState => {
  const empty: StoredState = { values: {}, rows: {} };
  if (typeof json !== "object" || json === null) return empty;
  const { values, rows } = json as { values?: unknown; rows?: unknown };
  const strings: Record<string, string> = {};
  if (typeof values === "object" && values !== null)
    for (const [k, v] of Object.entries(values)) if (typeof v === "string") strings[k] = v;
  const counts: Record<string, number> = {};
  if (typeof rows === "object" && rows !== null)
    for (const [k, v] of Object.entries(rows))
      if (typeof v === "number" && Number.isInteger(v) && v >= 0) counts[k] = v;
  return { values: strings, rows: counts };
};

/** Makes the diagnostics of one agent, loading their saved state. */
export const makeDiagnosticsManager = (
  config: DiagnosticsManagerConfig,
): Effect.Effect<DiagnosticsManager, StoreError> =>
  Effect.gen(function* () {
    const { schema, service, store } = config;
    const root = `${schema.root}.`;
    const tests: TestState[] = [];
    for (const test of diagnosticTests) {
      const object = `${root}${test.object}`;
      const stateParam = schema.parameters.get(`${object}DiagnosticsState`);
      if (!schema.objects.has(object) || stateParam === undefined) continue;
      // ServerSelectionDiagnostics only with a service that can run it.
      if (test.kind === "serverSelection" && service.serverSelection === undefined) continue;
      const params = new Map<string, ParameterSchema>();
      for (const child of schema.children(object)) {
        const p = schema.parameters.get(child);
        if (p !== undefined) params.set(child.slice(object.length), p);
      }
      tests.push({
        test,
        object,
        stateParam,
        params,
        pending: false,
        generation: 0,
        running: undefined,
      });
    }
    const stored = decodeStored(Option.getOrUndefined(yield* store.read(DIAGNOSTICS_SECTION)));
    const values = new Map(Object.entries(stored.values));
    const rows = new Map(Object.entries(stored.rows));
    for (const t of tests)
      if (values.get(`${t.object}DiagnosticsState`) === "Requested") t.pending = true;

    const defaultOf = (t: TestState, name: string): string => {
      const p = t.params.get(name);
      if (name === "DiagnosticsState") return "None";
      return t.test.defaults[name] ?? p?.default ?? (p === undefined ? "" : zeroValue(p.type));
    };
    const read = (t: TestState) => (name: string) =>
      values.get(`${t.object}${name}`) ?? defaultOf(t, name);
    const snapshot = (): JsonValue => ({
      values: Object.fromEntries(values),
      rows: Object.fromEntries(rows),
    });
    // Suspended: the snapshot is taken at each save, not once.
    const save = Effect.suspend(() =>
      Effect.mapError(store.write({ [DIAGNOSTICS_SECTION]: snapshot() }), (e) =>
        providerError(`cannot save the diagnostics: ${e.message}`, 9002, e),
      ),
    );

    /** Clears a test's results (read-only parameters and table rows) back to their defaults. */
    const clearResults = (t: TestState) => {
      for (const [name, p] of t.params)
        if (p.access === "readOnly") values.delete(`${t.object}${name}`);
      for (const table of t.test.tables) {
        const tablePath = `${t.object}${table}`;
        for (const key of [...values.keys()]) if (key.startsWith(tablePath)) values.delete(key);
        rows.delete(tablePath);
      }
    };
    const cancel = (t: TestState) => {
      t.pending = false;
      t.generation++;
      const running = t.running;
      t.running = undefined;
      if (running !== undefined) {
        running.controller.abort();
        Effect.runFork(Fiber.interrupt(running.fiber));
      }
    };
    const testOf = (path: string): TestState | undefined =>
      tests.find((t) => path.startsWith(t.object));

    const writeOutcome = (t: TestState, outcome: DiagnosticOutcome) => {
      clearResults(t);
      for (const [name, value] of Object.entries(outcome.values))
        if (t.params.has(name)) values.set(`${t.object}${name}`, value);
      for (const [table, list] of Object.entries(outcome.rows ?? {})) {
        const tablePath = `${t.object}${table}`;
        if (!t.test.tables.includes(table)) continue;
        list.forEach((row, i) => {
          for (const [name, value] of Object.entries(row))
            values.set(`${tablePath}${i + 1}.${name}`, value);
        });
        rows.set(tablePath, list.length);
      }
      values.set(`${t.object}DiagnosticsState`, "Complete");
    };
    const writeError = (t: TestState, state: string) => {
      clearResults(t);
      const allowed = t.stateParam.enumerations ?? [];
      values.set(
        `${t.object}DiagnosticsState`,
        allowed.length === 0 || allowed.includes(state) ? state : "Error_Other",
      );
    };

    const provider: ParameterProvider = {
      name: "diagnostics",
      paths: tests.map((t) => t.object),
      get: (paths) =>
        Effect.sync(() => {
          const out = new Map<string, string>();
          for (const path of paths) {
            const t = testOf(path);
            const value = values.get(path);
            if (value !== undefined) out.set(path, value);
            else if (t !== undefined && !path.slice(t.object.length).includes("."))
              out.set(path, defaultOf(t, path.slice(t.object.length)));
            else {
              // A row parameter with no stored value: its type's zero value.
              const schemaPath = path.replace(/\.\d+\./g, ".{i}.");
              const p = schema.parameters.get(schemaPath);
              out.set(path, p === undefined ? "" : (p.default ?? zeroValue(p.type)));
            }
          }
          return out;
        }),
      set: (changes) =>
        Effect.gen(function* () {
          // Check everything first: the write is all or nothing.
          const byTest = new Map<TestState, ParameterChange[]>();
          for (const c of changes) {
            const t = testOf(c.path);
            if (t === undefined)
              return yield* providerError(`not a diagnostics parameter: ${c.path}`, 9005);
            if (
              c.path === `${t.object}DiagnosticsState` &&
              c.value !== "Requested" &&
              c.value !== "Canceled"
            )
              return yield* providerError(
                `DiagnosticsState can only be set to Requested or Canceled, not ${c.value}`,
                9007,
              );
            byTest.set(t, [...(byTest.get(t) ?? []), c]);
          }
          for (const [t, list] of byTest) {
            const state = list.find((c) => c.path === `${t.object}DiagnosticsState`)?.value;
            // Any write cancels what runs; only `Requested` asks for a new run.
            cancel(t);
            for (const c of list)
              if (c.path !== `${t.object}DiagnosticsState`) values.set(c.path, c.value);
            clearResults(t);
            if (state === "Requested") {
              values.set(`${t.object}DiagnosticsState`, "Requested");
              t.pending = true;
            } else values.set(`${t.object}DiagnosticsState`, "None");
          }
          yield* save;
          return { status: 0 as const };
        }),
      instances: (tablePath) =>
        Effect.sync(() => {
          const n = rows.get(tablePath) ?? 0;
          return Array.from({ length: n }, (_, i) => i + 1);
        }),
    };

    const runOne = (
      t: TestState,
      events: DiagnosticsEventSink,
      completed: () => void,
    ): Effect.Effect<void, never, Scope.Scope> =>
      Effect.gen(function* () {
        t.pending = false;
        const generation = ++t.generation;
        const controller = new AbortController();
        const run =
          t.test.run(service, read(t), controller.signal) ??
          Effect.die(new Error(`no ${t.test.kind} in this device's diagnostics`));
        const finish = (exit: Exit.Exit<DiagnosticOutcome, unknown>) =>
          Effect.gen(function* () {
            // A cancel or a newer request since: this run's result is nobody's.
            if (t.generation !== generation) return;
            t.running = undefined;
            if (Exit.isSuccess(exit)) writeOutcome(t, exit.value);
            else writeError(t, errorStateOf(exit.cause));
            // The results and the event in one save: a crash cannot keep one without the other.
            const saved = yield* Effect.either(
              events.update((q) => addEvent(q, DIAGNOSTICS_COMPLETE), {
                [DIAGNOSTICS_SECTION]: snapshot(),
              }),
            );
            if (saved._tag === "Right") completed();
          });
        const fiber = yield* Effect.forkScoped(
          Effect.flatMap(Effect.exit(Effect.suspend(() => run)), finish),
        );
        // Set before the forked fiber first runs (a fork starts on the scheduler's next turn).
        t.running = { controller, fiber };
      });

    return {
      provider,
      startRequested: (events, completed) =>
        Effect.forEach(
          tests.filter((t) => t.pending),
          (t) => runOne(t, events, completed),
          { discard: true },
        ),
      anyRequested: () => tests.some((t) => t.pending),
      active: Effect.sync(() =>
        tests.filter((t) => t.pending || t.running !== undefined).map((t) => t.test.kind),
      ),
    };
  });

/** The DiagnosticsState of a failed run: the port's error state, `Error_Internal` for a defect. */
const errorStateOf = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => "Error_Internal",
    onSome: (e) => (isDiagnosticsError(e) ? e.state : "Error_Internal"),
  });
