/**
 * Layer (a): the session machine's rules as pure transitions (no actor runs, no I/O).
 */
import { fc, it as prop } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { SessionEvent } from "./session-events.js";
import { sessionInput } from "./test-support/session-fixtures.js";
import {
  acsFault,
  empty,
  gpv,
  informResponse,
  run,
  type SessionSnapshot as Snapshot,
  start,
  transferCompleteResponse,
} from "./test-support/session-transitions.js";

describe("session machine transitions", () => {
  it("H1: a session starts by posting the Inform", () => {
    expect(start().value).toBe("inform");
  });

  it.each([
    ["an ACS request", gpv()],
    ["a TransferCompleteResponse", transferCompleteResponse()],
    ["an empty answer", empty],
  ])("H1: %s where the InformResponse is due fails the session", (_, event) => {
    const s = run(start(), event);
    expect(s.value).toBe("failed");
    expect(s.output).toMatchObject({
      outcome: "failed",
      reason: "UnexpectedMessage",
      informDelivered: false,
      informedEvents: [],
    });
  });

  it("H1: a SOAP Fault answering the Inform fails the session with the fault code", () => {
    const s = run(start(), acsFault(8002));
    expect(s.output).toMatchObject({ outcome: "failed", reason: "AcsFault", faultCode: 8002 });
  });

  it("H1, H2: the InformResponse delivers the events and opens the CPE requests", () => {
    const s = run(start(), informResponse());
    expect(s.value).toEqual({ cpeRequests: "sending" });
    expect(s.context.informDelivered).toBe(true);
  });

  it("H2: with no CPE request queued the InformResponse leads to the empty POST", () => {
    const s = run(start(sessionInput({ cpeRequests: [] })), informResponse());
    expect(s.value).toBe("emptyPost");
  });

  it("H2, H3: TransferComplete, empty POST, 204 ends the session; the request is delivered", () => {
    const s = run(start(), informResponse(), transferCompleteResponse(), empty);
    expect(s.value).toBe("done");
    expect(s.output).toMatchObject({
      outcome: "done",
      informDelivered: true,
      informedEvents: [{ eventCode: "7 TRANSFER COMPLETE", commandKey: "" }],
      deliveredCpeRequests: ["tc-1"],
      cpeResponses: { "tc-1": { _tag: "TransferCompleteResponse" } },
    });
  });

  it("H2: a response that does not answer the CPE request fails the session", () => {
    const s = run(start(), informResponse(), {
      type: "ACS_RESPONSE",
      header: {},
      response: { _tag: "RequestDownloadResponse" },
    });
    expect(s.output).toMatchObject({ reason: "UnexpectedMessage", deliveredCpeRequests: [] });
  });

  it("V5: HoldRequests=true in the InformResponse skips the CPE requests to the empty POST", () => {
    const s = run(start(), informResponse({ holdRequests: true }));
    expect(s.value).toBe("emptyPost");
  });

  it("V5 H3: requests held by the InformResponse are not sent after the ACS's empty answer: the session is done and reports them held", () => {
    const s = run(start(), informResponse({ holdRequests: true }), empty);
    expect(s.value).toBe("done");
    expect(s.output).toMatchObject({
      outcome: "done",
      deliveredCpeRequests: [],
      heldCpeRequests: ["tc-1"],
    });
  });

  it("V5 H3: held CPE requests wait while the ACS's requests carry HoldRequests=true, and stay held when the ACS ends the session", () => {
    const s = run(
      start(),
      informResponse({ holdRequests: true }),
      gpv({ id: "a", holdRequests: true }),
    );
    expect(s.value).toEqual({ acsRequests: "handling" });
    expect(s.context.holdRequests).toBe(true);
    const after = run(
      s,
      {
        type: "RPC_ANSWERED",
        response: { _tag: "GetParameterValuesResponse", parameterList: [] },
        afterSession: { scheduleInforms: [], cpeRequests: [] },
      },
      empty,
    );
    expect(after.value).toBe("done");
    expect(after.output).toMatchObject({ outcome: "done", heldCpeRequests: ["tc-1"] });
  });

  it("V5: an ACS request without HoldRequests clears it: the held requests go out after the ACS's empty answer, then the session ends", () => {
    const cleared = run(start(), informResponse({ holdRequests: true }), gpv({ id: "a" }), {
      type: "RPC_ANSWERED",
      response: { _tag: "GetParameterValuesResponse", parameterList: [] },
      afterSession: { scheduleInforms: [], cpeRequests: [] },
    });
    expect(cleared.context.holdRequests).toBe(false);
    const sending = run(cleared, empty);
    expect(sending.value).toEqual({ cpeRequests: "sending" });
    const s = run(sending, transferCompleteResponse(), empty);
    expect(s.output).toMatchObject({
      outcome: "done",
      deliveredCpeRequests: ["tc-1"],
      heldCpeRequests: [],
    });
  });

  it("H2 H3: with no request held the output reports none held", () => {
    const s = run(start(), informResponse(), transferCompleteResponse(), empty);
    expect(s.output?.heldCpeRequests).toEqual([]);
  });

  it("H11: fault 8005 to the Inform resends the Inform", () => {
    const s = run(start(), acsFault(8005));
    expect(s.value).toBe("inform");
    expect(s.context.retries).toBe(1);
    expect(s.context.sent).toBe(2);
  });

  it("H11: fault 8005 resends are bounded by maxRetryRequests", () => {
    const s = run(start(sessionInput({ maxRetryRequests: 2 })), ...Array(3).fill(acsFault(8005)));
    expect(s.output).toMatchObject({ outcome: "failed", reason: "AcsFault", faultCode: 8005 });
  });

  it("H11: fault 8005 to a TransferComplete resends it, then its response delivers it", () => {
    const resent = run(start(), informResponse(), acsFault(8005));
    expect(resent.value).toEqual({ cpeRequests: "sending" });
    expect(resent.context.retries).toBe(1);
    const s = run(resent, transferCompleteResponse(), empty);
    expect(s.output).toMatchObject({ outcome: "done", deliveredCpeRequests: ["tc-1"] });
  });

  it("H2: another fault to a CPE request rejects it and the session goes on", () => {
    const s = run(start(), informResponse(), acsFault(8000), empty);
    expect(s.output).toMatchObject({
      outcome: "done",
      deliveredCpeRequests: [],
      rejectedCpeRequests: [{ id: "tc-1", faultCode: 8000 }],
    });
  });

  it("V7: UseCWMPVersion in the InformResponse selects the session's version", () => {
    const s = run(start(), informResponse({ useCwmpVersion: "1.2" }));
    expect(s.context.version).toBe("1.2");
  });

  it("V7: an UseCWMPVersion the agent does not speak fails with VersionIncompatible", () => {
    const s = run(
      start(sessionInput({ version: "1.2" })),
      informResponse({ useCwmpVersion: "1.4" }),
    );
    expect(s.output).toMatchObject({ outcome: "failed", reason: "VersionIncompatible" });
  });

  it("V7: fault 8006 to the Inform fails with VersionIncompatible", () => {
    const s = run(start(), acsFault(8006));
    expect(s.output).toMatchObject({ reason: "VersionIncompatible", faultCode: 8006 });
  });

  it("V6: SessionTimeout in the InformResponse replaces the agent's value", () => {
    expect(start().context.sessionTimeout).toBe(30);
    const s = run(start(), informResponse({ sessionTimeout: 90 }));
    expect(s.context.sessionTimeout).toBe(90);
  });

  it("V6: no ACS message within SessionTimeout fails the session", () => {
    const s = run(start(), { type: "xstate.after.SessionTimeout.session.inform" } as never);
    expect(s.output).toMatchObject({ outcome: "failed", reason: "SessionTimeout" });
  });

  it("H2, V4: ACS requests are handled and answered until the ACS's empty answer (H3)", () => {
    const s = run(start(sessionInput({ cpeRequests: [] })), informResponse(), empty);
    expect(s.output).toMatchObject({ outcome: "done" });
    const handling = run(start(sessionInput({ cpeRequests: [] })), informResponse(), gpv());
    expect(handling.value).toEqual({ acsRequests: "handling" });
    expect(handling.context.acsRequest?.header.id).toBe("acs-1");
    const answered = run(handling, {
      type: "RPC_ANSWERED",
      response: { _tag: "RebootResponse" },
      afterSession: { reboot: "rb-1", scheduleInforms: [], cpeRequests: [] },
    });
    expect(answered.value).toEqual({ acsRequests: "responding" });
    const next = run(answered, gpv({ id: "acs-2" }));
    expect(next.value).toEqual({ acsRequests: "handling" });
    expect(next.context.acsRequest?.header.id).toBe("acs-2");
    const done = run(answered, empty);
    expect(done.output).toMatchObject({ outcome: "done", afterSession: { reboot: "rb-1" } });
  });

  it.each([
    ["inform", [] as SessionEvent[]],
    ["cpeRequests", [informResponse()]],
    ["emptyPost", [informResponse({ holdRequests: true })]],
  ])(
    "H10: a transport error in %s fails the session with its reason and Retry-After",
    (_, before) => {
      const s = run(start(), ...before, {
        type: "TRANSPORT_ERROR",
        reason: "HttpStatus",
        detail: "HTTP 503",
        retryAfter: 60,
      });
      expect(s.output).toMatchObject({ outcome: "failed", reason: "HttpStatus", retryAfter: 60 });
    },
  );

  it("H10: an undecodable ACS body fails the session with BadEnvelope", () => {
    const s = run(start(), { type: "BAD_ENVELOPE", detail: "not XML" });
    expect(s.output).toMatchObject({ outcome: "failed", reason: "BadEnvelope" });
  });

  it("H1: at most 64 events go into the Inform", () => {
    const event = Array.from({ length: 70 }, (_, i) => ({
      eventCode: "M Download",
      commandKey: `k${i}`,
    }));
    const base = sessionInput();
    const s = run(start({ ...base, inform: { ...base.inform, event } }), informResponse());
    expect(s.output).toBeUndefined();
    expect(s.context.inform.event).toHaveLength(64);
  });
});

