import { Effect, Either, Layer, Option, Ref, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import type { EventStruct } from "../cwmp/structs.js";
import { deviceFixture } from "../datamodel/test-support/device-fixture.js";
import { AcsTransport, TransportError } from "../ports/acs-transport.js";
import { DeviceActionError, DeviceActions } from "../ports/device-actions.js";
import { FileTransfer } from "../ports/file-transfer.js";
import { makeMemoryStore, Store, type StoreDocument, type StoreService } from "../ports/store.js";
import { decodeEnvelope } from "../soap/decode-envelope.js";
import { encodeEnvelope } from "../soap/encode-envelope.js";
import type { CwmpMessage } from "../soap/messages.js";
import { type Agent, makeAgent } from "./agent.js";
import { EventCode } from "./event-codes.js";
import { settle } from "./test-support/settle.js";

const ACS_URL = "http://127.0.0.1:7547/acs";

/** What the fake ACS saw. */
interface AcsLog {
  readonly informs: EventStruct[][];
  readonly retryCounts: number[];
  readonly cpeRequests: CwmpMessage[];
}

/**
 * An in-memory ACS: answers Inform and CPE requests, and after the empty POST sends the next
 * scripted request of the session (one script per session, in order). `down` sessions fail to connect.
 */
/** Extra behaviour of the fake ACS. */
interface AcsOptions {
  /** Sees every message answered from the session's script (after the Inform). */
  readonly onMessage?: (message: CwmpMessage) => Effect.Effect<void>;
  /** Sessions (0-based, connected ones) whose InformResponse carries HoldRequests=true. */
  readonly holdInSessions?: ReadonlySet<number>;
}

const fakeAcs = (
  log: AcsLog,
  scripts: CwmpMessage[][],
  down: Ref.Ref<number>,
  { onMessage = () => Effect.void, holdInSessions = new Set() }: AcsOptions = {},
) => {
  let session = -1;
  return Layer.succeed(AcsTransport, {
    open: () =>
      Effect.gen(function* () {
        const failing = (yield* Ref.get(down)) > 0;
        if (failing) yield* Ref.update(down, (n) => n - 1);
        else session++;
        const script = [...(scripts[session] ?? [])];
        const hold = holdInSessions.has(session);
        const answer = (body: CwmpMessage | undefined) => ({
          status: body === undefined ? 204 : 200,
          headers: {},
          body:
            body === undefined
              ? ""
              : encodeEnvelope({
                  header: { id: "acs-1", ...(hold ? { holdRequests: true } : {}) },
                  body,
                  version: "1.4",
                }),
        });
        return {
          url: Effect.succeed(ACS_URL),
          post: (body: string | null) => {
            if (failing)
              return Effect.fail(
                new TransportError({ reason: "ConnectFailed", detail: "refused" }),
              );
            if (body === null) return Effect.succeed(answer(script.shift()));
            const message = Either.getOrThrow(decodeEnvelope(body)).envelope.body;
            if (message._tag === "Inform") {
              log.informs.push([...message.event]);
              log.retryCounts.push(message.retryCount);
              return Effect.succeed(answer({ _tag: "InformResponse", maxEnvelopes: 1 }));
            }
            if (message._tag === "TransferComplete") {
              log.cpeRequests.push(message);
              return Effect.succeed(answer({ _tag: "TransferCompleteResponse" }));
            }
            return Effect.as(onMessage(message), answer(script.shift()));
          },
        };
      }),
  });
};

interface World {
  readonly log: AcsLog;
  readonly reboots: Ref.Ref<number>;
  readonly applied: Ref.Ref<string[]>;
  readonly down: Ref.Ref<number>;
}

const codes = (events: readonly EventStruct[] | undefined) =>
  (events ?? []).map((e) => (e.commandKey === "" ? e.eventCode : `${e.eventCode}|${e.commandKey}`));

const withAgent = <A>(
  store: StoreService,
  scripts: CwmpMessage[][],
  body: (agent: Agent, world: World) => Effect.Effect<A, unknown>,
  downSessions = 0,
  rebootFails = false,
  acsOptions?: AcsOptions,
) =>
  Effect.gen(function* () {
    const world: World = {
      log: { informs: [], retryCounts: [], cpeRequests: [] },
      reboots: yield* Ref.make(0),
      applied: yield* Ref.make<string[]>([]),
      down: yield* Ref.make(downSessions),
    };
    const layer = Layer.mergeAll(
      Layer.succeed(Store, store),
      fakeAcs(world.log, scripts, world.down, acsOptions),
      Layer.succeed(DeviceActions, {
        reboot: rebootFails
          ? Effect.fail(
              new DeviceActionError({ reason: "Rejected", faultCode: 9001, detail: "busy" }),
            )
          : Ref.update(world.reboots, (n) => n + 1),
        factoryReset: Effect.void,
        applyFirmware: (f) => Ref.update(world.applied, (a) => [...a, f.fileType]),
        applyConfig: (f) => Ref.update(world.applied, (a) => [...a, f.fileType]),
      }),
      Layer.succeed(FileTransfer, {
        download: () =>
          Effect.succeed({ bytes: new Uint8Array([1]), startTime: 0, completeTime: 0 }),
        upload: () => Effect.succeed({ status: 200, startTime: 0, completeTime: 0 }),
      }),
    );
    return yield* Effect.scoped(
      Effect.flatMap(
        makeAgent({
          deviceId: {
            manufacturer: "cpekit",
            oui: "A1B2C3",
            productClass: "Sim",
            serialNumber: "1",
          },
          acs: { url: ACS_URL },
          dataModel: { schema: deviceFixture },
          random: () => 0.5,
        }),
        (agent) => body(agent, world),
      ),
    ).pipe(Effect.provide(layer));
  }).pipe(Effect.orDie, Effect.provide(TestContext.TestContext), Effect.runPromise);

const download = (commandKey: string): CwmpMessage => ({
  _tag: "Download",
  commandKey,
  fileType: "1 Firmware Upgrade Image",
  url: "http://127.0.0.1:1/fw.bin",
  username: "",
  password: "",
  fileSize: 0,
  targetFileName: "",
  delaySeconds: 0,
  successUrl: "",
  failureUrl: "",
});

describe("makeAgent", () => {
  it("§1.5 first start informs 0 BOOTSTRAP + 1 BOOT; a Reboot is done after the session and the restart informs 1 BOOT + M Reboot with its CommandKey", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, [[{ _tag: "Reboot", commandKey: "rb-42" }]], (agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(codes(world.log.informs[0])).toEqual([EventCode.Bootstrap, EventCode.Boot]);
        expect(yield* agent.stopped).toBe("reboot");
        expect(yield* Ref.get(world.reboots)).toBe(1);
      }),
    );
    await withAgent(store, [[]], (_agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(codes(world.log.informs[0])).toEqual([EventCode.Boot, `${EventCode.MReboot}|rb-42`]);
      }),
    );
    await withAgent(store, [[]], (_agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(codes(world.log.informs[0])).toEqual([EventCode.Boot]);
      }),
    );
  });

  it("§1.5 M Reboot CommandKey persisted across reboot: a crash right after RebootResponse still informs 1 BOOT + M Reboot", async () => {
    const store = Effect.runSync(makeMemoryStore());
    // The store's content at the instant the ACS receives RebootResponse: what a crash keeps.
    let atCrash: Option.Option<StoreDocument> = Option.none();
    await withAgent(
      store,
      [[{ _tag: "Reboot", commandKey: "rb-crash" }]],
      (agent) =>
        Effect.gen(function* () {
          yield* settle;
          expect(yield* agent.stopped).toBe("reboot");
        }),
      0,
      false,
      {
        onMessage: (message) =>
          message._tag === "RebootResponse"
            ? Effect.map(store.snapshot, (doc) => {
                atCrash = doc;
              })
            : Effect.void,
      },
    );
    const crashed = Effect.runSync(makeMemoryStore(Option.getOrThrow(atCrash)));
    await withAgent(crashed, [[]], (_agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        // 0 BOOTSTRAP too: the crash came before the session's outcome (its delivery) was saved.
        expect(codes(world.log.informs[0])).toEqual([
          EventCode.Bootstrap,
          EventCode.Boot,
          `${EventCode.MReboot}|rb-crash`,
        ]);
      }),
    );
  });

  it("§1.5 M Reboot is a multiple event: two Reboots in one session inform one M Reboot per CommandKey after the restart", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      [
        [
          { _tag: "Reboot", commandKey: "rb-a" },
          { _tag: "Reboot", commandKey: "rb-b" },
        ],
      ],
      (agent, world) =>
        Effect.gen(function* () {
          yield* settle;
          expect(yield* agent.stopped).toBe("reboot");
          expect(yield* Ref.get(world.reboots)).toBe(1);
        }),
    );
    await withAgent(store, [[]], (_agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(codes(world.log.informs[0])).toEqual([
          EventCode.Boot,
          `${EventCode.MReboot}|rb-a`,
          `${EventCode.MReboot}|rb-b`,
        ]);
      }),
    );
  });

  it("§1.5 a reboot the device refuses leaves no M Reboot behind and the agent carries on", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      [[{ _tag: "Reboot", commandKey: "rb-1" }]],
      (agent) =>
        Effect.gen(function* () {
          yield* settle;
          expect(agent.actor.getSnapshot().value).toBe("idle");
          expect((yield* agent.queue.get).rebootCommandKeys).toEqual([]);
        }),
      0,
      true,
    );
  });

  it("§1.5 a FactoryReset forgets the stored state: the next start informs 0 BOOTSTRAP again", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, [[{ _tag: "FactoryReset" }]], (agent) =>
      Effect.gen(function* () {
        yield* settle;
        expect(yield* agent.stopped).toBe("factoryReset");
      }),
    );
    await withAgent(store, [[]], (_agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(codes(world.log.informs[0])).toEqual([EventCode.Bootstrap, EventCode.Boot]);
      }),
    );
  });

  it("§1.13 a Download is answered, done after the session, and reported in a new session with 7 TRANSFER COMPLETE + M Download and a TransferComplete", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(store, [[download("fw-9")]], (agent, world) =>
      Effect.gen(function* () {
        yield* settle;
        expect(yield* Ref.get(world.applied)).toEqual(["1 Firmware Upgrade Image"]);
        expect(codes(world.log.informs[1])).toEqual([
          EventCode.TransferComplete,
          `${EventCode.MDownload}|fw-9`,
        ]);
        expect(world.log.cpeRequests).toMatchObject([
          { _tag: "TransferComplete", commandKey: "fw-9", faultStruct: { faultCode: 0 } },
        ]);
        const q = yield* agent.queue.get;
        expect(q.events).toEqual([]);
        expect(q.requests).toEqual([]);
        expect(agent.actor.getSnapshot().value).toBe("idle");
      }),
    );
  });

  it("V5 H3: a TransferComplete the ACS holds is not sent after its empty answer; it stays queued (no new session at once) and goes with the next trigger", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      [[download("fw-h")], [], []],
      (agent, world) =>
        Effect.gen(function* () {
          yield* settle;
          // Session 1 (after the transfer) was held: no TransferComplete, agent idle.
          expect(codes(world.log.informs[1])).toEqual([
            EventCode.TransferComplete,
            `${EventCode.MDownload}|fw-h`,
          ]);
          expect(world.log.cpeRequests).toEqual([]);
          expect(world.log.informs).toHaveLength(2);
          expect(agent.actor.getSnapshot().value).toBe("idle");
          const held = yield* agent.queue.get;
          expect(held.requests).toHaveLength(1);
          expect(codes(held.events)).toEqual([
            EventCode.TransferComplete,
            `${EventCode.MDownload}|fw-h`,
          ]);
          // The next trigger carries it.
          yield* agent.connectionRequest;
          yield* settle;
          expect(codes(world.log.informs[2])).toEqual([
            EventCode.ConnectionRequest,
            EventCode.TransferComplete,
            `${EventCode.MDownload}|fw-h`,
          ]);
          expect(world.log.cpeRequests).toMatchObject([
            { _tag: "TransferComplete", commandKey: "fw-h" },
          ]);
          const q = yield* agent.queue.get;
          expect(q.requests).toEqual([]);
          expect(q.events).toEqual([]);
        }),
      0,
      false,
      { holdInSessions: new Set([1]) },
    );
  });

  it("§1.5 an ACS URL set by the ACS drops the queue and informs the new ACS with 0 BOOTSTRAP", async () => {
    const store = Effect.runSync(makeMemoryStore());
    const newUrl = "http://127.0.0.1:7548/acs";
    await withAgent(
      store,
      [
        [
          {
            _tag: "SetParameterValues",
            parameterList: [{ name: "Device.ManagementServer.URL", value: newUrl, type: "string" }],
            parameterKey: "k1",
          },
        ],
      ],
      (agent, world) =>
        Effect.gen(function* () {
          yield* settle;
          expect(codes(world.log.informs[1])).toEqual([EventCode.Bootstrap]);
          expect((yield* agent.queue.get).acsUrl).toBe(newUrl);
        }),
    );
  });

  it("§1.5 ScheduleInform: after DelaySeconds the agent informs 3 SCHEDULED + M ScheduleInform with the CommandKey (virtual time)", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      [[{ _tag: "ScheduleInform", delaySeconds: 30, commandKey: "si-1" }], []],
      (agent, world) =>
        Effect.gen(function* () {
          yield* settle;
          expect((yield* agent.queue.get).scheduledInforms).toMatchObject([{ commandKey: "si-1" }]);
          yield* TestClock.adjust("29 seconds");
          yield* settle;
          expect(world.log.informs).toHaveLength(1);
          yield* TestClock.adjust("1 second");
          yield* settle;
          expect(codes(world.log.informs[1])).toEqual([
            EventCode.Scheduled,
            `${EventCode.MScheduleInform}|si-1`,
          ]);
          expect((yield* agent.queue.get).events).toEqual([]);
        }),
    );
  });

  it("§1.6 a session that cannot connect is retried after 5-10 s with RetryCount 1 (virtual time)", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await withAgent(
      store,
      [[]],
      (agent, world) =>
        Effect.gen(function* () {
          yield* settle;
          expect(agent.actor.getSnapshot().value).toBe("waitingRetry");
          expect(world.log.informs).toHaveLength(0);
          yield* TestClock.adjust("7499 millis");
          yield* settle;
          expect(world.log.informs).toHaveLength(0);
          yield* TestClock.adjust("1 millis");
          yield* settle;
          expect(world.log.retryCounts).toEqual([1]);
          // BOOTSTRAP survived the failed attempt.
          expect(codes(world.log.informs[0])).toEqual([EventCode.Bootstrap, EventCode.Boot]);
          expect(Option.isSome(yield* store.load)).toBe(true);
        }),
      1,
    );
  });
});
