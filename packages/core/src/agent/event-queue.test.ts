import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { TransferComplete } from "../soap/cpe-methods.js";
import { EventCode } from "./event-codes.js";
import {
  addCpeRequest,
  addEvent,
  bootEventQueue,
  changeAcsUrl,
  type EventQueueState,
  emptyEventQueue,
  forgetReboots,
  hasUnsentEvents,
  informDelivered,
  MAX_EVENTS_PER_INFORM,
  recordReboot,
  requestDelivered,
  selectForInform,
  sessionFailed,
} from "./event-queue.js";

const ACS = "http://acs.example/cwmp";
const codes = (s: EventQueueState) => s.events.map((e) => `${e.eventCode}|${e.commandKey}`);

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

describe("event queue (§1.5)", () => {
  it("§1.5 first start raises 0 BOOTSTRAP and 1 BOOT; later starts 1 BOOT only", () => {
    const first = bootEventQueue(undefined, ACS, 0);
    expect(codes(first)).toEqual([`${EventCode.Bootstrap}|`, `${EventCode.Boot}|`]);
    const delivered = informDelivered(first, selectForInform(first));
    expect(codes(bootEventQueue(delivered, ACS, 0))).toEqual([`${EventCode.Boot}|`]);
  });

  it("§1.5 0 BOOTSTRAP is kept until an InformResponse, across restarts", () => {
    const first = bootEventQueue(undefined, ACS, 0);
    const failed = sessionFailed(first, selectForInform(first));
    expect(codes(bootEventQueue(failed, ACS, 0))).toContain(`${EventCode.Bootstrap}|`);
  });

  it("§1.5 an ACS URL change drops the queue and pending ScheduleInforms and raises 0 BOOTSTRAP", () => {
    let q = bootEventQueue(undefined, ACS, 0);
    q = informDelivered(q, selectForInform(q));
    q = withTransfer(addEvent(q, EventCode.Periodic), "dl1");
    q = { ...q, scheduledInforms: [{ commandKey: "s", dueAt: 99 }] };
    const moved = changeAcsUrl(q, "http://other/acs");
    expect(codes(moved)).toEqual([`${EventCode.Bootstrap}|`]);
    expect(moved.requests).toEqual([]);
    expect(moved.scheduledInforms).toEqual([]);
    // Noticed at boot (URL changed while the agent was down): same rule.
    const booted = bootEventQueue(q, "http://other/acs", 0);
    expect(codes(booted)).toEqual([`${EventCode.Bootstrap}|`, `${EventCode.Boot}|`]);
  });

  it("§1.5 6 CONNECTION REQUEST is dropped when the session fails; other events are kept", () => {
    let q = emptyEventQueue(ACS);
    q = addEvent(addEvent(q, EventCode.ConnectionRequest), EventCode.Periodic);
    const failed = sessionFailed(q, selectForInform(q));
    expect(codes(failed)).toEqual([`${EventCode.Periodic}|`]);
  });

  it("§1.5 a connection request raised during a failing session is kept for the retry", () => {
    let q = addEvent(emptyEventQueue(ACS), EventCode.ConnectionRequest);
    const batch = selectForInform(q);
    q = addEvent(q, EventCode.ConnectionRequest);
    expect(codes(sessionFailed(q, batch))).toEqual([`${EventCode.ConnectionRequest}|`]);
  });

  it("§1.5 7 TRANSFER COMPLETE and M Download stay after InformResponse until TransferCompleteResponse", () => {
    let q = withTransfer(addEvent(emptyEventQueue(ACS), EventCode.Periodic), "dl1");
    const batch = selectForInform(q);
    expect(batch.requests.map((r) => (r.message as TransferComplete).commandKey)).toEqual(["dl1"]);
    q = informDelivered(q, batch);
    expect(codes(q)).toEqual([`${EventCode.TransferComplete}|`, `${EventCode.MDownload}|dl1`]);
    // Kept across a reboot too.
    expect(codes(bootEventQueue(q, ACS, 0))).toContain(`${EventCode.TransferComplete}|`);
    q = requestDelivered(q, batch.requests[0]!.seq);
    expect(codes(q)).toEqual([]);
    expect(q.requests).toEqual([]);
  });

  it("§1.5 with two transfers, 7 TRANSFER COMPLETE goes with the last TransferCompleteResponse", () => {
    let q = withTransfer(withTransfer(emptyEventQueue(ACS), "a"), "b");
    const batch = selectForInform(q);
    q = informDelivered(q, batch);
    q = requestDelivered(q, batch.requests[0]!.seq);
    expect(codes(q)).toEqual([`${EventCode.TransferComplete}|`, `${EventCode.MDownload}|b`]);
    q = requestDelivered(q, batch.requests[1]!.seq);
    expect(codes(q)).toEqual([]);
  });

  it("§1.5 M events are one per CommandKey; single events at most once", () => {
    let q = emptyEventQueue(ACS);
    for (const ck of ["a", "b", "a"]) {
      q = addEvent(q, EventCode.Scheduled);
      q = addEvent(q, EventCode.MScheduleInform, ck);
    }
    expect([...codes(q)].sort()).toEqual(
      [
        `${EventCode.Scheduled}|`,
        `${EventCode.MScheduleInform}|a`,
        `${EventCode.MScheduleInform}|b`,
      ].sort(),
    );
  });

  it("§1.5 an event raised again during a session is not removed by that session's InformResponse", () => {
    let q = addEvent(emptyEventQueue(ACS), EventCode.ValueChange);
    const batch = selectForInform(q);
    q = addEvent(q, EventCode.ValueChange);
    q = informDelivered(q, batch);
    expect(codes(q)).toEqual([`${EventCode.ValueChange}|`]);
    expect(hasUnsentEvents(q, batch)).toBe(true);
  });

  test.prop([fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 14 })])(
    "§1.5 an Inform carries at most 64 events, singles first, the rest stay queued",
    (multiples, singles) => {
      let q = emptyEventQueue(ACS);
      for (let i = 0; i < multiples; i++) q = addEvent(q, EventCode.MScheduleInform, `ck${i}`);
      const singleCodes = Object.values(EventCode).filter((c) => !c.startsWith("M "));
      for (const c of singleCodes.slice(0, singles)) q = addEvent(q, c);
      const batch = selectForInform(q);
      expect(batch.events.length).toBe(Math.min(MAX_EVENTS_PER_INFORM, multiples + singles));
      expect(batch.events.filter((e) => !e.eventCode.startsWith("M ")).length).toBe(singles);
      const after = informDelivered(q, batch);
      expect(after.events.length).toBe(q.events.length - batch.events.length);
      expect(hasUnsentEvents(after, batch)).toBe(after.events.length > 0);
    },
  );

  it("§1.5 M Reboot carries the CommandKey persisted before the reboot, with 1 BOOT", () => {
    const q = recordReboot(
      informDelivered(
        bootEventQueue(undefined, ACS, 0),
        selectForInform(bootEventQueue(undefined, ACS, 0)),
      ),
      "rb-7",
    );
    const booted = bootEventQueue(q, ACS, 0);
    expect(codes(booted)).toEqual([`${EventCode.Boot}|`, `${EventCode.MReboot}|rb-7`]);
    expect(booted.rebootCommandKeys).toEqual([]);
  });

  it("§1.5 M Reboot is a multiple event: each recorded Reboot CommandKey gives its own M Reboot, a repeated key one", () => {
    const fresh = bootEventQueue(undefined, ACS, 0);
    const q = ["rb-a", "rb-b", "rb-a"].reduce(
      (s, k) => recordReboot(s, k),
      informDelivered(fresh, selectForInform(fresh)),
    );
    expect(q.rebootCommandKeys).toEqual(["rb-a", "rb-b"]);
    expect(codes(bootEventQueue(q, ACS, 0))).toEqual([
      `${EventCode.Boot}|`,
      `${EventCode.MReboot}|rb-a`,
      `${EventCode.MReboot}|rb-b`,
    ]);
    expect(forgetReboots(q, ["rb-a"]).rebootCommandKeys).toEqual(["rb-b"]);
    expect(forgetReboots(q).rebootCommandKeys).toEqual([]);
  });

  it("§1.5 a reboot discards 6, 4 and 8 and the old 1 BOOT, keeps 2 and 3", () => {
    let q = emptyEventQueue(ACS);
    for (const c of [
      EventCode.Boot,
      EventCode.Periodic,
      EventCode.Scheduled,
      EventCode.ValueChange,
      EventCode.ConnectionRequest,
      EventCode.DiagnosticsComplete,
    ])
      q = addEvent(q, c);
    expect(codes(bootEventQueue(q, ACS, 0))).toEqual([
      `${EventCode.Periodic}|`,
      `${EventCode.Scheduled}|`,
      `${EventCode.Boot}|`,
    ]);
  });

  it("§1.5-5-KICKED stays queued after the InformResponse while its Kicked is pending, and leaves with the KickedResponse", () => {
    const kicked = { _tag: "Kicked", command: "c", referer: "r", arg: "a", next: "n" } as const;
    const q = addCpeRequest(emptyEventQueue(ACS), kicked, [
      { eventCode: EventCode.Kicked, commandKey: "" },
    ]);
    const batch = selectForInform(q);
    expect(codes(q)).toEqual([`${EventCode.Kicked}|`]);
    expect(batch.requests.map((r) => r.message)).toEqual([kicked]);
    const informed = informDelivered(q, batch);
    expect(codes(informed)).toEqual([`${EventCode.Kicked}|`]);
    const answered = requestDelivered(informed, batch.requests[0]!.seq);
    expect(answered.events).toEqual([]);
    expect(answered.requests).toEqual([]);
    // A bare 5 KICKED (no Kicked queued) goes with the InformResponse.
    const bare = addEvent(emptyEventQueue(ACS), EventCode.Kicked);
    expect(informDelivered(bare, selectForInform(bare)).events).toEqual([]);
  });

  it("§1.4-CPE-GetRPCMethods a queued GetRPCMethods has no event and goes with any batch, after the requests queued before it", () => {
    const q = addCpeRequest(
      addCpeRequest(
        emptyEventQueue(ACS),
        { _tag: "RequestDownload", fileType: "2 Web Content", fileTypeArg: [] },
        [{ eventCode: EventCode.RequestDownload, commandKey: "" }],
      ),
      { _tag: "GetRPCMethods" },
      [],
    );
    expect(codes(q)).toEqual([`${EventCode.RequestDownload}|`]);
    const batch = selectForInform(q);
    expect(batch.requests.map((r) => r.message._tag)).toEqual(["RequestDownload", "GetRPCMethods"]);
    // Its response leaves 9 REQUEST DOWNLOAD alone (a different request announces it).
    const afterRpc = requestDelivered(q, batch.requests[1]!.seq);
    expect(codes(afterRpc)).toEqual([`${EventCode.RequestDownload}|`]);
    expect(requestDelivered(afterRpc, batch.requests[0]!.seq).events).toEqual([]);
  });
});
