import { Deferred, Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import { type EventQueueState, emptyEventQueue } from "../agent/event-queue.js";
import { makeSectionStore } from "../agent/section-store.js";
import type { ParameterChange } from "../ports/parameter-provider.js";
import { makeMemoryStore } from "../ports/store.js";
import { DIAGNOSTICS_SECTION, type DiagnosticsEventSink } from "./diagnostics-manager.js";
import { DOWNLOAD, failWith, PING, TRACE } from "./test-support/diagnostics-fixture.js";
import {
  type DiagnosticsManagerSetup as Setup,
  diagnosticsManagerSetup as setup,
} from "./test-support/diagnostics-manager-setup.js";

const COMPLETE = "8 DIAGNOSTICS COMPLETE";

/** An event queue in memory that records what each update saved alongside. */
const recordingEvents = () => {
  const log = {
    state: emptyEventQueue("http://acs") as EventQueueState,
    alsoWrites: [] as unknown[],
  };
  const sink: DiagnosticsEventSink = {
    update: (f, alsoWrite) =>
      Effect.sync(() => {
        log.state = f(log.state);
        log.alsoWrites.push(alsoWrite);
      }),
  };
  return { log, sink };
};

const get = (s: Setup, paths: readonly string[]) =>
  Effect.map(s.manager.provider.get(paths), (m) => paths.map((p) => m.get(p)));

const set = (s: Setup, changes: readonly ParameterChange[]) => s.manager.provider.set(changes);

/** Runs what was requested and waits until one test has queued its event. */
const runToCompletion = (s: Setup) =>
  Effect.gen(function* () {
    const events = recordingEvents();
    const done = yield* Deferred.make<void>();
    yield* s.manager.startRequested(events.sink, () => Deferred.unsafeDone(done, Effect.void));
    yield* Deferred.await(done);
    return events.log;
  });

const run = <A>(body: Effect.Effect<A, unknown, import("effect").Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(body) as Effect.Effect<A>);

describe("diagnostics manager", () => {
  it("anyRequested: none on a fresh device, true once a test is Requested, none again once startRequested took it", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        s.fake.answer = () => Effect.never;
        expect(s.manager.anyRequested()).toBe(false);
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        expect(s.manager.anyRequested()).toBe(true);
        yield* s.manager.startRequested(recordingEvents().sink, () => {});
        yield* Effect.yieldNow();
        expect(s.manager.anyRequested()).toBe(false);
        expect(yield* s.manager.active).toEqual(["ipPing"]);
      }),
    );
  });

  it("serves only the test objects the schema has", async () => {
    await run(
      Effect.map(setup(), (s) => expect(s.manager.provider.paths).toEqual([PING, TRACE, DOWNLOAD])),
    );
  });

  it("§1.12-Diagnostics a fresh device reads DiagnosticsState None, the test's input defaults and zero results", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        expect(
          yield* get(s, [
            `${PING}DiagnosticsState`,
            `${PING}NumberOfRepetitions`,
            `${PING}Timeout`,
            `${PING}Host`,
            `${PING}SuccessCount`,
            `${TRACE}MaxHopCount`,
            `${TRACE}RouteHops.1.Host`,
            `${DOWNLOAD}ROMTime`,
          ]),
        ).toEqual(["None", "3", "1000", "", "0", "30", "", "0001-01-01T00:00:00Z"]);
        expect(
          yield* s.manager.provider.instances?.(`${TRACE}RouteHops.`) ?? Effect.succeed([0]),
        ).toEqual([]);
        expect(yield* s.manager.active).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics a write outside the test objects is refused with 9005; a stored section that is not the manager's is ignored", async () => {
    await run(
      Effect.gen(function* () {
        const sections = yield* makeSectionStore(yield* makeMemoryStore());
        yield* sections.write({ [DIAGNOSTICS_SECTION]: ["not", "an", "object"] });
        const s = yield* setup(sections);
        const r = yield* Effect.either(set(s, [{ path: "Device.IP.Other.X", value: "1" }]));
        expect(Either.isLeft(r) && r.left.faultCode).toBe(9005);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["None"]);
      }),
    );
  });

  it("§1.12-Diagnostics Canceled while a test runs aborts its signal and reports nothing", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        s.fake.answer = () => Effect.never;
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        const events = recordingEvents();
        yield* s.manager.startRequested(events.sink, () => {});
        yield* Effect.yieldNow();
        expect(yield* s.manager.active).toEqual(["ipPing"]);
        yield* set(s, [{ path: `${PING}DiagnosticsState`, value: "Canceled" }]);
        expect(s.fake.calls[0]?.signal.aborted).toBe(true);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["None"]);
        expect(yield* s.manager.active).toEqual([]);
        expect(events.log.state.events).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics Requested runs the IPPing only once the session ended, then fills the results and queues 8 DIAGNOSTICS COMPLETE in the same save", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}NumberOfRepetitions`, value: "4" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        expect(s.fake.calls).toEqual([]);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["Requested"]);
        expect(yield* s.manager.active).toEqual(["ipPing"]);
        const log = yield* runToCompletion(s);
        expect(s.fake.calls[0]?.input).toEqual({
          interface: "",
          protocolVersion: "Any",
          dscp: 0,
          host: "127.0.0.1",
          numberOfRepetitions: 4,
          timeoutMs: 1000,
          dataBlockSize: 56,
        });
        expect(
          yield* get(s, [
            `${PING}DiagnosticsState`,
            `${PING}SuccessCount`,
            `${PING}FailureCount`,
            `${PING}AverageResponseTime`,
            `${PING}MinimumResponseTime`,
            `${PING}MaximumResponseTime`,
            `${PING}AverageResponseTimeDetailed`,
          ]),
        ).toEqual(["Complete", "3", "1", "3", "1", "4", "2500"]);
        expect(log.state.events.map((e) => e.eventCode)).toEqual([COMPLETE]);
        const saved = log.alsoWrites[0] as Record<string, { values: Record<string, string> }>;
        expect(saved[DIAGNOSTICS_SECTION]?.values[`${PING}DiagnosticsState`]).toBe("Complete");
        expect(yield* s.manager.active).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics writing an input while a test runs cancels it (signal aborted), sets None and reports nothing", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        const interrupted = yield* Deferred.make<void>();
        s.fake.answer = () =>
          Effect.onInterrupt(Effect.never, () => Deferred.succeed(interrupted, undefined));
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        const events = recordingEvents();
        let completed = 0;
        yield* s.manager.startRequested(events.sink, () => completed++);
        yield* Effect.yieldNow();
        expect(s.fake.calls).toHaveLength(1);
        yield* set(s, [{ path: `${PING}Timeout`, value: "50" }]);
        expect(s.fake.calls[0]?.signal.aborted).toBe(true);
        yield* Deferred.await(interrupted);
        expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}Timeout`])).toEqual([
          "None",
          "50",
        ]);
        expect(events.log.state.events).toEqual([]);
        expect(completed).toBe(0);
        expect(yield* s.manager.active).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics a second Requested restarts the test with its new inputs; the first run's late result is dropped", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        const firstGate = yield* Deferred.make<void>();
        s.fake.answer = (c) =>
          s.fake.calls.length === 1
            ? // The first run ignores its signal and finishes late with a "result".
              Effect.as(Effect.uninterruptible(Deferred.await(firstGate)), {
                successCount: 99,
                failureCount: 0,
                minimumResponseTimeUs: 0,
                averageResponseTimeUs: 0,
                maximumResponseTimeUs: 0,
              })
            : Effect.succeed({
                successCount: (c.input as { numberOfRepetitions: number }).numberOfRepetitions,
                failureCount: 0,
                minimumResponseTimeUs: 1000,
                averageResponseTimeUs: 1000,
                maximumResponseTimeUs: 1000,
              });
        yield* set(s, [
          { path: `${PING}Host`, value: "a.example" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        const events = recordingEvents();
        yield* s.manager.startRequested(events.sink, () => {});
        yield* Effect.yieldNow();
        yield* set(s, [
          { path: `${PING}NumberOfRepetitions`, value: "7" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        expect(s.fake.calls[0]?.signal.aborted).toBe(true);
        yield* Deferred.succeed(firstGate, undefined);
        expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}SuccessCount`])).toEqual([
          "Requested",
          "0",
        ]);
        const log = yield* runToCompletion(s);
        expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}SuccessCount`])).toEqual([
          "Complete",
          "7",
        ]);
        expect(log.state.events.map((e) => e.eventCode)).toEqual([COMPLETE]);
        expect(events.log.state.events).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics Canceled stops a pending test and leaves None; other states written by the ACS are refused with 9007 and change nothing", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        const refused = yield* Effect.either(
          set(s, [
            { path: `${PING}Host`, value: "other" },
            { path: `${PING}DiagnosticsState`, value: "Complete" },
          ]),
        );
        expect(Either.isLeft(refused) && refused.left.faultCode).toBe(9007);
        expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}Host`])).toEqual([
          "Requested",
          "127.0.0.1",
        ]);
        yield* set(s, [{ path: `${PING}DiagnosticsState`, value: "Canceled" }]);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["None"]);
        expect(yield* s.manager.active).toEqual([]);
      }),
    );
  });

  it.each([
    ["Error_CannotResolveHostName", "Error_CannotResolveHostName"],
    ["Error_Internal", "Error_Internal"],
    // IPPing's DiagnosticsState does not list it: reported as Error_Other.
    ["Error_InitConnectionFailed", "Error_Other"],
  ] as const)(
    "§1.12-Diagnostics an IPPing failing with %s ends in %s, results cleared, event queued",
    async (error, expected) => {
      await run(
        Effect.gen(function* () {
          const s = yield* setup();
          s.fake.answer = () => failWith(error);
          yield* set(s, [
            { path: `${PING}Host`, value: "nowhere.invalid" },
            { path: `${PING}DiagnosticsState`, value: "Requested" },
          ]);
          const log = yield* runToCompletion(s);
          expect(yield* get(s, [`${PING}DiagnosticsState`, `${PING}SuccessCount`])).toEqual([
            expected,
            "0",
          ]);
          expect(log.state.events.map((e) => e.eventCode)).toEqual([COMPLETE]);
        }),
      );
    },
  );

  it("§1.12-Diagnostics a defect of the plugin is Error_Internal; an empty Host is Error_CannotResolveHostName without calling the port", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        s.fake.answer = () => Effect.die(new Error("bridge fell over"));
        yield* set(s, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        yield* runToCompletion(s);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["Error_Internal"]);
        yield* set(s, [
          { path: `${PING}Host`, value: "" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        yield* runToCompletion(s);
        expect(s.fake.calls).toHaveLength(1);
        expect(yield* get(s, [`${PING}DiagnosticsState`])).toEqual(["Error_CannotResolveHostName"]);
        // A run that failed at once is not left behind as running.
        expect(yield* s.manager.active).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics a TraceRoute's hops become RouteHops rows; a new request clears them", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* set(s, [
          { path: `${TRACE}Host`, value: "127.0.0.1" },
          { path: `${TRACE}DiagnosticsState`, value: "Requested" },
        ]);
        yield* runToCompletion(s);
        expect(
          yield* s.manager.provider.instances?.(`${TRACE}RouteHops.`) ?? Effect.succeed([]),
        ).toEqual([1, 2]);
        expect(
          yield* get(s, [
            `${TRACE}DiagnosticsState`,
            `${TRACE}ResponseTime`,
            `${TRACE}RouteHops.1.HostAddress`,
            `${TRACE}RouteHops.1.RTTimes`,
            `${TRACE}RouteHops.2.Host`,
            `${TRACE}RouteHops.2.ErrorCode`,
          ]),
        ).toEqual(["Complete", "7", "10.0.0.1", "1,2,3", "127.0.0.1", "0"]);
        yield* set(s, [{ path: `${TRACE}DiagnosticsState`, value: "Requested" }]);
        expect(
          yield* s.manager.provider.instances?.(`${TRACE}RouteHops.`) ?? Effect.succeed([1]),
        ).toEqual([]);
      }),
    );
  });

  it("§1.12-Diagnostics DownloadDiagnostics results carry the TR-143 times to the microsecond and the byte counts", async () => {
    await run(
      Effect.gen(function* () {
        const s = yield* setup();
        yield* set(s, [
          { path: `${DOWNLOAD}DownloadURL`, value: "http://127.0.0.1:1/file" },
          { path: `${DOWNLOAD}DiagnosticsState`, value: "Requested" },
        ]);
        yield* runToCompletion(s);
        expect(s.fake.calls[0]?.input).toMatchObject({
          url: "http://127.0.0.1:1/file",
          numberOfConnections: 1,
        });
        expect(
          yield* get(s, [
            `${DOWNLOAD}DiagnosticsState`,
            `${DOWNLOAD}TCPOpenRequestTime`,
            `${DOWNLOAD}ROMTime`,
            `${DOWNLOAD}EOMTime`,
            `${DOWNLOAD}TestBytesReceived`,
            `${DOWNLOAD}TotalBytesReceived`,
            `${DOWNLOAD}TotalBytesSent`,
          ]),
        ).toEqual([
          "Complete",
          "2026-01-02T03:04:05.006007Z",
          "2026-01-02T03:04:05.009000Z",
          "2026-01-02T03:04:05.020000Z",
          "4096",
          "4200",
          "90",
        ]);
      }),
    );
  });

  it("§1.12-Diagnostics state survives a restart: results are read back, and a test still Requested runs again", async () => {
    await run(
      Effect.gen(function* () {
        const first = yield* setup();
        yield* set(first, [
          { path: `${PING}Host`, value: "127.0.0.1" },
          { path: `${PING}DiagnosticsState`, value: "Requested" },
        ]);
        yield* runToCompletion(first);
        // The results are saved with the event (the sink stands for the queue): save them here.
        yield* set(first, [
          { path: `${TRACE}Host`, value: "127.0.0.1" },
          { path: `${TRACE}DiagnosticsState`, value: "Requested" },
        ]);
        const second = yield* setup(first.store);
        expect(
          yield* get(second, [`${PING}DiagnosticsState`, `${PING}SuccessCount`, `${TRACE}Host`]),
        ).toEqual(["Complete", "3", "127.0.0.1"]);
        expect(yield* second.manager.active).toEqual(["traceRoute"]);
        yield* runToCompletion(second);
        expect(second.fake.calls.map((c) => c.kind)).toEqual(["traceRoute"]);
        expect(Option.isSome(yield* first.store.read(DIAGNOSTICS_SECTION))).toBe(true);
      }),
    );
  });
});
