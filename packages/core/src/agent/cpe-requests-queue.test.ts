import { Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import { valuesReader } from "../datamodel/test-support/values-reader.js";
import { makeMemoryStore, StoreError } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import {
  ACS_METHODS_SECTION,
  type CpeRequestError,
  type CpeRequestsService,
  MAX_QUEUED_CPE_REQUESTS,
  makeCpeRequests,
} from "./cpe-requests.js";
import { addCpeRequest, type EventQueueState, emptyEventQueue } from "./event-queue.js";
import type { PersistentEventQueue } from "./event-queue-store.js";
import { makeSectionStore, type SectionStore } from "./section-store.js";
import { sessionOutput as output } from "./test-support/session-output.js";

// makeCpeRequests on its own, over an in-memory queue whose save can be made to fail: the
// queue's limits and the answers' routing, each shown on the one input that tells them apart.

interface Harness {
  readonly service: CpeRequestsService;
  readonly queue: { state: EventQueueState; failSave: boolean };
  readonly sessions: { count: number };
  readonly store: SectionStore;
}

const harness = (
  options: { readonly values?: Record<string, string>; readonly store?: SectionStore } = {},
) =>
  Effect.gen(function* () {
    const store = options.store ?? (yield* makeSectionStore(yield* makeMemoryStore()));
    const queue = { state: emptyEventQueue("http://127.0.0.1:7547/acs"), failSave: false };
    const persistent: PersistentEventQueue = {
      get: Effect.sync(() => queue.state),
      update: (f) =>
        Effect.suspend(() => {
          const next = f(queue.state);
          if (queue.failSave)
            return Effect.fail(
              new StoreError({ reason: "WriteFailed", path: "mem", detail: "disk full" }),
            );
          queue.state = next;
          return Effect.succeed(next);
        }),
    };
    const sessions = { count: 0 };
    const service = yield* makeCpeRequests({
      queue: persistent,
      store,
      dataModel: valuesReader(options.values ?? {}),
      managementServerPrefix: "Device.ManagementServer.",
      requestSession: Effect.sync(() => {
        sessions.count++;
      }),
    });
    return { service, queue, sessions, store } satisfies Harness;
  });

const run = <A>(body: Effect.Effect<A, unknown>) => Effect.runPromise(body as Effect.Effect<A>);

const reasonOf = (e: Either.Either<unknown, CpeRequestError>) =>
  Either.isLeft(e) ? e.left.reason : "queued";

const transfer = {
  transferUrl: "http://127.0.0.1/fw.bin",
  isDownload: true,
  fileType: "1 Firmware Upgrade Image",
  fileSize: 1,
};

describe("cpe-requests: the queue's limits", () => {
  it(`§1.5 each application kind (Kicked, RequestDownload, AutonomousTransferComplete, GetRPCMethods) counts toward the ${MAX_QUEUED_CPE_REQUESTS}; a TransferComplete does not`, async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        // A TransferComplete of the transfer manager: not an application request.
        h.queue.state = addCpeRequest(
          h.queue.state,
          {
            _tag: "TransferComplete",
            commandKey: "k",
            faultStruct: { faultCode: 0, faultString: "" },
            startTime: "0001-01-01T00:00:00Z",
            completeTime: "0001-01-01T00:00:00Z",
          } as CwmpMessage & { _tag: "TransferComplete" },
          [],
        );
        const api = h.service.api;
        const quarter = MAX_QUEUED_CPE_REQUESTS / 4;
        for (let i = 0; i < quarter; i++) {
          yield* api.kicked({ command: "c", referer: "", arg: "", next: "" });
          yield* api.requestDownload("2 Web Content");
          yield* api.autonomousTransferComplete(transfer);
          yield* api.getRpcMethods();
        }
        expect(h.queue.state.requests).toHaveLength(MAX_QUEUED_CPE_REQUESTS + 1);
        const more: Effect.Effect<unknown, CpeRequestError>[] = [
          api.kicked({ command: "c", referer: "", arg: "", next: "" }),
          api.requestDownload("2 Web Content"),
          api.autonomousTransferComplete(transfer),
          api.getRpcMethods(),
        ];
        for (const call of more) expect(reasonOf(yield* Effect.either(call))).toBe("QueueFull");
        expect(h.queue.state.requests).toHaveLength(MAX_QUEUED_CPE_REQUESTS + 1);
      }),
    );
  });

  it(`§1.5 one kind alone fills the queue: the ${MAX_QUEUED_CPE_REQUESTS}th Kicked is queued, the next refused with its limit named`, async () => {
    const makers: ((h: Harness) => Effect.Effect<unknown, CpeRequestError>)[] = [
      (h) => h.service.api.kicked({ command: "c", referer: "", arg: "", next: "" }),
      (h) => h.service.api.requestDownload("2 Web Content"),
      (h) => Effect.map(h.service.api.autonomousTransferComplete(transfer), Option.getOrThrow),
    ];
    for (const make of makers)
      await run(
        Effect.gen(function* () {
          const h = yield* harness();
          for (let i = 0; i < MAX_QUEUED_CPE_REQUESTS; i++) yield* make(h);
          const refused = yield* Effect.either(make(h));
          expect(Either.isLeft(refused) && refused.left.message).toBe(
            `CPE request QueueFull: ${MAX_QUEUED_CPE_REQUESTS} CPE requests are already waiting`,
          );
        }),
      );
  });

  it("a request whose save fails is refused with StoreFailed and the store's error, queues nothing and starts no session", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        h.queue.failSave = true;
        const failed = yield* Effect.either(h.service.api.requestDownload("2 Web Content"));
        expect(Either.isLeft(failed) && [failed.left.reason, failed.left.detail]).toEqual([
          "StoreFailed",
          failed._tag === "Left" ? (failed.left.cause as StoreError).message : "",
        ]);
        expect(Either.isLeft(failed) && (failed.left.cause as StoreError).detail).toBe("disk full");
        expect(h.queue.state.requests).toEqual([]);
        expect(h.sessions.count).toBe(0);
        h.queue.failSave = false;
        const pending = yield* h.service.api.requestDownload("2 Web Content");
        expect(pending.seq).toBe(1);
        expect(h.sessions.count).toBe(1);
      }),
    );
  });
});

