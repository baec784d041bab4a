/**
 * The CPE-initiated RPCs an application or plugin asks the agent to make (requirements §1.4
 * CPE→ACS table, §1.5 events 5, 9 and 10): Kicked, RequestDownload, AutonomousTransferComplete
 * and the CPE's GetRPCMethods.
 *
 * Each request is saved in the persistent event queue with the event that announces it
 * (`5 KICKED`, `9 REQUEST DOWNLOAD`, `10 AUTONOMOUS TRANSFER COMPLETE`; GetRPCMethods has none)
 * before the call returns, so it survives a restart like a TransferComplete. The session after
 * the Inform sends queued requests in the order they were made; fault 8005 resends one (and
 * keeps it queued when the ACS goes on asking); only its response, or another ACS fault
 * (8000-8004), takes it out of the queue. A request with an event starts a session; a
 * GetRPCMethods has no event to inform with, so it goes with the next session, whatever opens it.
 * @module
 */
import { Data, Deferred, Effect, Option, Ref, Schema } from "effect";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { DataModel } from "../datamodel/data-model.js";
import type { StoreError } from "../ports/store.js";
import type { SessionOutput } from "../session/session-io.js";
import type { GetRPCMethodsResponse } from "../soap/acs-methods.js";
import type {
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
  KickedResponse,
  RequestDownloadResponse,
} from "../soap/cpe-methods.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { ArgStruct, TransferCompleteFaultStruct } from "../soap/rpc-structs.js";
import { announcingEvents } from "./agent-session.js";
import {
  isAutonomousTransferReported,
  readAutonomousTransferPolicy,
} from "./autonomous-transfer-policy.js";
import { addCpeRequest, type CpeRequest } from "./event-queue.js";
import type { PersistentEventQueue } from "./event-queue-store.js";
import type { SectionStore } from "./section-store.js";

/** The store section keeping the ACS's last MethodList. */
export const ACS_METHODS_SECTION = "acsMethods";

/** At most this many application requests wait in the queue; more are refused. */
export const MAX_QUEUED_CPE_REQUESTS = 64;

/** A request could not be queued, or the ACS refused it. */
export class CpeRequestError extends Data.TaggedError("CpeRequestError")<{
  /**
   * `InvalidArguments`: an argument breaks the XSD (too long, missing, out of range);
   * `QueueFull`: {@link MAX_QUEUED_CPE_REQUESTS} are already waiting; `StoreFailed`: not saved,
   * not queued; `Rejected`: the ACS answered with `faultCode` (8000-8004), the request is
   * dropped; `Discarded`: dropped unanswered (the ACS URL changed, §1.5).
   */
  readonly reason: "InvalidArguments" | "QueueFull" | "StoreFailed" | "Rejected" | "Discarded";
  readonly detail: string;
  readonly faultCode?: number;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `CPE request ${this.reason}: ${this.detail}`;
  }
}

/**
 * A request saved in the queue. `answer` waits for the ACS's response (across as many sessions
 * as it takes); interrupting the wait leaves the request queued. After a restart the request is
 * still sent, but nobody waits for its answer any more.
 */
export interface PendingCpeRequest<R> {
  /** The request's place in the event queue. */
  readonly seq: number;
  readonly answer: Effect.Effect<R, CpeRequestError>;
}

/** Kicked's arguments (TR-069 A.4.2.4, deprecated in CWMP 1.4 but still defined). */
export interface KickedArguments {
  /** The command the web page asked for; at most 32 characters. */
  readonly command: string;
  /** The page the user came from; at most 64 characters. */
  readonly referer: string;
  /** The command's argument; at most 256 characters. */
  readonly arg: string;
  /** Where the user should go next; at most 1024 characters. */
  readonly next: string;
}

