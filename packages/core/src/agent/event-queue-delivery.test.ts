import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { RequestDownload, TransferComplete } from "../soap/cpe-methods.js";
import { EventCode } from "./event-codes.js";
import {
  addCpeRequest,
  addEvent,
  addEvents,
  addScheduledInform,
  bootEventQueue,
  changeAcsUrl,
  type EventQueueState,
  emptyEventQueue,
  hasUnsentEvents,
  informDelivered,
  informEventList,
  MAX_EVENTS_PER_INFORM,
  promoteDueScheduledInforms,
  recordReboot,
  requestDelivered,
  selectForInform,
} from "./event-queue.js";

const ACS = "http://acs.example/cwmp";
const codes = (events: EventQueueState["events"]) =>
  events.map((e) => (e.commandKey === "" ? e.eventCode : `${e.eventCode}|${e.commandKey}`));

const transferComplete = (commandKey: string): TransferComplete => ({
  _tag: "TransferComplete",
  commandKey,
  faultStruct: { faultCode: 0, faultString: "" },
  startTime: "2026-01-01T00:00:00Z",
  completeTime: "2026-01-01T00:00:05Z",
});
const withTransfer = (s: EventQueueState, ck: string) =>
  addCpeRequest(s, transferComplete(ck), [
    { eventCode: EventCode.TransferComplete, commandKey: "" },
    { eventCode: EventCode.MDownload, commandKey: ck },
  ]);
const tcKeys = (s: { requests: EventQueueState["requests"] }) =>
  s.requests.map((r) => (r.message as TransferComplete).commandKey);

describe("ScheduleInform timing (§1.5)", () => {
  it("§1.5 of a due and a not-yet-due ScheduleInform, only the due one becomes 3 SCHEDULED + M ScheduleInform", () => {
    let q = emptyEventQueue(ACS);
    q = addScheduledInform(q, { commandKey: "later", dueAt: 2_001 });
    q = addScheduledInform(q, { commandKey: "now", dueAt: 2_000 });
    q = addScheduledInform(q, { commandKey: "past", dueAt: 1_000 });
    const promoted = promoteDueScheduledInforms(q, 2_000);
    expect(codes(selectForInform(promoted).events)).toEqual([
      EventCode.Scheduled,
      `${EventCode.MScheduleInform}|now`,
      `${EventCode.MScheduleInform}|past`,
    ]);
    expect(promoted.scheduledInforms).toEqual([{ commandKey: "later", dueAt: 2_001 }]);
    // Nothing due: the very same state comes back (nothing to save).
    expect(promoteDueScheduledInforms(promoted, 2_000)).toBe(promoted);
  });

  it("§1.5 a ScheduleInform that fell due while the agent was down is raised at boot; a later one waits", () => {
    const fresh = bootEventQueue(undefined, ACS, 0);
    let q = informDelivered(fresh, selectForInform(fresh));
    q = addScheduledInform(q, { commandKey: "due", dueAt: 500 });
    q = addScheduledInform(q, { commandKey: "later", dueAt: 5_000 });
    const booted = bootEventQueue(q, ACS, 1_000);
    expect(codes(booted.events)).toEqual([
      EventCode.Boot,
      EventCode.Scheduled,
      `${EventCode.MScheduleInform}|due`,
    ]);
    expect(booted.scheduledInforms).toEqual([{ commandKey: "later", dueAt: 5_000 }]);
  });
});

