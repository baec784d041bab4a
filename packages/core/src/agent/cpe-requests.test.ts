import { Effect, Either, Fiber, Layer, Option, Ref } from "effect";
import { describe, expect, it } from "vitest";
import type { ObjectSchema, ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith } from "../datamodel/test-support/device-fixture.js";
import { AcsTransport, TransportError } from "../ports/acs-transport.js";
import { makeMemoryStore, Store, type StoreService } from "../ports/store.js";
import { decodeEnvelope } from "../soap/decode-envelope.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { Agent } from "./agent.js";
import {
  type AutonomousTransfer,
  type CpeRequestError,
  MAX_QUEUED_CPE_REQUESTS,
} from "./cpe-requests.js";
import { EventCode } from "./event-codes.js";
import { changeAcsUrl } from "./event-queue.js";
import { acsReply, fakeConnectionRequests } from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts } from "./test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "./test-support/test-agent-life.js";

const POLICY = "Device.ManagementServer.AutonomousTransferCompletePolicy.";
const policyParameter = (name: string, type: ParameterSchema["type"]): ParameterSchema => ({
  path: `${POLICY}${name}`,
  type,
  access: "readWrite",
});
const policyObject: ObjectSchema = {
  path: POLICY,
  access: "readOnly",
  multiInstance: false,
  minEntries: 1,
};
const schema = deviceFixtureWith(
  [
    policyParameter("Enable", "boolean"),
    policyParameter("TransferTypeFilter", "string"),
    policyParameter("ResultTypeFilter", "string"),
    policyParameter("FileTypeFilter", "string"),
  ],
  [policyObject],
);

/** What the fake ACS saw of one session: Inform events, then each CPE request's tag. */
interface SeenSession {
  readonly events: string[];
  readonly requests: CwmpMessage[];
}

/** How the fake ACS answers the n-th (0-based) time it sees a CPE request of a kind. */
type Answerer = (request: CwmpMessage, attempt: number) => CwmpMessage;

const fault = (code: number): CwmpMessage => ({
  _tag: "Fault",
  faultcode: "Server",
  faultstring: "CWMP fault",
  detail: { faultCode: code, faultString: `fault ${code}`, setParameterValuesFaults: [] },
});

const respond: Answerer = (request) => {
  switch (request._tag) {
    case "Kicked":
      return { _tag: "KickedResponse", nextUrl: "http://127.0.0.1/acs-chosen-page" };
    case "RequestDownload":
      return { _tag: "RequestDownloadResponse" };
    case "AutonomousTransferComplete":
      return { _tag: "AutonomousTransferCompleteResponse" };
    case "GetRPCMethods":
      return {
        _tag: "GetRPCMethodsResponse",
        methodList: ["Inform", "GetRPCMethods", "Kicked"],
      };
    default:
      return fault(8000);
  }
};

/** An in-memory ACS: sessions are recorded; `down` says whether it refuses connections. */
const fakeAcs = (sessions: SeenSession[], down: Ref.Ref<boolean>, answer: Answerer) => {
  const attempts = new Map<string, number>();
  return Layer.succeed(AcsTransport, {
    open: () =>
      Effect.gen(function* () {
        const refused = yield* Ref.get(down);
        const seen: SeenSession = { events: [], requests: [] };
        if (!refused) sessions.push(seen);
        return {
          url: Effect.succeed("http://127.0.0.1:7547/acs"),
          post: (body: string | null) => {
            if (refused)
              return Effect.fail(
                new TransportError({ reason: "ConnectFailed", detail: "refused" }),
              );
            if (body === null) return Effect.succeed(acsReply(undefined));
            const message = Either.getOrThrow(decodeEnvelope(body)).envelope.body;
            if (message._tag === "Inform") {
              seen.events.push(...message.event.map((e) => e.eventCode));
              return Effect.succeed(acsReply({ _tag: "InformResponse", maxEnvelopes: 1 }));
            }
            seen.requests.push(message);
            const n = attempts.get(message._tag) ?? 0;
            attempts.set(message._tag, n + 1);
            return Effect.succeed(acsReply(answer(message, n)));
          },
        };
      }),
  });
};

