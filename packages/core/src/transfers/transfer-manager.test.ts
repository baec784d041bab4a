import { Deferred, Duration, Effect, Fiber, Option, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import { EventCode } from "../agent/event-codes.js";
import { requestDelivered } from "../agent/event-queue.js";
import { makePersistentEventQueue, type PersistentEventQueue } from "../agent/event-queue-store.js";
import { makeSectionStore } from "../agent/section-store.js";
import type { CwmpFault } from "../cwmp/fault.js";
import { DeviceActionError, type DeviceActionsService } from "../ports/device-actions.js";
import { FileTransferError, type FileTransferService } from "../ports/file-transfer.js";
import { makeMemoryStore, type StoreDocument, type StoreService } from "../ports/store.js";
import type { Download, ScheduleDownload } from "../soap/acs-methods.js";
import type { TransferComplete } from "../soap/cpe-methods.js";
import { type AgentTransfers, makeAgentTransfers } from "./transfer-manager.js";

const ACS = "http://acs/cwmp";
const T0 = Date.parse("2026-03-01T10:00:00Z");

const download = (over: Partial<Download> = {}): Download => ({
  _tag: "Download",
  commandKey: "dl1",
  fileType: "1 Firmware Upgrade Image",
  url: "http://files.example/fw.bin",
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "fw.bin",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
  ...over,
});

interface Harness {
  readonly transfers: AgentTransfers;
  readonly queue: PersistentEventQueue;
  readonly applied: string[];
  readonly store: StoreService;
}

interface Options {
  readonly fail?: FileTransferError;
  readonly applyFails?: DeviceActionError;
  readonly store?: StoreService;
  readonly maxQueued?: number;
  readonly upload?: boolean;
  /** Holds every download until completed. */
  readonly gate?: Deferred.Deferred<void>;
  /** Replaces the file server's download (the default gives 2 bytes at once). */
  readonly download?: FileTransferService["download"];
}

const harness = (o: Options = {}) =>
  Effect.gen(function* () {
    const store = o.store ?? (yield* makeMemoryStore());
    const sections = yield* makeSectionStore(store);
    const queue = yield* makePersistentEventQueue(sections, ACS, T0);
    const applied: string[] = [];
    const fileTransfer: FileTransferService = {
      download: (request) =>
        o.download !== undefined
          ? o.download(request)
          : o.fail
            ? Effect.fail(o.fail)
            : Effect.zipRight(
                o.gate ? Deferred.await(o.gate) : Effect.void,
                Effect.map(
                  Effect.clockWith((c) => c.currentTimeMillis),
                  (t) => ({ bytes: new Uint8Array([1, 2]), startTime: t, completeTime: t }),
                ),
              ),
      upload: () => Effect.succeed({ status: 200, startTime: T0, completeTime: T0 }),
    };
    const apply = (kind: string) => () =>
      o.applyFails ? Effect.fail(o.applyFails) : Effect.sync(() => void applied.push(kind));
    const deviceActions: DeviceActionsService = {
      reboot: Effect.void,
      factoryReset: Effect.void,
      applyFirmware: apply("firmware"),
      applyConfig: apply("config"),
    };
    const transfers = yield* makeAgentTransfers({
      store: sections,
      queue,
      fileTransfer,
      deviceActions,
      ...(o.maxQueued === undefined ? {} : { maxQueued: o.maxQueued }),
      ...(o.upload ? { uploadFile: () => Effect.succeed({ bytes: new Uint8Array([7]) }) } : {}),
    });
    return { transfers, queue, applied, store } satisfies Harness;
  });

const run = <A, E>(program: Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.provide(
      Effect.flatMap(TestClock.setTime(T0), () => program),
      TestContext.TestContext,
    ),
  );

const reports = (q: PersistentEventQueue) =>
  Effect.map(q.get, (s) => ({
    requests: s.requests.map((r) => r.message as TransferComplete),
    events: s.events.map((e) => `${e.eventCode}|${e.commandKey}`),
  }));

const faultOf = <A>(e: Effect.Effect<A, CwmpFault>) => Effect.map(Effect.flip(e), (f) => f.code);

describe("transfers (§1.13)", () => {
  it("§1.13 Download answers Status 1, waits DelaySeconds, applies firmware, then queues TransferComplete + 7 TRANSFER COMPLETE + M Download", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        const response = yield* h.transfers.manager.download!(
          download({ delaySeconds: 30 }),
          {} as never,
        );
        expect(response).toMatchObject({ status: 1, startTime: "0001-01-01T00:00:00Z" });
        expect(yield* h.transfers.runDue).toEqual([]);
        expect(yield* h.transfers.nextDueAt).toBe(T0 + 30_000);
        yield* TestClock.adjust("30 seconds");
        expect(yield* h.transfers.runDue).toEqual(["dl1"]);
        expect(h.applied).toEqual(["firmware"]);
        const r = yield* reports(h.queue);
        expect(r.requests).toEqual([
          {
            _tag: "TransferComplete",
            commandKey: "dl1",
            faultStruct: { faultCode: 0, faultString: "" },
            startTime: "2026-03-01T10:00:30Z",
            completeTime: "2026-03-01T10:00:30Z",
          },
        ]);
        expect(r.events).toContain(`${EventCode.TransferComplete}|`);
        expect(r.events).toContain(`${EventCode.MDownload}|dl1`);
      }),
    ));

  it("§1.13 a Vendor Configuration File goes to applyConfig", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.transfers.manager.download!(
          download({ fileType: "3 Vendor Configuration File" }),
          {} as never,
        );
        yield* h.transfers.runDue;
        expect(h.applied).toEqual(["config"]);
      }),
    ));

  it("§1.13 a failed download reports its fault code (9015); a code outside the TransferComplete set becomes 9010", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness({
          fail: new FileTransferError({
            reason: "Unreachable",
            faultCode: 9015,
            detail: "refused",
          }),
        });
        yield* h.transfers.manager.download!(download(), {} as never);
        yield* h.transfers.runDue;
        const [tc] = (yield* reports(h.queue)).requests;
        expect(tc?.faultStruct).toEqual({ faultCode: 9015, faultString: "refused" });
        expect(tc?.startTime).toBe("0001-01-01T00:00:00Z");
        expect(h.applied).toEqual([]);
        const h2 = yield* harness({
          applyFails: new DeviceActionError({ reason: "Rejected", faultCode: 9003, detail: "no" }),
        });
        yield* h2.transfers.manager.download!(download(), {} as never);
        yield* h2.transfers.runDue;
        expect((yield* reports(h2.queue)).requests[0]?.faultStruct.faultCode).toBe(9010);
      }),
    ));

  it("§1.13 a non-HTTP URL is refused with 9013 and a full queue with 9004", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness({ maxQueued: 1 });
        expect(
          yield* faultOf(
            h.transfers.manager.download!(download({ url: "tftp://x/f" }), {} as never),
          ),
        ).toBe(9013);
        yield* h.transfers.manager.download!(download({ delaySeconds: 60 }), {} as never);
        expect(
          yield* faultOf(
            h.transfers.manager.download!(download({ commandKey: "dl2" }), {} as never),
          ),
        ).toBe(9004);
      }),
    ));

  it("§1.13 CancelTransfer removes a transfer not yet started; 9021 once it has completed; 9003 for an unknown CommandKey", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        const m = h.transfers.manager;
        yield* m.download!(download({ commandKey: "a", delaySeconds: 60 }), {} as never);
        yield* m.cancelTransfer!({ _tag: "CancelTransfer", commandKey: "a" }, {} as never);
        expect((yield* m.getAllQueuedTransfers!()).transferList).toEqual([]);
        expect(
          yield* faultOf(
            m.cancelTransfer!({ _tag: "CancelTransfer", commandKey: "zz" }, {} as never),
          ),
        ).toBe(9003);
        yield* m.download!(download({ commandKey: "b" }), {} as never);
        yield* h.transfers.runDue;
        expect(
          yield* faultOf(
            m.cancelTransfer!({ _tag: "CancelTransfer", commandKey: "b" }, {} as never),
          ),
        ).toBe(9021);
      }),
    ));

  it("§1.13 CancelTransfer of a transfer in progress is refused with 9021 and the transfer goes on", () =>
    run(
      Effect.gen(function* () {
        const gate = yield* Deferred.make<void>();
        const h = yield* harness({ gate });
        const m = h.transfers.manager;
        yield* m.download!(download({ commandKey: "b" }), {} as never);
        const fiber = yield* Effect.fork(h.transfers.runDue);
        yield* Effect.yieldNow();
        expect((yield* m.getQueuedTransfers!()).transferList).toEqual([
          { commandKey: "b", state: 2 },
        ]);
        expect(
          yield* faultOf(
            m.cancelTransfer!({ _tag: "CancelTransfer", commandKey: "b" }, {} as never),
          ),
        ).toBe(9021);
        yield* Deferred.succeed(gate, undefined);
        expect(yield* Fiber.join(fiber)).toEqual(["b"]);
      }),
    ));

  it("§1.13 GetAllQueuedTransfers reports State 1 not started, 3 completed until its TransferComplete is delivered", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        const m = h.transfers.manager;
        yield* m.download!(download({ commandKey: "now" }), {} as never);
        yield* m.download!(download({ commandKey: "later", delaySeconds: 600 }), {} as never);
        yield* h.transfers.runDue;
        const list = (yield* m.getAllQueuedTransfers!()).transferList;
        expect(list.map((t) => [t.commandKey, t.state, t.isDownload])).toEqual([
          ["now", 3, true],
          ["later", 1, true],
        ]);
        expect((yield* m.getQueuedTransfers!()).transferList).toEqual([
          { commandKey: "now", state: 3 },
          { commandKey: "later", state: 1 },
        ]);
        const seq = (yield* h.queue.get).requests[0]!.seq;
        yield* h.queue.update((q) => requestDelivered(q, seq));
        expect((yield* m.getAllQueuedTransfers!()).transferList.map((t) => t.commandKey)).toEqual([
          "later",
        ]);
      }),
    ));

  const scheduled = (windows: ScheduleDownload["timeWindowList"]): ScheduleDownload => ({
    _tag: "ScheduleDownload",
    commandKey: "sd",
    fileType: "1 Firmware Upgrade Image",
    url: "http://files.example/fw.bin",
    username: "",
    password: "",
    fileSize: 0,
    targetFileName: "",
    timeWindowList: windows,
  });
  const win = (start: number, end: number, mode = "1 At Any Time") => ({
    windowStart: start,
    windowEnd: end,
    windowMode: mode,
    userMessage: "",
    maxRetries: 0,
  });

  it("§1.13 ScheduleDownload runs inside its window and reports M ScheduleDownload", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.transfers.manager.scheduleDownload!(scheduled([win(100, 200)]), {} as never);
        yield* h.transfers.runDue;
        expect(h.applied).toEqual([]);
        yield* TestClock.adjust("150 seconds");
        expect(yield* h.transfers.runDue).toEqual(["sd"]);
        expect((yield* reports(h.queue)).events).toContain(`${EventCode.MScheduleDownload}|sd`);
      }),
    ));

  it("§1.13 ScheduleDownload whose windows all passed reports 9020", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.transfers.manager.scheduleDownload!(
          scheduled([win(10, 20), win(30, 40)]),
          {} as never,
        );
        yield* TestClock.adjust("41 seconds");
        yield* h.transfers.runDue;
        expect((yield* reports(h.queue)).requests[0]?.faultStruct.faultCode).toBe(9020);
        expect(h.applied).toEqual([]);
      }),
    ));

  it("§1.14-9020 a ScheduleDownload is given no more time than its window has left; a transfer still going at the window's end reports 9020", () =>
    run(
      Effect.gen(function* () {
        const given: number[] = [];
        const h = yield* harness({
          // A server slower than the window: the transfer times out when its limit passes.
          download: (request) => {
            const ms = Duration.toMillis(Duration.decode(request.timeout));
            given.push(ms);
            return Effect.zipRight(
              Effect.sleep(ms),
              Effect.fail(
                new FileTransferError({ reason: "Timeout", faultCode: 9017, detail: "slow" }),
              ),
            );
          },
        });
        yield* h.transfers.manager.scheduleDownload!(scheduled([win(10, 40)]), {} as never);
        yield* TestClock.adjust("15 seconds");
        const running = yield* Effect.fork(h.transfers.runDue);
        yield* TestClock.adjust("25 seconds");
        expect(yield* Fiber.join(running)).toEqual(["sd"]);
        expect(given).toEqual([25_000]);
        const tc = (yield* reports(h.queue)).requests[0];
        expect(tc?.faultStruct.faultCode).toBe(9020);
        expect(tc?.faultStruct.faultString).toContain("time windows");
        expect(h.applied).toEqual([]);
      }),
    ));

  it("§1.14-9020 a window longer than the transfer time limit leaves the limit (10 minutes) as it is", () =>
    run(
      Effect.gen(function* () {
        const given: number[] = [];
        const h = yield* harness({
          download: (request) => {
            given.push(Duration.toMillis(Duration.decode(request.timeout)));
            return Effect.succeed({
              bytes: new Uint8Array([1, 2]),
              startTime: T0,
              completeTime: T0,
            });
          },
        });
        yield* h.transfers.manager.scheduleDownload!(scheduled([win(0, 3600)]), {} as never);
        expect(yield* h.transfers.runDue).toEqual(["sd"]);
        expect(given).toEqual([600_000]);
        expect((yield* reports(h.queue)).requests[0]?.faultStruct.faultCode).toBe(0);
      }),
    ));

  it("§1.14-9020 a failure that is not the window's end keeps its own code (9015) inside the window", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness({
          fail: new FileTransferError({ reason: "Unreachable", faultCode: 9015, detail: "x" }),
        });
        yield* h.transfers.manager.scheduleDownload!(scheduled([win(0, 40)]), {} as never);
        yield* h.transfers.runDue;
        expect((yield* reports(h.queue)).requests[0]?.faultStruct.faultCode).toBe(9015);
      }),
    ));

  it("§1.14-9019 §1.14-9001 the device's own refusal of a file (signature check 9019, a file type it denies 9001) reaches TransferComplete as it is", () =>
    run(
      Effect.gen(function* () {
        for (const code of [9019, 9001]) {
          const h = yield* harness({
            applyFails: new DeviceActionError({
              reason: "Rejected",
              faultCode: code,
              detail: `refused ${code}`,
            }),
          });
          yield* h.transfers.manager.download!(download(), {} as never);
          yield* h.transfers.runDue;
          expect((yield* reports(h.queue)).requests[0]?.faultStruct).toEqual({
            faultCode: code,
            faultString: `refused ${code}`,
          });
        }
      }),
    ));

  it("§1.14-9018 a file whose length is not the Download's FileSize is reported 9018 and never applied; the right length is", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.transfers.manager.download!(
          download({ commandKey: "bad", fileSize: 5 }),
          {} as never,
        );
        yield* h.transfers.runDue;
        const tc = (yield* reports(h.queue)).requests[0];
        expect(tc?.faultStruct.faultCode).toBe(9018);
        expect(tc?.faultStruct.faultString).toBe("file corrupted: 2 bytes received, FileSize is 5");
        expect(h.applied).toEqual([]);
        yield* h.transfers.manager.download!(
          download({ commandKey: "ok", fileSize: 2 }),
          {} as never,
        );
        yield* h.transfers.runDue;
        expect(h.applied).toEqual(["firmware"]);
        expect((yield* reports(h.queue)).requests[1]?.faultStruct.faultCode).toBe(0);
      }),
    ));

  it("§1.13 ScheduleDownload with no, three, overlapping or reversed windows is refused with 9003", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        const m = h.transfers.manager;
        for (const windows of [
          [],
          [win(1, 2), win(3, 4), win(5, 6)],
          [win(10, 30), win(20, 40)],
          [win(5, 1)],
          [win(1, 2, "7 Bogus")],
        ])
          expect(yield* faultOf(m.scheduleDownload!(scheduled(windows), {} as never))).toBe(9003);
      }),
    ));

  it("§1.13 Upload (when the device can provide files) reports M Upload", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness({ upload: true });
        yield* h.transfers.manager.upload!(
          {
            _tag: "Upload",
            commandKey: "up",
            fileType: "2 Vendor Log File",
            url: "http://files.example/log",
            username: "",
            password: "",
            delaySeconds: 0,
          },
          {} as never,
        );
        yield* h.transfers.runDue;
        expect((yield* reports(h.queue)).events).toContain(`${EventCode.MUpload}|up`);
        expect((yield* harness()).transfers.manager.upload).toBeUndefined();
      }),
    ));

  const withRecord = (phase: string, attempts = 1): StoreDocument => ({
    transfers: {
      version: 1,
      nextId: 2,
      records: [
        {
          id: 1,
          kind: "download",
          scheduled: false,
          commandKey: "fw",
          fileType: "1 Firmware Upgrade Image",
          url: "http://files.example/fw.bin",
          username: "",
          password: "",
          fileSize: 0,
          targetFileName: "",
          notBefore: T0,
          windows: [],
          phase,
          attempts,
          startTime: T0 - 60_000,
        },
      ],
    },
  });

  it("§1.13 after a restart, a transfer caught while applying is reported successful with its StartTime", () =>
    run(
      Effect.gen(function* () {
        const store = yield* makeMemoryStore(withRecord("applying"));
        const h = yield* harness({ store });
        const [tc] = (yield* reports(h.queue)).requests;
        expect(tc).toMatchObject({
          commandKey: "fw",
          faultStruct: { faultCode: 0 },
          startTime: "2026-03-01T09:59:00Z",
        });
        expect(h.applied).toEqual([]);
      }),
    ));

  it("§1.13 after a restart, a transfer caught while transferring runs again; after maxAttempts it is reported 9010", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness({ store: yield* makeMemoryStore(withRecord("transferring")) });
        expect(yield* h.transfers.runDue).toEqual(["fw"]);
        expect(h.applied).toEqual(["firmware"]);
        const h2 = yield* harness({ store: yield* makeMemoryStore(withRecord("transferring", 3)) });
        expect((yield* reports(h2.queue)).requests[0]?.faultStruct.faultCode).toBe(9010);
      }),
    ));

  it("§1.13 the completion and its TransferComplete are saved together", () =>
    run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.transfers.manager.download!(download(), {} as never);
        yield* h.transfers.runDue;
        const doc = Option.getOrThrow(yield* h.store.load) as Record<
          string,
          { records?: unknown[]; requests?: unknown[] }
        >;
        expect(doc.events?.requests).toHaveLength(1);
        expect(doc.transfers?.records).toMatchObject([{ commandKey: "dl1", phase: "completed" }]);
      }),
    ));
});