/** Any ACS behaviour: a random mix of the answers and failures an ACS or a network can give. */
const anyEvent: fc.Arbitrary<SessionEvent> = fc.oneof(
  fc.record({ holdRequests: fc.boolean() }).map((h) => informResponse(h)),
  fc.record({ holdRequests: fc.boolean() }).map((h) => transferCompleteResponse(h)),
  fc.constantFrom(8000, 8002, 8005, 8006).map((code) => acsFault(code)),
  fc.record({ id: fc.string({ maxLength: 4 }), holdRequests: fc.boolean() }).map((h) => gpv(h)),
  fc.constant(empty),
  fc.constant<SessionEvent>({
    type: "RPC_ANSWERED",
    response: { _tag: "RebootResponse" },
    afterSession: { reboot: "k", scheduleInforms: [], cpeRequests: [] },
  }),
  fc.constant<SessionEvent>({ type: "TRANSPORT_ERROR", reason: "ConnectionLost", detail: "x" }),
);

describe("session machine invariants", () => {
  prop.prop([fc.array(anyEvent, { maxLength: 30 }), fc.integer({ min: 0, max: 3 })])(
    "H1 H3 V5: whatever the ACS sends, nothing but the Inform goes out before the InformResponse, a final state never changes, and a done session left requests unsent only when the ACS's last envelope held them",
    (events, queued) => {
      const base = sessionInput();
      const queue = Array.from({ length: queued }, (_, i) => ({
        ...base.cpeRequests![0]!,
        id: `tc-${i}`,
      }));
      let s = start(sessionInput({ cpeRequests: queue }));
      let final: Snapshot | undefined;
      for (const event of events) {
        s = run(s, event);
        if (!s.context.informDelivered) expect(["inform", "failed"]).toContain(s.value);
        if (final !== undefined) expect(s.value).toBe(final.value);
        else if (s.status === "done") final = s;
      }
      if (s.output !== undefined) {
        const delivered = s.output.deliveredCpeRequests.length;
        const rejected = s.output.rejectedCpeRequests.length;
        expect(delivered + rejected).toBeLessThanOrEqual(queued);
        expect(s.output.outcome).toBe(s.value === "done" ? "done" : "failed");
        // H3: a session is done only when every queued CPE request was answered or is held by
        // the ACS's last envelope (HoldRequests=true).
        if (s.output.outcome === "done") {
          expect(delivered + rejected + s.output.heldCpeRequests.length).toBe(queued);
          if (s.output.heldCpeRequests.length > 0) expect(s.context.holdRequests).toBe(true);
        } else expect(s.output.heldCpeRequests).toEqual([]);
      }
    },
  );
});