describe("delivery of events and CPE requests (§1.5)", () => {
  it("§1.5 an unrelated event raised during a session survives the TransferComplete acknowledgement", () => {
    let q = withTransfer(emptyEventQueue(ACS), "dl1");
    const batch = selectForInform(q);
    q = informDelivered(q, batch);
    q = addEvent(q, EventCode.ValueChange);
    q = requestDelivered(q, batch.requests[0]!.seq);
    expect(codes(q.events)).toEqual([EventCode.ValueChange]);
    expect(q.requests).toEqual([]);
  });

  it("§1.5 answers out of order acknowledge the request they answer and its events only", () => {
    let q = withTransfer(withTransfer(emptyEventQueue(ACS), "a"), "b");
    const batch = selectForInform(q);
    expect(tcKeys(batch)).toEqual(["a", "b"]);
    q = informDelivered(q, batch);
    q = requestDelivered(q, batch.requests[1]!.seq);
    expect(tcKeys(q)).toEqual(["a"]);
    expect(codes(selectForInform(q).events)).toEqual([
      EventCode.TransferComplete,
      `${EventCode.MDownload}|a`,
    ]);
    q = requestDelivered(q, batch.requests[0]!.seq);
    expect(q.requests).toEqual([]);
    expect(q.events).toEqual([]);
  });

  it("§1.5 an answer to an unknown request changes nothing", () => {
    const q = withTransfer(emptyEventQueue(ACS), "a");
    expect(requestDelivered(q, 999)).toBe(q);
  });

  it("§1.5 a RequestDownload is announced by 9 REQUEST DOWNLOAD, not by M events of a TransferComplete", () => {
    const rd: RequestDownload = {
      _tag: "RequestDownload",
      fileType: "1 Firmware",
      fileTypeArg: [],
    };
    let q = withTransfer(emptyEventQueue(ACS), "a");
    q = addCpeRequest(q, rd, [{ eventCode: EventCode.RequestDownload, commandKey: "" }]);
    const batch = selectForInform(q);
    q = informDelivered(q, batch);
    const rdSeq = batch.requests.find((r) => r.message._tag === "RequestDownload")!.seq;
    q = requestDelivered(q, rdSeq);
    expect(codes(q.events)).toEqual([EventCode.TransferComplete, `${EventCode.MDownload}|a`]);
    expect(tcKeys(q)).toEqual(["a"]);
  });

  it("§1.5 InformResponse removes an event awaiting a request's response only when no such request is queued", () => {
    // 7 TRANSFER COMPLETE with nothing that could deliver it would stay forever.
    const orphan = addEvent(emptyEventQueue(ACS), EventCode.TransferComplete);
    expect(informDelivered(orphan, selectForInform(orphan)).events).toEqual([]);
    const owned = withTransfer(emptyEventQueue(ACS), "a");
    expect(codes(informDelivered(owned, selectForInform(owned)).events)).toEqual([
      EventCode.TransferComplete,
      `${EventCode.MDownload}|a`,
    ]);
  });

  it("§1.5 a request whose announcing event the 64-event cap left out waits for the Inform that carries it", () => {
    let q = emptyEventQueue(ACS);
    for (let i = 0; i < MAX_EVENTS_PER_INFORM; i++)
      q = addEvent(q, EventCode.MScheduleInform, `s${i}`);
    q = withTransfer(q, "dl");
    const first = selectForInform(q);
    expect(first.events).toHaveLength(MAX_EVENTS_PER_INFORM);
    // 7 TRANSFER COMPLETE is a single event and goes first; M Download|dl is the newest M event.
    expect(codes(first.events)).toContain(EventCode.TransferComplete);
    expect(codes(first.events)).not.toContain(`${EventCode.MDownload}|dl`);
    expect(first.requests).toEqual([]);
    q = informDelivered(q, first);
    expect(codes(q.events)).toEqual([
      `${EventCode.MScheduleInform}|s${MAX_EVENTS_PER_INFORM - 1}`,
      EventCode.TransferComplete,
      `${EventCode.MDownload}|dl`,
    ]);
    const second = selectForInform(q);
    expect(tcKeys(second)).toEqual(["dl"]);
  });

  it("§1.5 a request goes with a batch when all its announcing events are in it, even if unrelated events are cut", () => {
    let q = withTransfer(emptyEventQueue(ACS), "dl");
    for (let i = 0; i < MAX_EVENTS_PER_INFORM; i++)
      q = addEvent(q, EventCode.MScheduleInform, `s${i}`);
    const batch = selectForInform(q);
    // 7 TRANSFER COMPLETE and M Download|dl (the oldest M event) are in; the newest M events not.
    expect(codes(batch.events)).toContain(`${EventCode.MDownload}|dl`);
    expect(codes(batch.events)).not.toContain(`${EventCode.MScheduleInform}|s63`);
    expect(tcKeys(batch)).toEqual(["dl"]);
  });

  it("§1.5 a request stays out of a batch when only its own announcing event was cut", () => {
    let q = emptyEventQueue(ACS);
    // 63 M events, then the transfer's two: 65 in all, and only M Download|dl is left out.
    for (let i = 0; i < MAX_EVENTS_PER_INFORM - 1; i++)
      q = addEvent(q, EventCode.MScheduleInform, `s${i}`);
    q = withTransfer(q, "dl");
    const batch = selectForInform(q);
    expect(batch.events).toHaveLength(MAX_EVENTS_PER_INFORM);
    expect(codes(batch.events)).not.toContain(`${EventCode.MDownload}|dl`);
    expect(batch.requests).toEqual([]);
  });

  it("§1.5 hasUnsentEvents tells whether anything is left besides the batch", () => {
    const q = addEvent(addEvent(emptyEventQueue(ACS), EventCode.Periodic), EventCode.Boot);
    const batch = selectForInform(q);
    expect(hasUnsentEvents(q, batch)).toBe(false);
    expect(hasUnsentEvents(addEvent(q, EventCode.ValueChange), batch)).toBe(true);
  });
});

