import { describe, expect, it } from "vitest";
import { noAfterSession } from "../rpc/after-session.js";
import { announcingEvents, applySessionOutput, wantsAnotherSession } from "./agent-session.js";
import { EventCode } from "./event-codes.js";
import {
  addCpeRequest,
  addEvent,
  emptyEventQueue,
  recordReboot,
  selectForInform,
} from "./event-queue.js";
import { sessionOutput as output } from "./test-support/session-output.js";

const queued = () =>
  addCpeRequest(
    addEvent(
      addEvent(emptyEventQueue("http://acs"), EventCode.ConnectionRequest),
      EventCode.Periodic,
    ),
    {
      _tag: "TransferComplete",
      commandKey: "dl",
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "0001-01-01T00:00:00Z",
      completeTime: "0001-01-01T00:00:00Z",
    },
    [
      { eventCode: EventCode.TransferComplete, commandKey: "" },
      { eventCode: EventCode.MDownload, commandKey: "dl" },
    ],
  );

const codes = (s: ReturnType<typeof queued>) => s.events.map((e) => e.eventCode);

describe("applying a session's outcome to the queue", () => {
  it("§1.5 a failed session before InformResponse drops only 6 CONNECTION REQUEST", () => {
    const q = queued();
    const after = applySessionOutput(
      q,
      selectForInform(q),
      output({ outcome: "failed", informDelivered: false }),
      0,
    );
    expect(codes(after)).toEqual([
      EventCode.Periodic,
      EventCode.TransferComplete,
      EventCode.MDownload,
    ]);
    expect(after.requests).toHaveLength(1);
  });

  it("§1.5 InformResponse without TransferCompleteResponse keeps 7 and M Download with their request", () => {
    const q = queued();
    const after = applySessionOutput(q, selectForInform(q), output({ outcome: "failed" }), 0);
    expect(codes(after)).toEqual([EventCode.TransferComplete, EventCode.MDownload]);
  });

  it("§1.5 a delivered TransferComplete (or one the ACS refused with a fault) leaves with its events", () => {
    const q = queued();
    const batch = selectForInform(q);
    const id = String(batch.requests[0]!.seq);
    for (const o of [
      output({ deliveredCpeRequests: [id] }),
      output({
        rejectedCpeRequests: [{ id, faultCode: 8000, faultString: "Method not supported" }],
      }),
    ]) {
      const after = applySessionOutput(q, batch, o, 0);
      expect(after.events).toEqual([]);
      expect(after.requests).toEqual([]);
    }
  });

  it("§1.5 ScheduleInform is recorded with its due time; a Reboot's CommandKey only when the session completed", () => {
    const q = emptyEventQueue("http://acs");
    const afterSession = {
      ...noAfterSession,
      reboot: "rb",
      scheduleInforms: [{ delaySeconds: 30, commandKey: "si" }],
    };
    const done = applySessionOutput(q, selectForInform(q), output({ afterSession }), 1_000);
    expect(done.scheduledInforms).toEqual([{ commandKey: "si", dueAt: 31_000 }]);
    expect(done.rebootCommandKeys).toEqual(["rb"]);
    // The agent's Reboot handler saved the key ahead; a failed session forgets it again.
    const ahead = recordReboot(q, "rb");
    const failed = applySessionOutput(
      ahead,
      selectForInform(ahead),
      output({ outcome: "failed", afterSession }),
      0,
    );
    expect(failed.rebootCommandKeys).toEqual([]);
  });

  it("V5 H3: a TransferComplete the ACS held stays queued with 7 TRANSFER COMPLETE and M Download, and waits for the next trigger", () => {
    const q = queued();
    const batch = selectForInform(q);
    const id = String(q.requests[0]!.seq);
    const held = output({ heldCpeRequests: [id] });
    const after = applySessionOutput(q, batch, held, 0);
    expect(after.requests).toHaveLength(1);
    expect(codes(after)).toEqual([EventCode.TransferComplete, EventCode.MDownload]);
    // Held by the ACS: no session at once (an ACS that always holds would loop).
    expect(wantsAnotherSession(after, batch, held)).toBe(false);
    // The next session carries it again and delivers it.
    const next = selectForInform(after);
    expect(next.requests.map((r) => r.seq)).toEqual([Number(id)]);
    const delivered = applySessionOutput(after, next, output({ deliveredCpeRequests: [id] }), 0);
    expect(delivered.requests).toEqual([]);
    expect(delivered.events).toEqual([]);
  });

  it("V5 H3: CPE requests still queued after a session where the ACS held nothing start a new session at once", () => {
    const q = queued();
    const batch = selectForInform(q);
    const after = applySessionOutput(q, batch, output(), 0);
    expect(wantsAnotherSession(after, batch, output())).toBe(true);
    const none = applySessionOutput(
      q,
      batch,
      output({ deliveredCpeRequests: [String(q.requests[0]!.seq)] }),
      0,
    );
    expect(wantsAnotherSession(none, batch, output())).toBe(false);
  });

  it("H11: a request the ACS still answered 8005 after the resends stays queued with its events and starts no session at once; 8000-8004 drop it", () => {
    const q = queued();
    const batch = selectForInform(q);
    const id = String(batch.requests[0]!.seq);
    const retry = output({
      rejectedCpeRequests: [{ id, faultCode: 8005, faultString: "Retry request" }],
    });
    const kept = applySessionOutput(q, batch, retry, 0);
    expect(kept.requests.map((r) => String(r.seq))).toEqual([id]);
    expect(codes(kept)).toEqual([EventCode.TransferComplete, EventCode.MDownload]);
    expect(wantsAnotherSession(kept, batch, retry)).toBe(false);
    for (const faultCode of [8000, 8001, 8002, 8003, 8004]) {
      const refused = applySessionOutput(
        q,
        batch,
        output({ rejectedCpeRequests: [{ id, faultCode, faultString: "" }] }),
        0,
      );
      expect(refused.requests, String(faultCode)).toEqual([]);
    }
  });

  it("H11: another queued request (not answered 8005) still starts a session at once", () => {
    const first = queued();
    const q = addCpeRequest(first, { _tag: "GetRPCMethods" }, []);
    const batch = selectForInform(q);
    const [tc, rpc] = batch.requests.map((r) => String(r.seq));
    const retry = output({
      rejectedCpeRequests: [{ id: tc!, faultCode: 8005, faultString: "Retry request" }],
      heldCpeRequests: [],
    });
    // GetRPCMethods was not sent (the session ended first): it wants a session.
    const after = applySessionOutput(q, batch, retry, 0);
    expect(after.requests.map((r) => String(r.seq))).toEqual([tc, rpc]);
    expect(wantsAnotherSession(after, batch, retry)).toBe(true);
  });

  it("§1.5 announcingEvents: 7, 9, 10 and 5 KICKED announce their requests; GetRPCMethods has none", () => {
    const fault = { faultCode: 0, faultString: "" };
    const t = "2026-01-01T00:00:00Z";
    expect(
      [
        {
          _tag: "TransferComplete",
          commandKey: "k",
          faultStruct: fault,
          startTime: t,
          completeTime: t,
        } as const,
        { _tag: "RequestDownload", fileType: "2 Web Content", fileTypeArg: [] } as const,
        {
          _tag: "AutonomousTransferComplete",
          announceUrl: "",
          transferUrl: "",
          isDownload: true,
          fileType: "2 Web Content",
          fileSize: 0,
          targetFileName: "",
          faultStruct: fault,
          startTime: t,
          completeTime: t,
        } as const,
        { _tag: "Kicked", command: "", referer: "", arg: "", next: "" } as const,
        { _tag: "GetRPCMethods" } as const,
      ].map((r) => announcingEvents(r).map((e) => `${e.eventCode}|${e.commandKey}`)),
    ).toEqual([
      [`${EventCode.TransferComplete}|`],
      [`${EventCode.RequestDownload}|`],
      [`${EventCode.AutonomousTransferComplete}|`],
      [`${EventCode.Kicked}|`],
      [],
    ]);
  });
});
