/**
 * The agent's transfer manager (requirements section 1.13): the Download, Upload,
 * ScheduleDownload, CancelTransfer, GetAllQueuedTransfers and GetQueuedTransfers handlers in
 * the shape the RPC registry expects (`TransferManager` of `rpc/transfer-manager.ts`), and the
 * runner that carries queued transfers out after the session, or when their time comes.
 *
 * A request is answered with Status 1 once its transfer is saved; the result is reported later
 * by a TransferComplete with `7 TRANSFER COMPLETE` and the request's `M` event.
 * @module
 */
import { Duration, Effect, Either } from "effect";
import type { PersistentEventQueue } from "../agent/event-queue-store.js";
import type { SectionStore } from "../agent/section-store.js";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { StoreError } from "../ports/store.js";
import type { TransferManager } from "../rpc/transfer-manager.js";
import type { Download, Upload } from "../soap/acs-methods.js";
import type { AllQueuedTransferStruct } from "../soap/rpc-structs.js";
import { currentWindow, resolveTimeWindows } from "./time-window.js";
import {
  queuedTransferState,
  type TransferRecord,
  type TransferStateError,
} from "./transfer-record.js";
import {
  performTransfer,
  type TransferOutcome,
  type TransferRunnerDeps,
  transferCompleteFor,
  transferEvents,
} from "./transfer-runner.js";
import { makeTransferStore, pendingTransferCompletes, pruneReported } from "./transfer-store.js";

/** What the transfer manager of one device is made of. */
export interface AgentTransfersConfig extends Omit<TransferRunnerDeps, "maxBytes" | "timeout"> {
  readonly store: SectionStore;
  readonly queue: PersistentEventQueue;
  /** Most transfers queued or in progress at once; more are refused with 9004. Default 16. */
  readonly maxQueued?: number;
  /** Largest download accepted. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Time limit of one transfer. Default 10 minutes. */
  readonly timeout?: Duration.DurationInput;
  /** Attempts of a transfer interrupted by restarts before it is reported failed (9010). Default 3. */
  readonly maxAttempts?: number;
}

/** The transfer side of one agent. */
export interface AgentTransfers {
  /** The RPC handlers; register them with `registerTransferManager(registry, manager)`. */
  readonly manager: TransferManager;
  /**
   * Runs every transfer that is due now, one after the other, and returns the CommandKeys of
   * those that completed (their TransferComplete is queued: the agent sends TRANSFER_DONE).
   */
  readonly runDue: Effect.Effect<readonly string[], StoreError>;
  /** When the next queued transfer falls due (epoch ms), if any. */
  readonly nextDueAt: Effect.Effect<number | undefined>;
  /** Drops every transfer not yet completed (the ACS URL changed, §1.5). */
  readonly cancelAll: Effect.Effect<void, StoreError>;
}

const DEFAULT_MAX_QUEUED = 16;
/** GetAllQueuedTransfers / GetQueuedTransfers list at most 16 transfers (XSD). */
const MAX_LISTED = 16;

const storeFault = (e: StoreError): CwmpFault =>
  cwmpFault(9002, `cannot save the transfer: ${e.message}`);
const now = Effect.clockWith((c) => c.currentTimeMillis);
const isActive = (r: TransferRecord) => r.phase !== "completed";

/**
 * Loads the device's transfers and settles those a restart interrupted: a transfer caught
 * while its file was being applied is reported successful (the reboot was the install's);
 * one caught while transferring is started again, or reported failed (9010) after
 * `maxAttempts` attempts.
 */
