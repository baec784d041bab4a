import { describe, expect, it } from "vitest";
import { noAfterSession } from "../rpc/after-session.js";
import type { SessionOutput } from "../session/session-io.js";
import { applySessionOutput } from "./agent-session.js";
import { EventCode } from "./event-codes.js";
import { addCpeRequest, addEvent, emptyEventQueue, selectForInform } from "./event-queue.js";

const output = (over: Partial<SessionOutput> = {}): SessionOutput => ({
  outcome: "done",
  version: "1.4",
  informDelivered: true,
  informedEvents: [],
  deliveredCpeRequests: [],
  cpeResponses: {},
  rejectedCpeRequests: [],
  afterSession: noAfterSession,
  ...over,
});

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
    expect(done.rebootCommandKey).toBe("rb");
    const failed = applySessionOutput(
      q,
      selectForInform(q),
      output({ outcome: "failed", afterSession }),
      0,
    );
    expect(failed.rebootCommandKey).toBe(null);
  });
});
