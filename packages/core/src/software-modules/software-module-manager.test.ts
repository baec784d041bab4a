import { Effect, Either, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { type EventQueueState, emptyEventQueue } from "../agent/event-queue.js";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import { makeSectionStore, type SectionStore } from "../agent/section-store.js";
import { valuesReader } from "../datamodel/test-support/values-reader.js";
import type { DownloadRequest, FileTransferService } from "../ports/file-transfer.js";
import { FileTransferError } from "../ports/file-transfer.js";
import {
  type FetchPackage,
  type SoftwareModulesService,
  softwareModuleError,
} from "../ports/software-modules.js";
import { makeMemoryStore, StoreError } from "../ports/store.js";
import type { RpcContext } from "../rpc/rpc-handler.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { OperationStruct } from "../soap/rpc-structs.js";
import { encodeDeploymentUnitPackage } from "./deployment-unit-package.js";
import { duStateChangeEvents, makeSoftwareModuleManager } from "./software-module-manager.js";
import { makeSoftwareModulesBook } from "./software-modules-book.js";
import { makeMemorySoftwareModules } from "./test-support/memory-software-modules.js";

// The manager on its own (no agent, no ACS): the handler's refusals, the fetch it hands the
// plugin and the results it reports, each checked on the input that tells right from wrong.

const UUID_A = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const PKG = "http://127.0.0.1:1/a.json";
const PKG_TYPED = "http://127.0.0.1:1/typed.json";

/** DU `duid` of package `a` 1.0 in EE `ee-1`, without a status (each test sets its own). */
const duOfA = (duid: string, uuid: string) => ({
  duid,
  uuid,
  name: "a",
  version: "1.0",
  vendor: "",
  description: "",
  url: PKG,
  execEnvId: "ee-1",
  resolved: true,
  executionUnits: [],
});

/** An idle EU `euid` of DU `du-x` in EE `ee-1`, named `label`. */
const idleEu = (euid: string, label = euid) => ({
  euid,
  name: label,
  execEnvLabel: label,
  status: "Idle" as const,
  executionFaultCode: "NoFault" as const,
  executionFaultMessage: "",
  autoStart: false,
  vendor: "",
  version: "",
  description: "",
  duid: "du-x",
  execEnvId: "ee-1",
});

const harness = (
  options: {
    readonly maxPending?: number;
    readonly values?: Record<string, string>;
    /** Changes what the plugin does (e.g. to see the fetch it is handed). */
    readonly plugin?: (service: SoftwareModulesService) => SoftwareModulesService;
  } = {},
) =>
  Effect.gen(function* () {
    const memory = yield* makeSectionStore(yield* makeMemoryStore());
    const storeState = { failWrites: false, failNext: 0 };
    const sections: SectionStore = {
      ...memory,
      write: (w) =>
        storeState.failWrites || storeState.failNext-- > 0
          ? Effect.fail(new StoreError({ reason: "WriteFailed", path: "mem", detail: "disk full" }))
          : memory.write(w),
    };
    const book = yield* makeSoftwareModulesBook(sections, "Device.SoftwareModules.");
    const modules = makeMemorySoftwareModules();
    const queue = { state: emptyEventQueue("http://acs") as EventQueueState, failSave: false };
    const persistent: PersistentEventQueue = {
      get: Effect.sync(() => queue.state),
      update: (f) =>
        queue.failSave
          ? Effect.fail(
              new StoreError({ reason: "WriteFailed", path: "mem", detail: "queue full" }),
            )
          : Effect.sync(() => {
              queue.state = f(queue.state);
              return queue.state;
            }),
    };
    const downloads: DownloadRequest[] = [];
    const fileTransfer: FileTransferService = {
      download: (r) => {
        downloads.push(r);
        return r.url === PKG || r.url === PKG_TYPED
          ? Effect.succeed({
              bytes: encodeDeploymentUnitPackage({ name: "a", version: "1.0" }),
              ...(r.url === PKG_TYPED ? { contentType: "application/json" } : {}),
              startTime: 0,
              completeTime: 0,
            })
          : Effect.fail(
              new FileTransferError({
                reason: "NotAccessible",
                faultCode: 9016,
                detail: "404 here",
              }),
            );
      },
      upload: () => Effect.die("no upload"),
    };
    const manager = makeSoftwareModuleManager({
      modules: options.plugin === undefined ? modules.service : options.plugin(modules.service),
      book,
      queue: persistent,
      fileTransfer,
      dataModel: valuesReader(options.values ?? {}),
      managementServerPrefix: "Device.ManagementServer.",
      maxBytes: 5000,
      timeout: "7 seconds",
      ...(options.maxPending === undefined ? {} : { maxPending: options.maxPending }),
    });
    const changeDUState = (operations: readonly OperationStruct[], commandKey?: string) =>
      manager.changeDUState({
        request: {
          _tag: "ChangeDUState",
          operations,
          ...(commandKey === undefined ? {} : { commandKey }),
        } as CwmpMessage,
      } as RpcContext);
    return { manager, book, modules, queue, downloads, changeDUState, storeState };
  });

const run = <A>(body: Effect.Effect<A, unknown>) =>
  Effect.runPromise(body.pipe(Effect.provide(TestContext.TestContext)) as Effect.Effect<A>);

/** The results of the one DUStateChangeComplete queued. */
const reported = (q: EventQueueState) =>
  q.requests.flatMap((r) => (r.message._tag === "DUStateChangeComplete" ? [r.message] : []));

describe("software-module manager on its own", () => {
  it("§1.4-ChangeDUState the package is fetched with the credentials given, the size limit and time limit; empty credentials are left out", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.changeDUState([
          { _tag: "InstallOpStruct", url: PKG, uuid: UUID_A, username: "u", password: "p" },
        ]);
        yield* h.changeDUState([
          {
            _tag: "InstallOpStruct",
            url: PKG,
            uuid: "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee",
            username: "",
            password: "",
          },
        ]);
        expect(yield* h.manager.runPending).toBe(2);
        expect(h.downloads).toEqual([
          { url: PKG, username: "u", password: "p", maxBytes: 5000, timeout: "7 seconds" },
          { url: PKG, maxBytes: 5000, timeout: "7 seconds" },
        ]);
      }),
    );
  });

  it("§1.14-9013 a URL that is not http(s) fails the install with 9013 without a download; HTTPS in capitals is fetched", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.changeDUState([
          {
            _tag: "InstallOpStruct",
            url: "ftp://127.0.0.1/http://127.0.0.1/pkg.json",
            uuid: UUID_A,
          },
          { _tag: "InstallOpStruct", url: "HTTPS://127.0.0.1:1/x.json", uuid: UUID_A },
        ]);
        yield* h.manager.runPending;
        const [report] = reported(h.queue.state);
        expect(report?.results.map((r) => r.fault)).toEqual([
          {
            faultCode: 9013,
            faultString:
              "Unsupported protocol for file transfer: unsupported protocol in ftp://127.0.0.1/",
          },
          {
            faultCode: 9016,
            faultString: "File transfer failure: unable to access file: 404 here",
          },
        ]);
        expect(h.downloads.map((d) => d.url)).toEqual(["HTTPS://127.0.0.1:1/x.json"]);
      }),
    );
  });

  it("§1.14-9004 the pending requests are bounded: the maxPending-th is saved, the next refused with 9004", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness({ maxPending: 2 });
        const op: OperationStruct = { _tag: "UninstallOpStruct", uuid: UUID_A };
        expect((yield* h.changeDUState([op]))._tag).toBe("ChangeDUStateResponse");
        expect((yield* h.changeDUState([op]))._tag).toBe("ChangeDUStateResponse");
        const refused = yield* Effect.either(h.changeDUState([op]));
        expect(Either.isLeft(refused) && [refused.left.code, refused.left.faultString]).toEqual([
          9004,
          "at most 2 ChangeDUState requests may be pending",
        ]);
        expect((yield* h.book.get).pending.map((p) => p.id)).toEqual([1, 2]);
      }),
    );
  });

  it("§1.4-ChangeDUState a request is saved with its CommandKey (empty without one) and a rising id", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const op: OperationStruct = { _tag: "UninstallOpStruct", uuid: UUID_A };
        yield* h.changeDUState([op], "k1");
        yield* h.changeDUState([op]);
        expect((yield* h.book.get).pending).toEqual([
          { id: 1, commandKey: "k1", operations: [op], results: [] },
          { id: 2, commandKey: "", operations: [op], results: [] },
        ]);
      }),
    );
  });

  it("§1.14-9029 an Update or Uninstall of a DU an earlier request is changing now is answered 9029 for that operation only (UUID in any case, version empty or equal)", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const du = duOfA("du-busy", UUID_A);
        h.modules.dus.set("du-busy", { ...du, status: "Installing" });
        h.modules.dus.set("du-done", {
          ...du,
          duid: "du-done",
          uuid: "cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee",
          status: "Installed",
        });
        const ops: OperationStruct[] = [
          { _tag: "UninstallOpStruct", uuid: UUID_A.toUpperCase(), version: "1.0" },
          { _tag: "UpdateOpStruct", uuid: UUID_A, version: "" },
          { _tag: "UpdateOpStruct", uuid: UUID_A },
          { _tag: "UninstallOpStruct", uuid: UUID_A, version: "2.0" },
          { _tag: "UpdateOpStruct", uuid: "" },
          { _tag: "UninstallOpStruct", uuid: "cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee" },
          { _tag: "InstallOpStruct", url: "ftp://127.0.0.1/x", uuid: UUID_A },
        ];
        yield* h.changeDUState(ops);
        const refused = (yield* h.book.get).pending[0]?.refused ?? [];
        expect(refused.map((r) => r?.fault.faultCode ?? null)).toEqual([
          9029,
          9029,
          9029,
          null,
          null,
          null,
          null,
        ]);
        expect(refused[0]).toEqual({
          uuid: UUID_A,
          deploymentUnitRef: "",
          version: "1.0",
          currentState: "Installed",
          resolved: true,
          executionUnitRefList: "",
          startTime: "1970-01-01T00:00:00Z",
          completeTime: "1970-01-01T00:00:00Z",
          fault: refused[0]?.fault,
        });
        expect(refused[0]?.fault.faultString).toContain(`DU ${UUID_A} is Installing`);
        // The DU is done before the request runs: the refusal stands, the other operations run.
        h.modules.dus.set("du-busy", { ...du, status: "Installed" });
        yield* h.manager.runPending;
        const [report] = reported(h.queue.state);
        expect(report?.results[0]?.fault.faultCode).toBe(9029);
        expect(h.modules.calls).not.toContain("uninstall du-busy");
        expect(h.modules.calls).toContain("uninstall du-done");
      }),
    );
  });

  it("§1.4-ChangeDUState a request without a busy DU is saved without refusals", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.changeDUState([{ _tag: "UninstallOpStruct", uuid: UUID_A }]);
        expect("refused" in ((yield* h.book.get).pending[0] ?? {})).toBe(false);
      }),
    );
  });
});