describe("cpe-requests: answers reach their callers", () => {
  it("§1.4-CPE-GetRPCMethods a stored MethodList that does not decode is forgotten; one that does is read back", async () => {
    await run(
      Effect.gen(function* () {
        const store = yield* makeSectionStore(yield* makeMemoryStore());
        yield* store.write({ [ACS_METHODS_SECTION]: [1, 2] });
        expect(yield* (yield* harness({ store })).service.api.acsMethods).toEqual(Option.none());
        yield* store.write({ [ACS_METHODS_SECTION]: ["Inform"] });
        expect(yield* (yield* harness({ store })).service.api.acsMethods).toEqual(
          Option.some(["Inform"]),
        );
      }),
    );
  });

  it("§1.14 a delivered id without a response, an 8005 and an id nobody waits for settle nothing; a response settles its own caller only", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const first = yield* h.service.api.getRpcMethods();
        const second = yield* h.service.api.requestDownload("2 Web Content");
        const answers = yield* Effect.either(
          h.service.answered(
            output({
              deliveredCpeRequests: [String(first.seq), "99"],
              cpeResponses: { "99": { _tag: "RequestDownloadResponse" } },
              rejectedCpeRequests: [
                { id: String(second.seq), faultCode: 8005, faultString: "retry" },
                { id: "98", faultCode: 8001, faultString: "no" },
              ],
            }),
          ),
        );
        expect(Either.isRight(answers)).toBe(true);
        expect(
          Option.isNone(yield* Effect.either(first.answer).pipe(Effect.timeoutOption(0))),
        ).toBe(true);
        yield* h.service.answered(
          output({
            deliveredCpeRequests: [String(second.seq)],
            cpeResponses: { [String(second.seq)]: { _tag: "RequestDownloadResponse" } },
          }),
        );
        expect(yield* second.answer).toEqual({ _tag: "RequestDownloadResponse" });
        expect(yield* h.service.api.acsMethods).toEqual(Option.none());
      }),
    );
  });

  it("§1.14 an ACS fault other than 8005 fails the caller with Rejected, its code and string", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const pending = yield* h.service.api.kicked({
          command: "c",
          referer: "",
          arg: "",
          next: "",
        });
        yield* h.service.answered(
          output({
            rejectedCpeRequests: [{ id: String(pending.seq), faultCode: 8003, faultString: "bad" }],
          }),
        );
        const e = yield* Effect.flip(pending.answer);
        expect([e.reason, e.faultCode, e.message]).toEqual([
          "Rejected",
          8003,
          "CPE request Rejected: the ACS answered fault 8003 bad",
        ]);
      }),
    );
  });

  it("§1.4-CPE-GetRPCMethods the MethodList answer is kept in memory and saved; a waiter whose request left the queue is Discarded", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const methods = yield* h.service.api.getRpcMethods();
        const dropped = yield* h.service.api.requestDownload("2 Web Content");
        // The request leaves the queue unanswered (as a new ACS URL empties it).
        h.queue.state = {
          ...h.queue.state,
          requests: h.queue.state.requests.filter((r) => r.seq !== dropped.seq),
        };
        const response: CwmpMessage = {
          _tag: "GetRPCMethodsResponse",
          methodList: ["Inform", "Kicked"],
        };
        yield* h.service.answered(
          output({
            deliveredCpeRequests: [String(methods.seq)],
            cpeResponses: { [String(methods.seq)]: response },
          }),
        );
        expect(yield* methods.answer).toEqual(response);
        expect(yield* h.service.api.acsMethods).toEqual(Option.some(["Inform", "Kicked"]));
        // The section name is the stored format: a renamed section would lose it over an upgrade.
        expect(yield* h.store.read("acsMethods")).toEqual(Option.some(["Inform", "Kicked"]));
        const e = yield* Effect.flip(dropped.answer);
        expect([e.reason, e.detail]).toEqual(["Discarded", "dropped from the queue unanswered"]);
      }),
    );
  });
});