interface World {
  readonly sessions: SeenSession[];
  readonly down: Ref.Ref<boolean>;
  /** Fires a Connection Request (starts a session with 6 CONNECTION REQUEST). */
  readonly wake: Effect.Effect<void>;
}

/** One agent life on `store`; the boot session runs first and is settled before `body`. */
const withAgent = (
  store: StoreService,
  body: (agent: Agent, world: World) => Effect.Effect<void, unknown>,
  options: {
    readonly answer?: Answerer;
    readonly down?: boolean;
    readonly values?: Readonly<Record<string, string>>;
  } = {},
) =>
  Effect.gen(function* () {
    const cr = yield* fakeConnectionRequests("http://127.0.0.1:30005/cr");
    const world: World = {
      sessions: [],
      down: yield* Ref.make(options.down ?? false),
      wake: Effect.zipRight(cr.fire, settle),
    };
    const layer = Layer.mergeAll(
      Layer.succeed(Store, store),
      fakeAcs(world.sessions, world.down, options.answer ?? respond),
      stubDevicePorts(),
      cr.layer,
    );
    return yield* testAgentLife(
      {
        schema,
        ...(options.values === undefined ? {} : { values: options.values }),
        layer,
        options: { pollIntervalSeconds: 0, random: () => 0.5 },
        settleBefore: true,
        settleAfter: false,
      },
      (agent) => body(agent, world),
    );
  }).pipe(runInTestTime);

const tags = (s: SeenSession | undefined) => (s?.requests ?? []).map((m) => m._tag);

const kickArgs = {
  command: "reset-password",
  referer: "http://127.0.0.1/portal",
  arg: "user=alice",
  next: "http://127.0.0.1/portal/done",
};

const transfer: AutonomousTransfer = {
  transferUrl: "http://127.0.0.1/fw.bin",
  isDownload: true,
  fileType: "1 Firmware Upgrade Image",
  fileSize: 1234,
  startTime: "2026-01-02T03:04:05Z",
  completeTime: "2026-01-02T03:04:09Z",
};

const reportAll = {
  [`${POLICY}Enable`]: "true",
  [`${POLICY}TransferTypeFilter`]: "Both",
  [`${POLICY}ResultTypeFilter`]: "Both",
  [`${POLICY}FileTypeFilter`]: "1 Firmware Upgrade Image, 3 Vendor Configuration File",
};

const errorOf = (e: Either.Either<unknown, CpeRequestError>) =>
  Either.isLeft(e) ? { reason: e.left.reason, faultCode: e.left.faultCode } : "queued";

