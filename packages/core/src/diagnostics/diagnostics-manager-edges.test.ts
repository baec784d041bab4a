import { Deferred, Effect } from "effect";
import { describe, expect, it } from "vitest";
import { emptyEventQueue } from "../agent/event-queue.js";
import { makeSectionStore, type SectionStore } from "../agent/section-store.js";
import type { ObjectSchema, ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith } from "../datamodel/test-support/device-fixture.js";
import { DiagnosticsError, type DiagnosticsService } from "../ports/diagnostics.js";
import { makeMemoryStore, StoreError } from "../ports/store.js";
import {
  DIAGNOSTICS_SECTION,
  type DiagnosticsEventSink,
  makeDiagnosticsManager,
} from "./diagnostics-manager.js";
import { fakeDiagnostics, PING, TRACE } from "./test-support/diagnostics-fixture.js";
import { diagnosticsManagerSetup as setup } from "./test-support/diagnostics-manager-setup.js";

// The diagnostics manager's refusals, its saved state and its failure paths, each on an input
// that differs from an accepted one in the one respect the test names.

const diskFull = new StoreError({ reason: "WriteFailed", path: "mem", detail: "disk full" });

type Setup = Effect.Effect.Success<ReturnType<typeof setup>>;

const get = (s: Setup, paths: readonly string[]) =>
  Effect.map(s.manager.provider.get(paths), (m) => paths.map((p) => m.get(p)));

const run = <A>(body: Effect.Effect<A, unknown, import("effect").Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(body) as Effect.Effect<A>);

const requestPing = (s: Setup) =>
  s.manager.provider.set([
    { path: `${PING}Host`, value: "127.0.0.1" },
    { path: `${PING}DiagnosticsState`, value: "Requested" },
  ]);