const MS_POLICY = "Device.ManagementServer.DUStateChangeComplPolicy.";
const reportAll = {
  [`${MS_POLICY}Enable`]: "true",
  [`${MS_POLICY}OperationTypeFilter`]: "Install,Update,Uninstall",
  [`${MS_POLICY}ResultTypeFilter`]: "Both",
  [`${MS_POLICY}FaultCodeFilter`]: "9018,9001",
};
const autonomousDu = {
  duid: "du-x",
  uuid: UUID_A,
  name: "x",
  version: "3",
  vendor: "v",
  description: "",
  url: "local",
  execEnvId: "ee-1",
  status: "Installed" as const,
  resolved: false,
  executionUnits: ["eu-1", "eu-2"],
};
const autonomousResults = (q: EventQueueState) =>
  q.requests.flatMap((r) =>
    r.message._tag === "AutonomousDUStateChangeComplete" ? r.message.results : [],
  );

describe("software-module manager: autonomous reports", () => {
  it("§1.4-CPE-AutonomousDUStateChangeComplete a reported change carries the DU's references, times, state and fault; a DU missing from the inventory is numbered too", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness({ values: reportAll });
        h.modules.eus.set("eu-2", idleEu("eu-2", "e"));
        const queued = yield* h.manager.reportAutonomous({
          operation: "Install",
          deploymentUnit: autonomousDu,
          startTime: Date.UTC(2026, 0, 2, 3, 4, 5),
          completeTime: Date.UTC(2026, 0, 2, 3, 4, 6),
          fault: { faultCode: 9018, faultString: "bad bytes" },
        });
        expect(queued).toBe(true);
        expect(autonomousResults(h.queue.state)).toEqual([
          {
            uuid: UUID_A,
            deploymentUnitRef: "Device.SoftwareModules.DeploymentUnit.1",
            version: "3",
            currentState: "Failed",
            resolved: false,
            executionUnitRefList: "Device.SoftwareModules.ExecutionUnit.1",
            startTime: "2026-01-02T03:04:05Z",
            completeTime: "2026-01-02T03:04:06Z",
            fault: {
              faultCode: 9018,
              faultString: "File transfer failure: file corrupted: bad bytes",
            },
            operationPerformed: "Install",
          },
        ]);
        expect(h.queue.state.events.map((e) => [e.eventCode, e.commandKey])).toEqual([
          ["12 AUTONOMOUS DU STATE CHANGE COMPLETE", ""],
        ]);
      }),
    );
  });

  it("§1.4-CPE-AutonomousDUStateChangeComplete the state after the change: a failed Update stays Installed, an Uninstall is Uninstalled, an Update Installed; a UUID not in RFC 4122 form is the nil UUID", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness({ values: reportAll });
        const change = (operation: "Install" | "Update" | "Uninstall", faultCode?: number) =>
          h.manager.reportAutonomous({
            operation,
            deploymentUnit: { ...autonomousDu, uuid: "not-a-uuid", executionUnits: [] },
            startTime: 0,
            completeTime: 0,
            ...(faultCode === undefined ? {} : { fault: { faultCode } }),
          });
        yield* change("Update", 9001);
        yield* change("Uninstall");
        yield* change("Update");
        yield* change("Install");
        const results = autonomousResults(h.queue.state);
        expect(results.map((r) => [r.currentState, r.uuid, r.fault.faultCode])).toEqual([
          ["Installed", "00000000-0000-0000-0000-000000000000", 9001],
          ["Uninstalled", "00000000-0000-0000-0000-000000000000", 0],
          ["Installed", "00000000-0000-0000-0000-000000000000", 0],
          ["Installed", "00000000-0000-0000-0000-000000000000", 0],
        ]);
        expect(results[1]?.fault).toEqual({ faultCode: 0, faultString: "" });
        expect(results[0]?.fault.faultString).toBe("Request denied");
      }),
    );
  });

  it("§1.13-Autonomous without DUStateChangeComplPolicy, or with a filter that leaves the change out, nothing is queued (false)", async () => {
    await run(
      Effect.gen(function* () {
        for (const values of [{}, { ...reportAll, [`${MS_POLICY}Enable`]: "false" }]) {
          const h = yield* harness({ values });
          const queued = yield* h.manager.reportAutonomous({
            operation: "Install",
            deploymentUnit: autonomousDu,
            startTime: 0,
            completeTime: 0,
          });
          expect(queued).toBe(false);
          expect(h.queue.state.requests).toEqual([]);
        }
      }),
    );
  });
});