describe("agent.cpeRequests: the CPE-initiated RPCs", () => {
  it("§1.4-CPE-Kicked §1.5-5-KICKED: kicked() starts a session whose Inform carries 5 KICKED, sends Kicked with its four arguments after the Inform, and answers the ACS's NextURL", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, (agent, world) =>
      Effect.gen(function* () {
        const pending = yield* agent.cpeRequests.kicked(kickArgs);
        yield* settle;
        expect(world.sessions).toHaveLength(2);
        expect(world.sessions[1]?.events).toEqual([EventCode.Kicked]);
        expect(world.sessions[1]?.requests).toEqual([{ _tag: "Kicked", ...kickArgs }]);
        const answer = yield* pending.answer;
        expect(answer.nextUrl).toBe("http://127.0.0.1/acs-chosen-page");
        // Delivered: neither the event nor the request is sent again.
        yield* world.wake;
        expect(world.sessions[2]?.events).toEqual([EventCode.ConnectionRequest]);
        expect(tags(world.sessions[2])).toEqual([]);
        expect((yield* agent.queue.get).requests).toEqual([]);
      }),
    );
  });

  it("§1.4-CPE-RequestDownload §1.5-9-REQUEST-DOWNLOAD: requestDownload() sends FileType and FileTypeArg after an Inform with 9 REQUEST DOWNLOAD; RequestDownloadResponse acknowledges it", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, (agent, world) =>
      Effect.gen(function* () {
        const pending = yield* agent.cpeRequests.requestDownload("3 Vendor Configuration File", [
          { name: "Version", value: "7" },
        ]);
        yield* settle;
        expect(world.sessions[1]?.events).toEqual([EventCode.RequestDownload]);
        expect(world.sessions[1]?.requests).toEqual([
          {
            _tag: "RequestDownload",
            fileType: "3 Vendor Configuration File",
            fileTypeArg: [{ name: "Version", value: "7" }],
          },
        ]);
        expect(yield* pending.answer).toEqual({ _tag: "RequestDownloadResponse" });
        expect((yield* agent.queue.get).events).toEqual([]);
      }),
    );
  });

  it("§1.4-CPE-AutonomousTransferComplete §1.5-10: a transfer the policy includes is reported with every field after an Inform with 10 AUTONOMOUS TRANSFER COMPLETE", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent, world) =>
        Effect.gen(function* () {
          const pending = yield* agent.cpeRequests.autonomousTransferComplete({
            ...transfer,
            fault: { faultCode: 9010, faultString: "download failed" },
          });
          expect(Option.isSome(pending)).toBe(true);
          yield* settle;
          expect(world.sessions[1]?.events).toEqual([EventCode.AutonomousTransferComplete]);
          expect(world.sessions[1]?.requests).toEqual([
            {
              _tag: "AutonomousTransferComplete",
              announceUrl: "",
              transferUrl: "http://127.0.0.1/fw.bin",
              isDownload: true,
              fileType: "1 Firmware Upgrade Image",
              fileSize: 1234,
              targetFileName: "",
              faultStruct: { faultCode: 9010, faultString: "download failed" },
              startTime: "2026-01-02T03:04:05Z",
              completeTime: "2026-01-02T03:04:09Z",
            },
          ]);
          if (Option.isSome(pending))
            expect((yield* pending.value.answer)._tag).toBe("AutonomousTransferCompleteResponse");
        }),
      { values: reportAll },
    );
  });

  it("§1.13-Autonomous: a transfer the policy filters out is not reported (None, nothing queued, no session)", async () => {
    const cases: [string, Record<string, string>, AutonomousTransfer][] = [
      ["Enable false", { ...reportAll, [`${POLICY}Enable`]: "false" }, transfer],
      ["Upload only", { ...reportAll, [`${POLICY}TransferTypeFilter`]: "Upload" }, transfer],
      [
        "Download only",
        { ...reportAll, [`${POLICY}TransferTypeFilter`]: "Download" },
        { ...transfer, isDownload: false, fileType: "3 Vendor Configuration File" },
      ],
      ["Failure only", { ...reportAll, [`${POLICY}ResultTypeFilter`]: "Failure" }, transfer],
      ["file type not listed", reportAll, { ...transfer, fileType: "2 Web Content" }],
    ];
    for (const [why, values, t] of cases) {
      const store = Effect.runSync(makeMemoryStore());
      await withAgent(
        store,
        (agent, world) =>
          Effect.gen(function* () {
            const result = yield* agent.cpeRequests.autonomousTransferComplete(t);
            yield* settle;
            expect(Option.isNone(result), why).toBe(true);
            expect((yield* agent.queue.get).requests, why).toEqual([]);
            expect(world.sessions, why).toHaveLength(1);
          }),
        { values },
      );
    }
  });

  it("§1.4-CPE-GetRPCMethods: getRpcMethods() opens no session of its own; the next session sends it after the Inform, and the ACS's MethodList is kept over a restart", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, (agent, world) =>
      Effect.gen(function* () {
        expect(yield* agent.cpeRequests.acsMethods).toEqual(Option.none());
        const pending = yield* agent.cpeRequests.getRpcMethods();
        yield* settle;
        expect(world.sessions).toHaveLength(1);
        yield* world.wake;
        expect(world.sessions[1]?.events).toEqual([EventCode.ConnectionRequest]);
        expect(tags(world.sessions[1])).toEqual(["GetRPCMethods"]);
        expect((yield* pending.answer).methodList).toEqual(["Inform", "GetRPCMethods", "Kicked"]);
        expect(yield* agent.cpeRequests.acsMethods).toEqual(
          Option.some(["Inform", "GetRPCMethods", "Kicked"]),
        );
      }),
    );
    await withAgent(store, (agent, world) =>
      Effect.gen(function* () {
        expect(tags(world.sessions[0])).toEqual([]);
        expect(yield* agent.cpeRequests.acsMethods).toEqual(
          Option.some(["Inform", "GetRPCMethods", "Kicked"]),
        );
      }),
    );
  });

  it("§1.5 queued while the ACS is down, the requests survive a restart and go, in the order made, after the boot Inform carrying 5, 9 and 10", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent, world) =>
        Effect.gen(function* () {
          yield* agent.cpeRequests.kicked(kickArgs);
          yield* agent.cpeRequests.requestDownload("1 Firmware Upgrade Image");
          yield* agent.cpeRequests.autonomousTransferComplete(transfer);
          yield* agent.cpeRequests.getRpcMethods();
          yield* settle;
          expect(world.sessions).toEqual([]);
        }),
      { down: true, values: reportAll },
    );
    await withAgent(store, (_agent, world) =>
      Effect.gen(function* () {
        // 0 BOOTSTRAP too: the first life never reached the ACS.
        expect(world.sessions[0]?.events).toEqual([
          EventCode.Bootstrap,
          EventCode.Boot,
          EventCode.Kicked,
          EventCode.RequestDownload,
          EventCode.AutonomousTransferComplete,
        ]);
        expect(tags(world.sessions[0])).toEqual([
          "Kicked",
          "RequestDownload",
          "AutonomousTransferComplete",
          "GetRPCMethods",
        ]);
        yield* world.wake;
        expect(world.sessions[1]?.events).toEqual([EventCode.ConnectionRequest]);
        expect(tags(world.sessions[1])).toEqual([]);
      }),
    );
  });

  it("H11: fault 8005 resends the request in the same session; the response then acknowledges it", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const answer: Answerer = (r, n) => (n < 2 ? fault(8005) : respond(r, n));
    await withAgent(
      store,
      (agent, world) =>
        Effect.gen(function* () {
          const pending = yield* agent.cpeRequests.requestDownload("2 Web Content");
          yield* settle;
          expect(tags(world.sessions[1])).toEqual([
            "RequestDownload",
            "RequestDownload",
            "RequestDownload",
          ]);
          expect((yield* pending.answer)._tag).toBe("RequestDownloadResponse");
          expect((yield* agent.queue.get).requests).toEqual([]);
        }),
      { answer },
    );
  });

  it("H11: an ACS that keeps answering 8005 leaves the request queued for a later session, with its event, and no session loop", async () => {
    const store = Effect.runSync(makeMemoryStore());
    let refuse = true;
    const answer: Answerer = (r, n) => (refuse ? fault(8005) : respond(r, n));
    await withAgent(
      store,
      (agent, world) =>
        Effect.gen(function* () {
          const pending = yield* agent.cpeRequests.kicked(kickArgs);
          const waiting = yield* Effect.fork(pending.answer);
          yield* settle;
          // One session (1 + 10 resends), then none at once.
          expect(world.sessions).toHaveLength(2);
          expect(tags(world.sessions[1])).toEqual(Array(11).fill("Kicked"));
          const q = yield* agent.queue.get;
          expect(q.requests.map((r) => r.message._tag)).toEqual(["Kicked"]);
          expect(q.events.map((e) => e.eventCode)).toEqual([EventCode.Kicked]);
          expect(waiting.unsafePoll()).toBeNull();
          refuse = false;
          yield* world.wake;
          expect(world.sessions[2]?.events).toEqual([
            EventCode.Kicked,
            EventCode.ConnectionRequest,
          ]);
          expect((yield* Fiber.join(waiting)).nextUrl).toBe("http://127.0.0.1/acs-chosen-page");
        }),
      { answer },
    );
  });

  it("§1.14 ACS faults 8000-8004 drop the request and its event; the caller's answer fails with the fault code", async () => {
    for (const code of [8000, 8001, 8002, 8003, 8004]) {
      const store = Effect.runSync(makeMemoryStore());
      await withAgent(
        store,
        (agent) =>
          Effect.gen(function* () {
            const pending = yield* agent.cpeRequests.requestDownload("1 Firmware Upgrade Image");
            yield* settle;
            expect(errorOf(yield* Effect.either(pending.answer))).toEqual({
              reason: "Rejected",
              faultCode: code,
            });
            const q = yield* agent.queue.get;
            expect(q.requests).toEqual([]);
            expect(q.events).toEqual([]);
          }),
        { answer: () => fault(code) },
      );
    }
  });

  it("arguments beyond the XSD limits are refused (InvalidArguments) and nothing is queued; values at the limits are accepted", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent) =>
        Effect.gen(function* () {
          const api = agent.cpeRequests;
          const x = (n: number) => "x".repeat(n);
          const refused: Effect.Effect<unknown, CpeRequestError>[] = [
            api.kicked({ ...kickArgs, command: x(33) }),
            api.kicked({ ...kickArgs, referer: x(65) }),
            api.kicked({ ...kickArgs, arg: x(257) }),
            api.kicked({ ...kickArgs, next: x(1025) }),
            api.requestDownload(""),
            api.requestDownload(x(65)),
            api.requestDownload(
              "2 Web Content",
              Array.from({ length: 17 }, (_, i) => ({ name: `n${i}`, value: "v" })),
            ),
            api.requestDownload("2 Web Content", [{ name: x(65), value: "" }]),
            api.requestDownload("2 Web Content", [{ name: "n", value: x(257) }]),
            api.autonomousTransferComplete({ ...transfer, transferUrl: x(1025) }),
            api.autonomousTransferComplete({ ...transfer, announceUrl: x(1025) }),
            api.autonomousTransferComplete({ ...transfer, fileType: "" }),
            api.autonomousTransferComplete({ ...transfer, targetFileName: x(257) }),
            api.autonomousTransferComplete({ ...transfer, fileSize: -1 }),
            api.autonomousTransferComplete({ ...transfer, fileSize: 1.5 }),
            api.autonomousTransferComplete({ ...transfer, startTime: "yesterday" }),
            api.autonomousTransferComplete({ ...transfer, completeTime: "2026-13-45T00:00:00Z" }),
            api.autonomousTransferComplete({
              ...transfer,
              fault: { faultCode: 9013, faultString: "" },
            }),
            api.autonomousTransferComplete({
              ...transfer,
              fault: { faultCode: 9010, faultString: x(257) },
            }),
          ];
          for (const [i, call] of refused.entries())
            expect(errorOf(yield* Effect.either(call)), `call #${i}`).toEqual({
              reason: "InvalidArguments",
              faultCode: undefined,
            });
          expect((yield* agent.queue.get).requests).toEqual([]);
          const atLimits: Effect.Effect<unknown, CpeRequestError>[] = [
            api.kicked({ command: x(32), referer: x(64), arg: x(256), next: x(1024) }),
            api.requestDownload(
              x(64),
              Array.from({ length: 16 }, () => ({ name: x(64), value: x(256) })),
            ),
            api.autonomousTransferComplete({
              ...transfer,
              transferUrl: x(1024),
              announceUrl: x(1024),
              targetFileName: x(256),
              fileSize: 0,
              fault: { faultCode: 9020, faultString: x(256) },
            }),
          ];
          for (const call of atLimits) expect(errorOf(yield* Effect.either(call))).toBe("queued");
          expect((yield* agent.queue.get).requests).toHaveLength(3);
        }),
      { down: true, values: reportAll },
    );
  });

  it("§1.5 a new ACS URL empties the queue: the waiting caller's answer fails with Discarded, and nothing is sent", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent, world) =>
        Effect.gen(function* () {
          const pending = yield* agent.cpeRequests.requestDownload("2 Web Content");
          yield* agent.queue.update((s) => changeAcsUrl(s, "http://127.0.0.1:7548/other"));
          yield* Ref.set(world.down, false);
          yield* world.wake;
          expect(world.sessions[0]?.events).toContain(EventCode.Bootstrap);
          expect(tags(world.sessions[0])).toEqual([]);
          expect(errorOf(yield* Effect.either(pending.answer))).toEqual({
            reason: "Discarded",
            faultCode: undefined,
          });
        }),
      { down: true },
    );
  });

  it("a refused argument is named with its length and limit; an AutonomousTransferComplete without optional fields is queued with their defaults", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent) =>
        Effect.gen(function* () {
          const api = agent.cpeRequests;
          const detail = (e: Either.Either<unknown, CpeRequestError>) =>
            Either.isLeft(e) ? e.left.message : "queued";
          expect(
            detail(yield* Effect.either(api.kicked({ ...kickArgs, command: "c".repeat(33) }))),
          ).toBe("CPE request InvalidArguments: Command is 33 characters, at most 32 allowed");
          expect(detail(yield* Effect.either(api.requestDownload("")))).toBe(
            "CPE request InvalidArguments: FileType is 0 characters, 1 to 64 allowed",
          );
          expect(
            detail(
              yield* Effect.either(
                api.requestDownload(
                  "2 Web Content",
                  Array.from({ length: 17 }, () => ({ name: "n", value: "v" })),
                ),
              ),
            ),
          ).toBe("CPE request InvalidArguments: 17 FileTypeArg entries, at most 16");
          expect(
            detail(
              yield* Effect.either(
                api.autonomousTransferComplete({
                  ...transfer,
                  fault: { faultCode: 8000, faultString: "" },
                }),
              ),
            ),
          ).toBe("CPE request InvalidArguments: FaultCode 8000 is not a transfer fault code");
          expect(
            detail(
              yield* Effect.either(
                api.autonomousTransferComplete({ ...transfer, startTime: "soon" }),
              ),
            ),
          ).toBe('CPE request InvalidArguments: StartTime "soon" is not an xs:dateTime');
          yield* api.autonomousTransferComplete({
            transferUrl: "http://127.0.0.1/cfg",
            isDownload: false,
            fileType: "3 Vendor Configuration File",
            fileSize: 10,
          });
          expect((yield* agent.queue.get).requests.map((r) => r.message)).toEqual([
            {
              _tag: "AutonomousTransferComplete",
              announceUrl: "",
              transferUrl: "http://127.0.0.1/cfg",
              isDownload: false,
              fileType: "3 Vendor Configuration File",
              fileSize: 10,
              targetFileName: "",
              faultStruct: { faultCode: 0, faultString: "" },
              startTime: "0001-01-01T00:00:00Z",
              completeTime: "0001-01-01T00:00:00Z",
            },
          ]);
        }),
      { down: true, values: reportAll },
    );
  });

  it(`at most ${MAX_QUEUED_CPE_REQUESTS} application requests wait; one more is refused with QueueFull`, async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      (agent) =>
        Effect.gen(function* () {
          for (let i = 0; i < MAX_QUEUED_CPE_REQUESTS; i++)
            yield* agent.cpeRequests.getRpcMethods();
          expect(errorOf(yield* Effect.either(agent.cpeRequests.getRpcMethods()))).toEqual({
            reason: "QueueFull",
            faultCode: undefined,
          });
          expect((yield* agent.queue.get).requests).toHaveLength(MAX_QUEUED_CPE_REQUESTS);
        }),
      { down: true },
    );
  });
});