/** What the application knows of a transfer it did on its own (AutonomousTransferComplete). */
export interface AutonomousTransfer {
  /** The URL the transfer was announced on (multicast); default empty. At most 1024. */
  readonly announceUrl?: string;
  /** The file's URL; at most 1024 characters. */
  readonly transferUrl: string;
  readonly isDownload: boolean;
  /** A TransferFileType (`1 Firmware Upgrade Image`, ...); 1 to 64 characters. */
  readonly fileType: string;
  /** Bytes transferred. */
  readonly fileSize: number;
  /** Default empty; at most 256 characters. */
  readonly targetFileName?: string;
  /** Default success (FaultCode 0); otherwise one of the TransferComplete fault codes. */
  readonly fault?: TransferCompleteFaultStruct;
  /** xs:dateTime; default the Unknown Time. */
  readonly startTime?: string;
  /** xs:dateTime; default the Unknown Time. */
  readonly completeTime?: string;
}

/** The CPE-initiated RPCs of one agent (`agent.cpeRequests`). */
export interface CpeRequests {
  /** Queues a Kicked (`5 KICKED`); its answer carries the ACS's `NextURL` for the user. */
  readonly kicked: (
    args: KickedArguments,
  ) => Effect.Effect<PendingCpeRequest<KickedResponse>, CpeRequestError>;
  /** Queues a RequestDownload (`9 REQUEST DOWNLOAD`): the CPE asks the ACS for a file. */
  readonly requestDownload: (
    fileType: string,
    fileTypeArg?: readonly ArgStruct[],
  ) => Effect.Effect<PendingCpeRequest<RequestDownloadResponse>, CpeRequestError>;
  /**
   * Reports a transfer the CPE did on its own (`10 AUTONOMOUS TRANSFER COMPLETE`) when
   * `AutonomousTransferCompletePolicy` lets it; `None` when the policy filtered it out (nothing
   * is queued then).
   */
  readonly autonomousTransferComplete: (
    transfer: AutonomousTransfer,
  ) => Effect.Effect<
    Option.Option<PendingCpeRequest<AutonomousTransferCompleteResponse>>,
    CpeRequestError
  >;
  /** Queues the CPE's GetRPCMethods; its answer is the ACS's MethodList (kept, see `acsMethods`). */
  readonly getRpcMethods: () => Effect.Effect<
    PendingCpeRequest<GetRPCMethodsResponse>,
    CpeRequestError
  >;
  /** The MethodList of the ACS's last GetRPCMethodsResponse (kept over restarts), if any. */
  readonly acsMethods: Effect.Effect<Option.Option<readonly string[]>>;
}

/** What {@link makeCpeRequests} works with. */
export interface CpeRequestsDeps {
  readonly queue: PersistentEventQueue;
  readonly store: SectionStore;
  readonly dataModel: Pick<DataModel, "getParameterValues">;
  /** Where `ManagementServer` lives (`Device.ManagementServer.`). */
  readonly managementServerPrefix: string;
  /** Asks the agent for a session (the request's event is already queued). */
  readonly requestSession: Effect.Effect<void>;
}

/** The API and the hook the agent's sessions report their outcome to. */
export interface CpeRequestsService {
  readonly api: CpeRequests;
  /** Hands the ACS's answers of a saved session outcome to the waiting callers. */
  readonly answered: (output: SessionOutput) => Effect.Effect<void>;
}

/** The message kinds queued through this API (TransferComplete is the transfer manager's). */
const applicationKinds: ReadonlySet<string> = new Set([
  "Kicked",
  "RequestDownload",
  "AutonomousTransferComplete",
  "GetRPCMethods",
]);

/** TransferComplete's FaultCode subset (XSD), which AutonomousTransferComplete shares. */
const transferFaultCodes: ReadonlySet<number> = new Set([
  0, 9001, 9002, 9010, 9011, 9012, 9014, 9015, 9016, 9017, 9018, 9019, 9020,
]);

/** XSD `ArgStruct` maxOccurs of RequestDownload's FileTypeArg. */
const MAX_FILE_TYPE_ARGS = 16;

const invalid = (detail: string) => new CpeRequestError({ reason: "InvalidArguments", detail });

/** Checks `value` is at most `max` characters (and at least `min`). */
const checkLength = (
  field: string,
  value: string,
  max: number,
  min = 0,
): Effect.Effect<void, CpeRequestError> =>
  value.length > max || value.length < min
    ? Effect.fail(
        invalid(
          `${field} is ${value.length} characters, ${min > 0 ? `${min} to ${max}` : `at most ${max}`} allowed`,
        ),
      )
    : Effect.void;