describe("diagnostics manager: refusals and saved state", () => {
  it("§1.12-Diagnostics a refused write names the provider, its reason and the path or value (9005 Failed, 9007 Rejected)", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        const outside = yield* Effect.flip(
          s.manager.provider.set([{ path: "Device.IP.Other.X", value: "1" }]),
        );
        // No cause key at all when there is no cause.
        expect(Object.keys(outside)).not.toContain("cause");
        expect([outside.provider, outside.reason, outside.faultCode, outside.detail]).toEqual([
          "diagnostics",
          "Failed",
          9005,
          "not a diagnostics parameter: Device.IP.Other.X",
        ]);
        const state = yield* Effect.flip(
          s.manager.provider.set([{ path: `${PING}DiagnosticsState`, value: "None" }]),
        );
        expect([state.reason, state.faultCode, state.detail]).toEqual([
          "Rejected",
          9007,
          "DiagnosticsState can only be set to Requested or Canceled, not None",
        ]);
      }),
    );
  });

  it("§1.12-Diagnostics a write the store cannot save fails with 9002 and the store's error", async () => {
    await run(
      Effect.gen(function* () {
        const sections = yield* makeSectionStore(yield* makeMemoryStore());
        const failing: SectionStore = { ...sections, write: () => Effect.fail(diskFull) };
        const s = yield* setup(failing);
        const e = yield* Effect.flip(requestPing(s));
        expect([e.reason, e.faultCode, e.detail, e.cause]).toEqual([
          "Failed",
          9002,
          `cannot save the diagnostics: ${diskFull.message}`,
          diskFull,
        ]);
      }),
    );
  });

  it("§1.12-Diagnostics a saved section keeps only string values and whole non-negative row counts", async () => {
    await run(
      Effect.gen(function* () {
        const sections = yield* makeSectionStore(yield* makeMemoryStore());
        yield* sections.write({
          [DIAGNOSTICS_SECTION]: {
            values: {
              [`${PING}Host`]: "saved.example",
              [`${PING}Timeout`]: 5,
              [`${TRACE}RouteHops.1.Host`]: "hop",
            },
            rows: { [`${TRACE}RouteHops.`]: 2, a: -1, b: 1.5, c: "3", d: 0 },
          },
        });
        const s = yield* setup(sections);
        expect(
          yield* get(s, [`${PING}Host`, `${PING}Timeout`, `${TRACE}RouteHops.1.Host`]),
        ).toEqual(["saved.example", "1000", "hop"]);
        const instances = s.manager.provider.instances;
        if (instances === undefined) throw new Error("the provider serves tables");
        expect(yield* instances(`${TRACE}RouteHops.`)).toEqual([1, 2]);
        for (const table of ["a", "b", "c", "d"]) expect(yield* instances(table)).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics a saved section of the wrong shape (null, values and rows not objects) reads as empty", async () => {
    for (const section of [null, "x", { values: null, rows: null }, { values: "a", rows: 3 }])
      await run(
        Effect.gen(function* () {
          const sections = yield* makeSectionStore(yield* makeMemoryStore());
          yield* sections.write({ [DIAGNOSTICS_SECTION]: section });
          const s = yield* setup(sections);
          expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}Host`])).toEqual(["None", ""]);
          expect(yield* s.manager.active).toEqual([]);
        }),
      );
  });

  it("§1.12-Diagnostics a new request clears the results but keeps the inputs", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* requestPing(s);
        const done = yield* Deferred.make<void>();
        const sink: DiagnosticsEventSink = { update: () => Effect.void };
        yield* s.manager.startRequested(sink, () => Deferred.unsafeDone(done, Effect.void));
        yield* Deferred.await(done);
        expect(yield* get(s, [`${PING}SuccessCount`, `${PING}Host`])).toEqual(["3", "127.0.0.1"]);
        yield* s.manager.provider.set([{ path: `${PING}DiagnosticsState`, value: "Requested" }]);
        expect(
          yield* get(s, [`${PING}DiagnosticsState`, `${PING}SuccessCount`, `${PING}Host`]),
        ).toEqual(["Requested", "0", "127.0.0.1"]);
      }),
    );
  });

  it("§1.5-8-DIAGNOSTICS-COMPLETE a finished test whose event cannot be saved asks for no session", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* requestPing(s);
        const tried = yield* Deferred.make<void>();
        let completed = 0;
        let queue = emptyEventQueue("http://acs");
        const sink: DiagnosticsEventSink = {
          update: (f) =>
            Effect.suspend(() => {
              queue = f(queue);
              Deferred.unsafeDone(tried, Effect.void);
              return Effect.fail(diskFull);
            }),
        };
        yield* s.manager.startRequested(sink, () => completed++);
        yield* Deferred.await(tried);
        yield* Effect.yieldNow();
        expect(queue.events.map((e) => e.eventCode)).toEqual(["8 DIAGNOSTICS COMPLETE"]);
        expect(completed).toBe(0);
      }),
    );
  });
});

const object = (path: string): ObjectSchema => ({
  path,
  access: "readOnly",
  multiInstance: false,
  minEntries: 1,
});
const param = (path: string, extra: Partial<ParameterSchema> = {}): ParameterSchema => ({
  path,
  type: "string",
  access: "readWrite",
  ...extra,
});
const SELECT = "Device.IP.Diagnostics.ServerSelectionDiagnostics.";
const UPLOAD = "Device.IP.Diagnostics.UploadDiagnostics.";
/** IPPing with a DiagnosticsState that lists no values, ServerSelection, an Upload without state. */
const otherSchema = deviceFixtureWith(
  [
    param(`${PING}DiagnosticsState`),
    param(`${PING}Host`),
    param(`${SELECT}DiagnosticsState`),
    param(`${SELECT}HostList`),
    param(`${UPLOAD}UploadURL`),
  ],
  [
    object("Device.IP."),
    object("Device.IP.Diagnostics."),
    object(PING),
    object(SELECT),
    object(UPLOAD),
  ],
);

const withService = (service: DiagnosticsService) =>
  Effect.gen(function* () {
    const sections = yield* makeSectionStore(yield* makeMemoryStore());
    return yield* makeDiagnosticsManager({ schema: otherSchema, service, store: sections });
  });

const finish = (manager: Effect.Effect.Success<ReturnType<typeof withService>>) =>
  Effect.gen(function* () {
    const done = yield* Deferred.make<void>();
    yield* manager.startRequested({ update: () => Effect.void }, () =>
      Deferred.unsafeDone(done, Effect.void),
    );
    yield* Deferred.await(done);
  });

describe("diagnostics manager: the schema and the service decide what is served", () => {
  it("§1.12-Diagnostics ServerSelectionDiagnostics is served only with a service that runs it; an object without DiagnosticsState is not served", async () => {
    await run(
      Effect.gen(function* () {
        const fake = fakeDiagnostics();
        const without = yield* withService(fake.service);
        expect(without.provider.paths).toEqual([PING]);
        expect(without.provider.name).toBe("diagnostics");
        const withSelection = yield* withService({
          ...fake.service,
          serverSelection: () =>
            Effect.succeed({
              fastestHost: "a",
              minimumResponseTimeUs: 1,
              averageResponseTimeUs: 2,
              maximumResponseTimeUs: 3,
            }),
        });
        expect(withSelection.provider.paths).toEqual([PING, SELECT]);
      }),
    );
  });

  it("§1.12-Diagnostics a DiagnosticsState that lists no values takes the port's error state as it is", async () => {
    await run(
      Effect.gen(function* () {
        const fake = fakeDiagnostics();
        fake.answer = () =>
          Effect.fail(
            new DiagnosticsError({ state: "Error_InitConnectionFailed", detail: "refused" }),
          );
        const m = yield* withService(fake.service);
        yield* m.provider.set([
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        yield* finish(m);
        const got = yield* m.provider.get([`${PING}DiagnosticsState`]);
        expect(got.get(`${PING}DiagnosticsState`)).toBe("Error_InitConnectionFailed");
      }),
    );
  });

  it("§1.12-Diagnostics a failure that is no DiagnosticsError ends in Error_Internal", async () => {
    await run(
      Effect.gen(function* () {
        const fake = fakeDiagnostics();
        fake.answer = () => Effect.fail(new Error("not a DiagnosticsError") as never);
        const other = yield* withService(fake.service);
        yield* other.provider.set([
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        yield* finish(other);
        expect(
          (yield* other.provider.get([`${PING}DiagnosticsState`])).get(`${PING}DiagnosticsState`),
        ).toBe("Error_Internal");
      }),
    );
  });
});

describe("diagnostics manager: reads of parameters without a stored value", () => {
  it("§1.12-Diagnostics a row parameter reads as its type's zero value (rows numbered past 9 too); an unknown name or path reads empty", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        expect(
          yield* get(s, [
            `${TRACE}RouteHops.1.ErrorCode`,
            `${TRACE}RouteHops.12.ErrorCode`,
            `${TRACE}RouteHops.3.Host`,
            `${PING}NoSuchParameter`,
            "Device.IP.Other.X",
          ]),
        ).toEqual(["0", "0", "", "", ""]);
      }),
    );
  });

  it("§1.12-Diagnostics only the result values the schema has are kept (IPAddressUsed is not in this schema); a write answers status 0", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        expect(yield* requestPing(s)).toEqual({ status: 0 });
        const done = yield* Deferred.make<void>();
        yield* s.manager.startRequested({ update: () => Effect.void }, () =>
          Deferred.unsafeDone(done, Effect.void),
        );
        yield* Deferred.await(done);
        expect(yield* get(s, [`${PING}IPAddressUsed`, `${PING}SuccessCount`])).toEqual(["", "3"]);
      }),
    );
  });

  it('§1.12-Diagnostics a new TraceRoute request clears the old hops\' values, not only their count; the state is saved in the section "diagnostics"', async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* s.manager.provider.set([
          { path: `${TRACE}Host`, value: "127.0.0.1" },
          { path: `${TRACE}DiagnosticsState`, value: "Requested" },
        ]);
        const done = yield* Deferred.make<void>();
        yield* s.manager.startRequested({ update: () => Effect.void }, () =>
          Deferred.unsafeDone(done, Effect.void),
        );
        yield* Deferred.await(done);
        expect(yield* get(s, [`${TRACE}RouteHops.1.HostAddress`])).toEqual(["10.0.0.1"]);
        yield* s.manager.provider.set([{ path: `${TRACE}DiagnosticsState`, value: "Requested" }]);
        expect(
          yield* get(s, [
            `${TRACE}RouteHops.1.HostAddress`,
            `${TRACE}RouteHops.2.ErrorCode`,
            `${TRACE}Host`,
          ]),
        ).toEqual(["", "0", "127.0.0.1"]);
        // The section name is the stored format: a renamed section would lose it over an upgrade.
        const saved = yield* s.store.read("diagnostics");
        expect(saved._tag === "Some" && JSON.stringify(saved.value)).toContain(
          `"${TRACE}DiagnosticsState":"Requested"`,
        );
      }),
    );
  });
});
