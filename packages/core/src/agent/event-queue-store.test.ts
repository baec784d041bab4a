import { fc, test } from "@fast-check/vitest";
import { Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore, StoreError, type StoreService } from "../ports/store.js";
import { deliveringRequest, EventCode, isDiscardedOnReboot } from "./event-codes.js";
import {
  addCpeRequest,
  addEvent,
  addScheduledInform,
  emptyEventQueue,
  informDelivered,
  requestDelivered,
  selectForInform,
} from "./event-queue.js";
import {
  decodeEventQueue,
  EVENTS_SECTION,
  encodeEventQueue,
  makePersistentEventQueue,
  type PersistentEventQueue,
  readEventQueue,
} from "./event-queue-store.js";
import { makeSectionStore } from "./section-store.js";

const ACS = "http://acs.example/cwmp";
const run = <A, E>(e: Effect.Effect<A, E>): A => Effect.runSync(e);

/** What the ACS saw: how many times it answered each event and each TransferComplete. */
interface AcsLog {
  readonly events: Map<string, number>;
  readonly requests: Map<string, number>;
}
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Raised before the session, by kind. */
interface Scenario {
  readonly transfers: readonly string[];
  readonly scheduled: readonly string[];
  readonly periodic: boolean;
  readonly valueChange: boolean;
  readonly connectionRequest: boolean;
}

/**
 * Runs raise + one session, counting atomic points; stops (crashes) before point `crashAt`.
 * Returns the keys "response received, not yet saved" when the crash hit that window.
 */
const runUntil = (
  queue: PersistentEventQueue,
  acs: AcsLog,
  scenario: Scenario,
  crashAt: number,
): { crashed: boolean; unsavedAcks: Set<string>; raised: Set<string> } => {
  let point = 0;
  const raised = new Set<string>();
  const unsavedAcks = new Set<string>();
  const step = () => point++ === crashAt;
  const raise = (code: string, ck = "") => {
    if (step()) return false;
    run(queue.update((s) => addEvent(s, code, ck)));
    raised.add(`${code}|${ck}`);
    return true;
  };
  const crashed = { crashed: true, unsavedAcks, raised };
  if (scenario.periodic && !raise(EventCode.Periodic)) return crashed;
  if (scenario.valueChange && !raise(EventCode.ValueChange)) return crashed;
  if (scenario.connectionRequest && !raise(EventCode.ConnectionRequest)) return crashed;
  for (const ck of scenario.scheduled) {
    if (step()) return crashed;
    run(queue.update((s) => addScheduledInform(s, { commandKey: ck, dueAt: 0 })));
    raised.add(`${EventCode.MScheduleInform}|${ck}`);
  }
  for (const ck of scenario.transfers) {
    if (step()) return crashed;
    run(
      queue.update((s) =>
        addCpeRequest(
          s,
          {
            _tag: "TransferComplete",
            commandKey: ck,
            faultStruct: { faultCode: 0, faultString: "" },
            startTime: "0001-01-01T00:00:00Z",
            completeTime: "0001-01-01T00:00:00Z",
          },
          [
            { eventCode: EventCode.TransferComplete, commandKey: "" },
            { eventCode: EventCode.MDownload, commandKey: ck },
          ],
        ),
      ),
    );
    raised.add(`${EventCode.MDownload}|${ck}`);
    raised.add(`TC|${ck}`);
  }
  return { ...session(queue, acs, step, unsavedAcks), raised };
};

/** One session: Inform + InformResponse, then each TransferComplete + its response. */
const session = (
  queue: PersistentEventQueue,
  acs: AcsLog,
  step: () => boolean,
  unsavedAcks: Set<string>,
): { crashed: boolean; unsavedAcks: Set<string> } => {
  const crashed = { crashed: true, unsavedAcks };
  const batch = selectForInform(run(queue.get));
  if (step()) return crashed;
  // The ACS received the Inform and answered InformResponse, which delivers the events whose
  // delivering request is the Inform (M Download is delivered with its TransferComplete).
  const informKeys = batch.events
    .filter((e) => deliveringRequest(e.eventCode) === "Inform")
    .map((e) => `${e.eventCode}|${e.commandKey}`);
  for (const k of informKeys) bump(acs.events, k);
  for (const k of informKeys) unsavedAcks.add(k);
  if (step()) return crashed;
  run(queue.update((s) => informDelivered(s, batch)));
  unsavedAcks.clear();
  for (const r of batch.requests) {
    if (step()) return crashed;
    const ck = (r.message as { commandKey: string }).commandKey;
    // M Download is delivered by the TransferCompleteResponse, provided the session's Inform
    // announced it (an Inform that dropped it early would lose it).
    const announced = batch.events.some(
      (e) => e.eventCode === EventCode.MDownload && e.commandKey === ck,
    );
    for (const key of announced ? [`TC|${ck}`, `${EventCode.MDownload}|${ck}`] : [`TC|${ck}`]) {
      bump(acs.requests, key);
      unsavedAcks.add(key);
    }
    if (step()) return crashed;
    run(queue.update((s) => requestDelivered(s, r.seq)));
    unsavedAcks.clear();
  }
  return { crashed: false, unsavedAcks };
};