export const makeAgentTransfers = (
  config: AgentTransfersConfig,
): Effect.Effect<AgentTransfers, StoreError | TransferStateError> =>
  Effect.gen(function* () {
    const store = yield* makeTransferStore(config.store, config.queue);
    const maxQueued = config.maxQueued ?? DEFAULT_MAX_QUEUED;
    const maxAttempts = config.maxAttempts ?? 3;
    const deps: TransferRunnerDeps = {
      ...config,
      maxBytes: config.maxBytes ?? 64 * 1024 * 1024,
      timeout: config.timeout ?? Duration.minutes(10),
    };

    const timeoutMs = Duration.toMillis(Duration.decode(deps.timeout));
    /** The time limit of a transfer that must end within `leftMs` (its window's rest). */
    const windowTimeout = (leftMs: number): Duration.DurationInput =>
      Duration.millis(Math.max(1, Math.min(timeoutMs, leftMs)));

    const report = (record: TransferRecord, outcome: TransferOutcome) =>
      store.complete(record.id, transferCompleteFor(record, outcome), transferEvents(record));

    const setRecord = (id: number, f: (r: TransferRecord) => TransferRecord) =>
      store.update((s) => ({ ...s, records: s.records.map((r) => (r.id === id ? f(r) : r)) }));

    // Settle what a restart interrupted.
    const t0 = yield* now;
    for (const r of (yield* store.get).records) {
      if (r.phase === "applying") {
        yield* report(r, {
          faultCode: 0,
          faultString: "",
          ...(r.startTime === undefined ? {} : { startTime: r.startTime }),
          completeTime: t0,
        });
      } else if (r.phase === "transferring") {
        if (r.attempts >= maxAttempts)
          yield* report(r, { faultCode: 9010, faultString: "interrupted by restarts" });
        else yield* setRecord(r.id, (x) => ({ ...x, phase: "queued", notBefore: t0 }));
      }
    }

    const enqueue = (
      fields: Omit<TransferRecord, "id" | "phase" | "attempts">,
    ): Effect.Effect<void, CwmpFault> =>
      Effect.flatMap(store.get, (s) =>
        s.records.filter(isActive).length >= maxQueued
          ? Effect.fail(cwmpFault(9004, `at most ${maxQueued} transfers may be queued`))
          : Effect.mapError(
              store.update((st) => ({
                nextId: st.nextId + 1,
                records: [
                  ...st.records,
                  { ...fields, id: st.nextId, phase: "queued", attempts: 0 },
                ],
              })),
              storeFault,
            ),
      );

    const checkUrl = (url: string): Effect.Effect<void, CwmpFault> =>
      url === ""
        ? Effect.fail(cwmpFault(9003, "URL is empty"))
        : /^https?:\/\//i.test(url)
          ? Effect.void
          : Effect.fail(cwmpFault(9013, `unsupported protocol in ${url.slice(0, 16)}`));

    const pending = { status: 1 as const, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME };

    /** Queues a Download or Upload to start DelaySeconds from now (its answer is Status 1). */
    const enqueueDelayed = (
      kind: TransferRecord["kind"],
      request: Download | Upload,
      file: Pick<TransferRecord, "fileSize" | "targetFileName">,
    ): Effect.Effect<void, CwmpFault> =>
      Effect.gen(function* () {
        yield* checkUrl(request.url);
        const at = yield* now;
        yield* enqueue({
          kind,
          scheduled: false,
          commandKey: request.commandKey,
          fileType: request.fileType,
          url: request.url,
          username: request.username,
          password: request.password,
          fileSize: file.fileSize,
          targetFileName: file.targetFileName,
          notBefore: at + Math.max(0, request.delaySeconds) * 1000,
          windows: [],
        });
      });

    const listed: Effect.Effect<readonly AllQueuedTransferStruct[]> = Effect.gen(function* () {
      const keys = yield* pendingTransferCompletes(config.queue);
      return pruneReported(yield* store.get, keys)
        .records.slice(0, MAX_LISTED)
        .map((r) => ({
          commandKey: r.commandKey,
          state: queuedTransferState(r.phase),
          isDownload: r.kind === "download",
          fileType: r.fileType,
          fileSize: r.fileSize,
          targetFileName: r.targetFileName,
        }));
    });

    const manager: TransferManager = {
      download: (request) =>
        Effect.as(enqueueDelayed("download", request, request), {
          _tag: "DownloadResponse" as const,
          ...pending,
        }),
      ...(config.uploadFile === undefined
        ? {}
        : {
            upload: (request) =>
              Effect.as(enqueueDelayed("upload", request, { fileSize: 0, targetFileName: "" }), {
                _tag: "UploadResponse" as const,
                ...pending,
              }),
          }),
      scheduleDownload: (request) =>
        Effect.gen(function* () {
          yield* checkUrl(request.url);
          const at = yield* now;
          const windows = yield* Either.match(resolveTimeWindows(request.timeWindowList, at), {
            onLeft: (fault) => Effect.fail(fault),
            onRight: (w) => Effect.succeed(w),
          });
          yield* enqueue({
            kind: "download",
            scheduled: true,
            commandKey: request.commandKey,
            fileType: request.fileType,
            url: request.url,
            username: request.username,
            password: request.password,
            fileSize: request.fileSize,
            targetFileName: request.targetFileName,
            notBefore: windows[0]?.start ?? at,
            windows,
          });
          return { _tag: "ScheduleDownloadResponse" as const };
        }),
      cancelTransfer: (request) =>
        Effect.gen(function* () {
          const matching = (yield* store.get).records.filter(
            (r) => r.commandKey === request.commandKey,
          );
          if (matching.length === 0)
            return yield* Effect.fail(cwmpFault(9003, "no queued transfer has this CommandKey"));
          if (matching.some((r) => r.phase !== "queued"))
            return yield* Effect.fail(cwmpFault(9021));
          yield* Effect.mapError(
            store.update((s) => ({
              ...s,
              records: s.records.filter((r) => !matching.includes(r)),
            })),
            storeFault,
          );
          return { _tag: "CancelTransferResponse" as const };
        }),
      getAllQueuedTransfers: () =>
        Effect.map(listed, (transferList) => ({
          _tag: "GetAllQueuedTransfersResponse" as const,
          transferList,
        })),
      getQueuedTransfers: () =>
        Effect.map(listed, (list) => ({
          _tag: "GetQueuedTransfersResponse" as const,
          transferList: list.map((t) => ({ commandKey: t.commandKey, state: t.state })),
        })),
    };

    /** Runs `record` (due now) to its end: a report, or a later window. */
    const runOne = (record: TransferRecord, at: number): Effect.Effect<boolean, StoreError> =>
      Effect.gen(function* () {
        const window = record.scheduled ? currentWindow(record.windows, at) : undefined;
        if (record.scheduled) {
          if (window === undefined) {
            yield* report(record, { faultCode: 9020, faultString: "" });
            return true;
          }
          if (!window.open) {
            yield* setRecord(record.id, (r) => ({ ...r, notBefore: window.window.start }));
            return false;
          }
        }
        yield* setRecord(record.id, (r) => ({
          ...r,
          phase: "transferring",
          attempts: r.attempts + 1,
          startTime: at,
        }));
        // A ScheduleDownload must be done by the end of its window: the transfer gets no longer.
        const outcome = yield* performTransfer(
          record,
          window === undefined ? deps : { ...deps, timeout: windowTimeout(window.window.end - at) },
          setRecord(record.id, (r) => ({ ...r, phase: "applying" })),
        );
        // A failed ScheduleDownload tries again in its next window, if it has one.
        const after = yield* now;
        const later = record.windows.find(
          (w) => w.start > after && w.mode !== "4 Confirmation Needed",
        );
        if (outcome.faultCode !== 0 && record.scheduled && later !== undefined) {
          yield* setRecord(record.id, (r) => ({ ...r, phase: "queued", notBefore: later.start }));
          return false;
        }
        // Its last window ended before the transfer did (§1.14-9020).
        const missedWindows =
          outcome.faultCode !== 0 && window !== undefined && after >= window.window.end;
        yield* report(
          record,
          missedWindows
            ? {
                ...outcome,
                faultCode: 9020,
                faultString: `not complete within the time windows (${outcome.faultString})`,
              }
            : outcome,
        );
        return true;
      });

    const runDue: Effect.Effect<readonly string[], StoreError> = Effect.gen(function* () {
      const done: string[] = [];
      const tried = new Set<number>();
      // Each record runs at most once per call, which bounds the loop.
      for (;;) {
        const at = yield* now;
        const next = (yield* store.get).records.find(
          (r) => r.phase === "queued" && r.notBefore <= at && !tried.has(r.id),
        );
        if (next === undefined) return done;
        tried.add(next.id);
        if (yield* runOne(next, at)) done.push(next.commandKey);
      }
    });

    return {
      manager,
      runDue,
      nextDueAt: Effect.map(store.get, (s) =>
        s.records
          .filter((r) => r.phase === "queued")
          .reduce<number | undefined>(
            (min, r) => (min === undefined || r.notBefore < min ? r.notBefore : min),
            undefined,
          ),
      ),
      cancelAll: Effect.asVoid(
        store.update((s) => ({ ...s, records: s.records.filter((r) => !isActive(r)) })),
      ),
    };
  });