/** A plugin that records the fetch outcome it is handed, then installs as the memory one does. */
const seeingFetch = (seen: unknown[]) => (service: SoftwareModulesService) => ({
  ...service,
  install: (request: Parameters<SoftwareModulesService["install"]>[0]) =>
    Effect.flatMap(Effect.either(request.fetch as FetchPackage), (outcome) => {
      seen.push(
        Either.isLeft(outcome)
          ? {
              reason: outcome.left.reason,
              faultCode: outcome.left.faultCode,
              detail: outcome.left.detail,
            }
          : { ...outcome.right, bytes: outcome.right.bytes.length },
      );
      return service.install(request);
    }),
});

describe("software-module manager: what the plugin and the ACS see", () => {
  it("§1.4-ChangeDUState the plugin's fetch gives the bytes and the Content-Type only when the server sent one; a failure is a Transfer error with the fault code", async () => {
    await run(
      Effect.gen(function* () {
        const seen: unknown[] = [];
        const h = yield* harness({ plugin: seeingFetch(seen) });
        yield* h.changeDUState([
          { _tag: "InstallOpStruct", url: PKG_TYPED, uuid: UUID_A },
          { _tag: "InstallOpStruct", url: PKG, uuid: "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee" },
          { _tag: "InstallOpStruct", url: "http://127.0.0.1:1/missing" },
          { _tag: "InstallOpStruct", url: "ftp://127.0.0.1/x" },
        ]);
        yield* h.manager.runPending;
        const size = encodeDeploymentUnitPackage({ name: "a", version: "1.0" }).length;
        expect(seen).toStrictEqual([
          { bytes: size, contentType: "application/json" },
          { bytes: size },
          { reason: "Transfer", faultCode: 9016, detail: "404 here" },
          {
            reason: "Transfer",
            faultCode: 9013,
            detail: "unsupported protocol in ftp://127.0.0.1/",
          },
        ]);
        expect(h.downloads[2]).toStrictEqual({
          url: "http://127.0.0.1:1/missing",
          maxBytes: 5000,
          timeout: "7 seconds",
        });
      }),
    );
  });

  it("§1.4-ChangeDUState each refusal of the request names its reason (9003 no operations, 9004 over 16, 9003 long CommandKey, 9002 not saved)", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const op: OperationStruct = { _tag: "UninstallOpStruct", uuid: UUID_A };
        const fault = (e: Either.Either<unknown, { code: number; faultString: string }>) =>
          Either.isLeft(e) ? [e.left.code, e.left.faultString] : "answered";
        expect(fault(yield* Effect.either(h.changeDUState([])))).toEqual([
          9003,
          "ChangeDUState without Operations",
        ]);
        expect(fault(yield* Effect.either(h.changeDUState(Array(17).fill(op))))).toEqual([
          9004,
          "at most 16 operations per ChangeDUState",
        ]);
        expect(fault(yield* Effect.either(h.changeDUState([op], "k".repeat(33))))).toEqual([
          9003,
          "CommandKey is longer than 32 characters",
        ]);
        h.storeState.failWrites = true;
        const unsaved = yield* Effect.either(h.changeDUState([op]));
        expect(Either.isLeft(unsaved) && unsaved.left.code).toBe(9002);
        expect(Either.isLeft(unsaved) && unsaved.left.faultString).toMatch(
          /^cannot save the request: .*disk full/,
        );
        expect((yield* h.book.get).pending).toEqual([]);
      }),
    );
  });

  it("§1.5-11-DU-STATE-CHANGE-COMPLETE the report's events: 11 without CommandKey, M ChangeDUState with it; each result is saved as soon as it is known", async () => {
    expect(duStateChangeEvents("k")).toEqual([
      { eventCode: "11 DU STATE CHANGE COMPLETE", commandKey: "" },
      { eventCode: "M ChangeDUState", commandKey: "k" },
    ]);
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const op: OperationStruct = { _tag: "UninstallOpStruct", uuid: UUID_A };
        yield* h.changeDUState([op, op], "k");
        // The report cannot be queued: the results stay saved with the request.
        h.queue.failSave = true;
        expect(Either.isLeft(yield* Effect.either(h.manager.runPending))).toBe(true);
        const [pending] = (yield* h.book.get).pending;
        expect(pending?.results.map((r) => r.fault.faultCode)).toHaveLength(2);
      }),
    );
  });

  it("§1.14-9029 a DU without UUID, or one already Uninstalled, is not busy; without an inventory nothing is refused", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const du = duOfA("du-1", "");
        h.modules.dus.set("du-1", { ...du, status: "Installing" });
        h.modules.dus.set("du-2", { ...du, duid: "du-2", uuid: UUID_A, status: "Uninstalled" });
        yield* h.changeDUState([
          { _tag: "UpdateOpStruct", uuid: "" },
          { _tag: "UninstallOpStruct", uuid: UUID_A },
        ]);
        expect("refused" in ((yield* h.book.get).pending[0] ?? {})).toBe(false);
        const broken = yield* harness({
          plugin: (service) => ({
            ...service,
            inventory: Effect.fail(softwareModuleError("Internal", "no inventory")),
          }),
        });
        broken.modules.dus.set("du-2", { ...du, duid: "du-2", uuid: UUID_A, status: "Installing" });
        expect(
          (yield* broken.changeDUState([{ _tag: "UninstallOpStruct", uuid: UUID_A }]))._tag,
        ).toBe("ChangeDUStateResponse");
        expect("refused" in ((yield* broken.book.get).pending[0] ?? {})).toBe(false);
      }),
    );
  });

  it("§1.4-CPE-AutonomousDUStateChangeComplete references: a DU after another in the inventory is numbered after it, its EUs listed comma-separated; without an inventory the DU alone is numbered", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness({ values: reportAll });
        h.modules.dus.set("du-other", { ...autonomousDu, duid: "du-other", executionUnits: [] });
        h.modules.eus.set("eu-1", idleEu("eu-1"));
        h.modules.eus.set("eu-2", idleEu("eu-2"));
        yield* h.manager.reportAutonomous({
          operation: "Update",
          deploymentUnit: autonomousDu,
          startTime: 0,
          completeTime: 0,
        });
        expect(
          autonomousResults(h.queue.state).map((r) => [
            r.deploymentUnitRef,
            r.executionUnitRefList,
          ]),
        ).toEqual([
          [
            "Device.SoftwareModules.DeploymentUnit.2",
            "Device.SoftwareModules.ExecutionUnit.1,Device.SoftwareModules.ExecutionUnit.2",
          ],
        ]);
        const broken = yield* harness({
          values: reportAll,
          plugin: (service) => ({
            ...service,
            inventory: Effect.fail(softwareModuleError("Internal", "no inventory")),
          }),
        });
        expect(
          yield* broken.manager.reportAutonomous({
            operation: "Uninstall",
            deploymentUnit: { ...autonomousDu, executionUnits: [] },
            startTime: 0,
            completeTime: 0,
          }),
        ).toBe(true);
        expect(autonomousResults(broken.queue.state).map((r) => r.deploymentUnitRef)).toEqual([
          "Device.SoftwareModules.DeploymentUnit.1",
        ]);
        // Only the DU was numbered: the first EE and EU seen later still get number 1.
        const later = yield* broken.book.refs({
          execEnvs: [{ ...(yield* h.modules.service.inventory).execEnvs[0]!, id: "ee-9" }],
          deploymentUnits: [],
          executionUnits: [{ ...idleEu("eu-9"), duid: "du-9" }],
        });
        expect([later.execEnvRef("ee-9"), later.executionUnitRef("eu-9")]).toEqual([
          "Device.SoftwareModules.ExecEnv.1",
          "Device.SoftwareModules.ExecutionUnit.1",
        ]);
      }),
    );
  });
});

describe("software-module manager: numbering that cannot be saved", () => {
  it("§1.14-9002 an operation whose inventory numbers cannot be saved fails (9002, reported as the DU fault 9001) with the store's message; the request still completes", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.changeDUState([{ _tag: "InstallOpStruct", url: PKG, uuid: UUID_A }]);
        h.storeState.failNext = 1;
        expect(yield* h.manager.runPending).toBe(1);
        const [report] = reported(h.queue.state);
        // 9002 is not a DU fault code: the result carries 9001 with the store's message.
        expect(report?.results.map((r) => r.fault.faultCode)).toEqual([9001]);
        expect(report?.results[0]?.fault.faultString).toContain("disk full");
        expect(h.modules.calls).toEqual([]);
      }),
    );
  });
});