const open = (store: StoreService) =>
  run(Effect.flatMap(makeSectionStore(store), (s) => makePersistentEventQueue(s, ACS, 1)));

const restartAndDrain = (store: StoreService, acs: AcsLog) => {
  const queue = open(store);
  for (let i = 0; i < 5 && run(queue.get).events.length > 0; i++)
    session(queue, acs, () => false, new Set());
  return run(queue.get);
};

const scenarioArb = fc.record({
  transfers: fc.uniqueArray(fc.constantFrom("a", "b", "c"), { maxLength: 3 }),
  scheduled: fc.uniqueArray(fc.constantFrom("s1", "s2"), { maxLength: 2 }),
  periodic: fc.boolean(),
  valueChange: fc.boolean(),
  connectionRequest: fc.boolean(),
});

describe("event queue persistence (§1.5 crash safety)", () => {
  test.prop([scenarioArb], { numRuns: 40 })(
    "§1.5 a crash at any step of raising or of a session loses no undelivered event and repeats only the one response not yet saved",
    (scenario) => {
      for (let crashAt = 0; crashAt < 40; crashAt++) {
        const store = run(makeMemoryStore());
        const acs: AcsLog = { events: new Map(), requests: new Map() };
        // First start, delivered: BOOTSTRAP is out of the way.
        restartAndDrain(store, acs);
        acs.events.clear();
        const queue = open(store);
        const r = runUntil(queue, acs, scenario, crashAt);
        const left = restartAndDrain(store, acs);
        expect(left.events).toEqual([]);
        expect(left.requests).toEqual([]);
        for (const key of r.raised) {
          const code = key.split("|")[0]!;
          const seen = (acs.requests.get(key) ?? 0) + (acs.events.get(key) ?? 0);
          // Nothing lost, except the codes a reboot discards by rule.
          if (!(r.crashed && isDiscardedOnReboot(code)))
            expect(seen, key).toBeGreaterThanOrEqual(1);
          // Nothing twice, except a response received but not yet saved at the crash.
          expect(seen, key).toBeLessThanOrEqual(r.crashed && r.unsavedAcks.has(key) ? 2 : 1);
        }
        if (!r.crashed) break;
      }
    },
  );

  it("§1.5 the queue is written ahead: an update is in the store before it is returned", () => {
    const store = run(makeMemoryStore());
    const sections = run(makeSectionStore(store));
    const queue = run(makePersistentEventQueue(sections, ACS, 0));
    run(queue.update((s) => addEvent(s, EventCode.Periodic)));
    const stored = Option.getOrThrow(run(readEventQueue(sections)));
    expect(stored.events.map((e) => e.eventCode)).toEqual([
      EventCode.Bootstrap,
      EventCode.Boot,
      EventCode.Periodic,
    ]);
  });

  it("§1.5 a connection-request session writes nothing: 6 CONNECTION REQUEST raised and delivered leaves the store as it was, and a restart from it is the same", () => {
    const base = run(makeMemoryStore());
    let saves = 0;
    const store: StoreService = {
      load: base.load,
      save: (d) => Effect.sync(() => saves++).pipe(Effect.zipRight(base.save(d))),
    };
    const sections = run(makeSectionStore(store));
    const queue = run(makePersistentEventQueue(sections, ACS, 0));
    // The boot session delivers 0 BOOTSTRAP (durable: saved) and 1 BOOT (forgotten on restart).
    run(queue.update((s) => informDelivered(s, selectForInform(s))));
    const settled = saves;
    const stored = run(store.load);
    for (let i = 0; i < 3; i++) {
      const raised = run(queue.update((s) => addEvent(s, EventCode.ConnectionRequest)));
      expect(raised.events.map((e) => e.eventCode)).toEqual([EventCode.ConnectionRequest]);
      run(queue.update((s) => informDelivered(s, selectForInform(s))));
    }
    expect(saves).toBe(settled);
    expect(run(store.load)).toEqual(stored);
    // A durable change after skipped ones is saved whole, with a sequence above every earlier one.
    const periodic = run(queue.update((s) => addEvent(s, EventCode.Periodic)));
    expect(saves).toBe(settled + 1);
    const reread = Option.getOrThrow(run(readEventQueue(sections)));
    expect(reread).toEqual(periodic);
    expect(reread.events[0]?.seq).toBeGreaterThan(3);
  });

  it("§1.5 a failed save leaves the queue unchanged", () => {
    const base = run(makeMemoryStore());
    let failing = false;
    const store: StoreService = {
      load: base.load,
      save: (d) =>
        failing
          ? Effect.fail(new StoreError({ reason: "WriteFailed", path: "memory", detail: "full" }))
          : base.save(d),
    };
    const queue = open(store);
    failing = true;
    const before = run(queue.get);
    expect(
      Effect.runSync(Effect.either(queue.update((s) => addEvent(s, EventCode.Periodic)))),
    ).toMatchObject({ _tag: "Left" });
    expect(run(queue.get)).toEqual(before);
  });

  it("keeps the other sections of the store document, whoever writes", () => {
    const store = run(makeMemoryStore({ datamodel: { version: 1 } }));
    const sections = run(makeSectionStore(store));
    run(makePersistentEventQueue(sections, ACS, 0));
    // A whole-document writer through a view changes only its own section.
    run(sections.view("datamodel").save({ datamodel: { version: 1 }, events: null }));
    run(sections.write({ transfers: [] }));
    const doc = Option.getOrThrow(run(store.load));
    expect(doc.transfers).toEqual([]);
    expect(doc.datamodel).toEqual({ version: 1 });
    expect(doc[EVENTS_SECTION]).toBeDefined();
  });

  it("§1.5 M Reboot: a queue stored by an earlier release (version 1, one rebootCommandKey) still reads back", () => {
    const base = {
      acsUrl: "http://acs",
      nextSeq: 1,
      events: [],
      requests: [],
      scheduledInforms: [],
    };
    expect(decodeEventQueue({ version: 1, ...base, rebootCommandKey: "rb-old" })).toEqual(
      Either.right({ ...base, rebootCommandKeys: ["rb-old"] }),
    );
    expect(decodeEventQueue({ version: 1, ...base, rebootCommandKey: null })).toEqual(
      Either.right({ ...base, rebootCommandKeys: [] }),
    );
    const state = { ...base, rebootCommandKeys: ["a", "b"] };
    expect(decodeEventQueue(encodeEventQueue(state))).toEqual(Either.right(state));
  });

  it("§1.5 queued Kicked, RequestDownload, AutonomousTransferComplete and GetRPCMethods read back as written", () => {
    const state = [
      { _tag: "Kicked", command: "c", referer: "r", arg: "a", next: "n" } as const,
      {
        _tag: "RequestDownload",
        fileType: "2 Web Content",
        fileTypeArg: [{ name: "k", value: "v" }],
      } as const,
      {
        _tag: "AutonomousTransferComplete",
        announceUrl: "",
        transferUrl: "http://127.0.0.1/f",
        isDownload: false,
        fileType: "4 Vendor Log File",
        fileSize: 9,
        targetFileName: "log.txt",
        faultStruct: { faultCode: 9011, faultString: "upload failed" },
        startTime: "2026-01-01T00:00:00Z",
        completeTime: "2026-01-01T00:00:01Z",
      } as const,
      { _tag: "GetRPCMethods" } as const,
    ].reduce((s, m) => addCpeRequest(s, m, []), emptyEventQueue("http://acs"));
    expect(decodeEventQueue(encodeEventQueue(state))).toEqual(Either.right(state));
  });

  it("a corrupt events section fails with reason CorruptState naming the field", () => {
    const result = decodeEventQueue({ version: 1, acsUrl: 3 });
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") {
      expect(result.left.reason).toBe("CorruptState");
      expect(result.left.message).toContain("acsUrl");
    }
  });
});