describe("cpe-requests: each refusal names its field", () => {
  it("§1.4 a refused argument is named with its length and limit, one message per field (InvalidArguments)", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        const api = h.service.api;
        const x = (n: number) => "x".repeat(n);
        const kick = { command: "c", referer: "", arg: "", next: "" };
        const message = (e: Either.Either<unknown, CpeRequestError>) =>
          Either.isLeft(e) ? [e.left._tag, e.left.reason, e.left.detail] : "queued";
        const cases: [Effect.Effect<unknown, CpeRequestError>, string][] = [
          [api.kicked({ ...kick, referer: x(65) }), "Referer is 65 characters, at most 64 allowed"],
          [api.kicked({ ...kick, arg: x(257) }), "Arg is 257 characters, at most 256 allowed"],
          [api.kicked({ ...kick, next: x(1025) }), "Next is 1025 characters, at most 1024 allowed"],
          [
            api.requestDownload("2 Web Content", [{ name: x(65), value: "" }]),
            "FileTypeArg Name is 65 characters, at most 64 allowed",
          ],
          [
            api.requestDownload("2 Web Content", [{ name: "n", value: x(257) }]),
            "FileTypeArg Value is 257 characters, at most 256 allowed",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, announceUrl: x(1025) }),
            "AnnounceURL is 1025 characters, at most 1024 allowed",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, transferUrl: x(1025) }),
            "TransferURL is 1025 characters, at most 1024 allowed",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, fileType: x(65) }),
            "FileType is 65 characters, 1 to 64 allowed",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, targetFileName: x(257) }),
            "TargetFileName is 257 characters, at most 256 allowed",
          ],
          [
            api.autonomousTransferComplete({
              ...transfer,
              fault: { faultCode: 9010, faultString: x(257) },
            }),
            "FaultString is 257 characters, at most 256 allowed",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, fileSize: 2.5 }),
            "FileSize 2.5 is not an unsignedInt",
          ],
          [
            api.autonomousTransferComplete({ ...transfer, completeTime: "later" }),
            'CompleteTime "later" is not an xs:dateTime',
          ],
        ];
        for (const [call, detail] of cases)
          expect(message(yield* Effect.either(call)), detail).toEqual([
            "CpeRequestError",
            "InvalidArguments",
            detail,
          ]);
        expect(h.queue.state.requests).toEqual([]);
      }),
    );
  });

  it("§1.4-CPE-GetRPCMethods getRpcMethods() asks for no session; the requests with an event each ask for one", async () => {
    await run(
      Effect.gen(function* () {
        const h = yield* harness();
        yield* h.service.api.getRpcMethods();
        expect(h.sessions.count).toBe(0);
        yield* h.service.api.kicked({ command: "c", referer: "", arg: "", next: "" });
        yield* h.service.api.autonomousTransferComplete(transfer);
        expect(h.sessions.count).toBe(2);
      }),
    );
  });
});