describe("order and identity of queued events (§1.5)", () => {
  it("§1.5 single events go in code order whatever the order they were raised in, vendor codes after standard ones, M events last", () => {
    const q = addEvents(emptyEventQueue(ACS), [
      { eventCode: `${EventCode.MReboot}`, commandKey: "r" },
      { eventCode: "X ACME Alarm", commandKey: "" },
      { eventCode: EventCode.Periodic, commandKey: "" },
      { eventCode: EventCode.Bootstrap, commandKey: "" },
    ]);
    expect(codes(selectForInform(q).events)).toEqual([
      EventCode.Bootstrap,
      EventCode.Periodic,
      "X ACME Alarm",
      `${EventCode.MReboot}|r`,
    ]);
  });

  it("§1.5 M events go oldest first; raising one again makes it the newest", () => {
    let q = emptyEventQueue(ACS);
    for (const ck of ["c", "a", "b"]) q = addEvent(q, EventCode.MScheduleInform, ck);
    expect(codes(selectForInform(q).events)).toEqual(
      ["c", "a", "b"].map((k) => `${EventCode.MScheduleInform}|${k}`),
    );
    q = addEvent(q, EventCode.MScheduleInform, "c");
    expect(codes(selectForInform(q).events)).toEqual(
      ["a", "b", "c"].map((k) => `${EventCode.MScheduleInform}|${k}`),
    );
  });

  it("§1.5 a single event keeps no CommandKey; the Inform's list carries code and key only", () => {
    const q = addEvent(addEvent(emptyEventQueue(ACS), EventCode.Periodic, "x"), "M Upload", "u");
    expect(informEventList(selectForInform(q))).toEqual([
      { eventCode: EventCode.Periodic, commandKey: "" },
      { eventCode: "M Upload", commandKey: "u" },
    ]);
  });

  it("§1.5 oldest first means by sequence number, whatever order a stored queue lists them in", () => {
    const stored: EventQueueState = {
      ...emptyEventQueue(ACS),
      nextSeq: 10,
      events: [
        { eventCode: EventCode.MScheduleInform, commandKey: "new", seq: 7 },
        { eventCode: EventCode.MScheduleInform, commandKey: "old", seq: 3 },
        { eventCode: EventCode.MScheduleInform, commandKey: "mid", seq: 5 },
      ],
    };
    expect(codes(selectForInform(stored).events)).toEqual(
      ["old", "mid", "new"].map((k) => `${EventCode.MScheduleInform}|${k}`),
    );
  });

  it("§1.5 an ACS URL noticed changed at boot raises 0 BOOTSTRAP once, then 1 BOOT, numbered after the old queue", () => {
    const q = addEvent(addEvent(emptyEventQueue(ACS), EventCode.Periodic), EventCode.ValueChange);
    const booted = bootEventQueue(q, "http://other/acs", 0);
    expect(booted.events.map((e) => [e.eventCode, e.seq])).toEqual([
      [EventCode.Bootstrap, q.nextSeq],
      [EventCode.Boot, q.nextSeq + 1],
    ]);
    expect(booted.nextSeq).toBe(q.nextSeq + 2);
  });

  it("§1.5 a Multiple event raised without a CommandKey carries the empty one, and is one event", () => {
    const q = addEvent(addEvent(emptyEventQueue(ACS), EventCode.MReboot), EventCode.MReboot, "");
    expect(informEventList(selectForInform(q))).toEqual([
      { eventCode: EventCode.MReboot, commandKey: "" },
    ]);
  });

  it("§1.5 recording a Reboot CommandKey twice leaves the state as it was", () => {
    const q = recordReboot(emptyEventQueue(ACS), "k");
    expect(recordReboot(q, "k")).toBe(q);
  });

  it("§1.5 an ACS URL change keeps counting sequence numbers upwards", () => {
    const q = addEvent(addEvent(emptyEventQueue(ACS), EventCode.Periodic), EventCode.Boot);
    const moved = changeAcsUrl(q, "http://other/acs");
    expect(moved.acsUrl).toBe("http://other/acs");
    expect(moved.events[0]!.seq).toBe(q.nextSeq);
    expect(moved.nextSeq).toBe(q.nextSeq + 1);
  });

  const operation = fc.oneof(
    fc.record({
      kind: fc.constant("event" as const),
      code: fc.constantFrom(...Object.values(EventCode)),
      key: fc.constantFrom("", "a", "b"),
    }),
    fc.record({ kind: fc.constant("transfer" as const), key: fc.constantFrom("a", "b", "c") }),
    fc.record({ kind: fc.constant("deliver" as const) }),
  );

  test.prop([fc.array(operation, { maxLength: 40 })])(
    "§1.5 every queued event and request has its own sequence number, below nextSeq, whatever happened",
    (ops) => {
      let q = emptyEventQueue(ACS);
      for (const op of ops) {
        if (op.kind === "event") q = addEvent(q, op.code, op.key);
        else if (op.kind === "transfer") q = withTransfer(q, op.key);
        else {
          const batch = selectForInform(q);
          q = informDelivered(q, batch);
          const first = batch.requests[0];
          if (first !== undefined) q = requestDelivered(q, first.seq);
        }
      }
      const seqs = [...q.events.map((e) => e.seq), ...q.requests.map((r) => r.seq)];
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs.every((s) => s >= 1 && s < q.nextSeq)).toBe(true);
    },
  );
});