const checkDateTime = (field: string, value: string): Effect.Effect<void, CpeRequestError> =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value))
    ? Effect.void
    : Effect.fail(invalid(`${field} "${value}" is not an xs:dateTime`));

const AcsMethods = Schema.Array(Schema.String);

/** Builds the API over one agent's queue and store. */
export const makeCpeRequests = (
  deps: CpeRequestsDeps,
): Effect.Effect<CpeRequestsService, StoreError> =>
  Effect.gen(function* () {
    const stored = yield* deps.store.read(ACS_METHODS_SECTION);
    // A section that does not decode is forgotten: the next GetRPCMethods answer rewrites it.
    const acsMethods = yield* Ref.make<Option.Option<readonly string[]>>(
      Option.flatMap(stored, (json) =>
        Option.getRight(Schema.decodeUnknownEither(AcsMethods)(json)),
      ),
    );
    const waiters = new Map<string, Deferred.Deferred<CwmpMessage, CpeRequestError>>();

    /** Saves `message` with its events; registers the waiter under the seq it gets. */
    const enqueue = <R>(
      message: CpeRequest,
      startsSession: boolean,
    ): Effect.Effect<PendingCpeRequest<R>, CpeRequestError> =>
      Effect.gen(function* () {
        const waiter = yield* Deferred.make<CwmpMessage, CpeRequestError>();
        let seq = 0;
        let full = false;
        const saved = yield* Effect.either(
          deps.queue.update((s) => {
            if (
              s.requests.filter((r) => applicationKinds.has(r.message._tag)).length >=
              MAX_QUEUED_CPE_REQUESTS
            ) {
              full = true;
              return s;
            }
            // Registered here, under the queue's lock, so that no session can answer the
            // request before its waiter exists; removed again if the save fails.
            seq = s.nextSeq;
            waiters.set(String(seq), waiter);
            return addCpeRequest(s, message, announcingEvents(message));
          }),
        );
        if (saved._tag === "Left") {
          waiters.delete(String(seq));
          return yield* Effect.fail(
            new CpeRequestError({
              reason: "StoreFailed",
              detail: saved.left.message,
              cause: saved.left,
            }),
          );
        }
        if (full)
          return yield* Effect.fail(
            new CpeRequestError({
              reason: "QueueFull",
              detail: `${MAX_QUEUED_CPE_REQUESTS} CPE requests are already waiting`,
            }),
          );
        if (startsSession) yield* deps.requestSession;
        return { seq, answer: Deferred.await(waiter) as Effect.Effect<R, CpeRequestError> };
      });

    const kicked: CpeRequests["kicked"] = (args) =>
      Effect.gen(function* () {
        yield* checkLength("Command", args.command, 32);
        yield* checkLength("Referer", args.referer, 64);
        yield* checkLength("Arg", args.arg, 256);
        yield* checkLength("Next", args.next, 1024);
        return yield* enqueue<KickedResponse>({ _tag: "Kicked", ...args }, true);
      });

    const requestDownload: CpeRequests["requestDownload"] = (fileType, fileTypeArg = []) =>
      Effect.gen(function* () {
        yield* checkLength("FileType", fileType, 64, 1);
        if (fileTypeArg.length > MAX_FILE_TYPE_ARGS)
          return yield* Effect.fail(
            invalid(`${fileTypeArg.length} FileTypeArg entries, at most ${MAX_FILE_TYPE_ARGS}`),
          );
        for (const a of fileTypeArg) {
          yield* checkLength("FileTypeArg Name", a.name, 64);
          yield* checkLength("FileTypeArg Value", a.value, 256);
        }
        return yield* enqueue<RequestDownloadResponse>(
          {
            _tag: "RequestDownload",
            fileType,
            fileTypeArg: fileTypeArg.map((a) => ({ name: a.name, value: a.value })),
          },
          true,
        );
      });

    const autonomousTransferComplete: CpeRequests["autonomousTransferComplete"] = (t) =>
      Effect.gen(function* () {
        const message: AutonomousTransferComplete = {
          _tag: "AutonomousTransferComplete",
          announceUrl: t.announceUrl ?? "",
          transferUrl: t.transferUrl,
          isDownload: t.isDownload,
          fileType: t.fileType,
          fileSize: t.fileSize,
          targetFileName: t.targetFileName ?? "",
          faultStruct: t.fault ?? { faultCode: 0, faultString: "" },
          startTime: t.startTime ?? UNKNOWN_TIME,
          completeTime: t.completeTime ?? UNKNOWN_TIME,
        };
        yield* checkLength("AnnounceURL", message.announceUrl, 1024);
        yield* checkLength("TransferURL", message.transferUrl, 1024);
        yield* checkLength("FileType", message.fileType, 64, 1);
        yield* checkLength("TargetFileName", message.targetFileName, 256);
        yield* checkLength("FaultString", message.faultStruct.faultString, 256);
        if (!transferFaultCodes.has(message.faultStruct.faultCode))
          return yield* Effect.fail(
            invalid(`FaultCode ${message.faultStruct.faultCode} is not a transfer fault code`),
          );
        if (!Number.isInteger(message.fileSize) || message.fileSize < 0)
          return yield* Effect.fail(invalid(`FileSize ${message.fileSize} is not an unsignedInt`));
        yield* checkDateTime("StartTime", message.startTime);
        yield* checkDateTime("CompleteTime", message.completeTime);
        const policy = yield* readAutonomousTransferPolicy(
          deps.dataModel,
          deps.managementServerPrefix,
        );
        const facts = {
          isDownload: message.isDownload,
          fileType: message.fileType,
          faultCode: message.faultStruct.faultCode,
        };
        if (Option.isSome(policy) && !isAutonomousTransferReported(policy.value, facts))
          return Option.none();
        return Option.some(yield* enqueue<AutonomousTransferCompleteResponse>(message, true));
      });

    const getRpcMethods: CpeRequests["getRpcMethods"] = () =>
      enqueue<GetRPCMethodsResponse>({ _tag: "GetRPCMethods" }, false);

    const settle = (id: string, outcome: Effect.Effect<CwmpMessage, CpeRequestError>) =>
      Effect.suspend(() => {
        const waiter = waiters.get(id);
        if (waiter === undefined) return Effect.void;
        waiters.delete(id);
        return Deferred.complete(waiter, outcome);
      });

    const answered = (output: SessionOutput): Effect.Effect<void> =>
      Effect.gen(function* () {
        for (const id of output.deliveredCpeRequests) {
          const response = output.cpeResponses[id];
          if (response === undefined) continue;
          if (response._tag === "GetRPCMethodsResponse") {
            yield* Ref.set(acsMethods, Option.some(response.methodList));
            // Best effort: the answer is in memory; a failed save only loses it at a restart.
            yield* Effect.ignore(
              deps.store.write({ [ACS_METHODS_SECTION]: [...response.methodList] }),
            );
          }
          yield* settle(id, Effect.succeed(response));
        }
        for (const r of output.rejectedCpeRequests)
          if (r.faultCode !== 8005)
            yield* settle(
              r.id,
              Effect.fail(
                new CpeRequestError({
                  reason: "Rejected",
                  detail: `the ACS answered fault ${r.faultCode} ${r.faultString}`,
                  faultCode: r.faultCode,
                }),
              ),
            );
        // Waiters whose request left the queue unanswered (a new ACS URL empties it).
        const queued = new Set((yield* deps.queue.get).requests.map((r) => String(r.seq)));
        for (const id of [...waiters.keys()].filter((k) => !queued.has(k)))
          yield* settle(
            id,
            Effect.fail(
              new CpeRequestError({
                reason: "Discarded",
                detail: "dropped from the queue unanswered",
              }),
            ),
          );
      });

    return {
      api: {
        kicked,
        requestDownload,
        autonomousTransferComplete,
        getRpcMethods,
        acsMethods: Ref.get(acsMethods),
      },
      answered,
    };
  });
