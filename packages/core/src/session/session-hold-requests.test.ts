/**
 * V5 HoldRequests set or cleared by the ACS's answer to a CPE request, with a second request
 * queued behind it; and the details a failed session reports besides its reason (H10).
 */
import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { sessionMachine } from "./session.machine.js";
import { promiseExchange } from "./session-exchange.js";
import type { PostOutput } from "./session-io.js";
import { sessionInput } from "./test-support/session-fixtures.js";
import {
  empty,
  acsFault as fault,
  informResponse,
  run,
  type SessionSnapshot as Snapshot,
  start,
  transferCompleteResponse as tcResponse,
} from "./test-support/session-transitions.js";

const base = sessionInput();
const twoQueued = sessionInput({
  cpeRequests: [base.cpeRequests![0]!, { ...base.cpeRequests![0]!, id: "tc-2" }],
});
const sendingId = (s: Snapshot) => s.context.queue[s.context.next]?.id;

describe("V5 HoldRequests in the answer to a CPE request", () => {
  it("V5 a TransferCompleteResponse with HoldRequests=true holds the second queued request to the session's end", () => {
    const held = run(start(twoQueued), informResponse(), tcResponse({ holdRequests: true }));
    expect(held.value).toBe("emptyPost");
    const s = run(held, empty);
    expect(s.output).toMatchObject({
      outcome: "done",
      deliveredCpeRequests: ["tc-1"],
      heldCpeRequests: ["tc-2"],
    });
  });

  it("V5 a TransferCompleteResponse without HoldRequests (or with false) lets the second request go next", () => {
    for (const header of [{}, { holdRequests: false }]) {
      const s = run(start(twoQueued), informResponse(), tcResponse(header));
      expect(s.value).toEqual({ cpeRequests: "sending" });
      expect(sendingId(s)).toBe("tc-2");
    }
  });

  it("V5 an ACS request without HoldRequests clears the hold set by the answer to a CPE request: the second request goes after the ACS's empty answer", () => {
    const s = run(
      start(twoQueued),
      informResponse(),
      tcResponse({ holdRequests: true }),
      {
        type: "ACS_REQUEST",
        header: { id: "a" },
        request: { _tag: "GetRPCMethods" },
      },
      {
        type: "RPC_ANSWERED",
        response: { _tag: "GetRPCMethodsResponse", methodList: [] },
        afterSession: { scheduleInforms: [], cpeRequests: [] },
      },
      empty,
    );
    expect(s.value).toEqual({ cpeRequests: "sending" });
    expect(sendingId(s)).toBe("tc-2");
  });

  it("V5 H11 a fault rejecting the first request with HoldRequests=true holds the second", () => {
    const s = run(start(twoQueued), informResponse(), fault(8000, { holdRequests: true }), empty);
    expect(s.output).toMatchObject({
      outcome: "done",
      rejectedCpeRequests: [{ id: "tc-1", faultCode: 8000, faultString: "fault 8000" }],
      heldCpeRequests: ["tc-2"],
    });
    const next = run(start(twoQueued), informResponse(), fault(8000));
    expect(sendingId(next)).toBe("tc-2");
  });

  it("H11 a resend after 8005 counts again from zero for the next request", () => {
    const s = run(
      start(sessionInput({ ...twoQueued, maxRetryRequests: 1 })),
      informResponse(),
      fault(8005),
      tcResponse(),
      fault(8005),
    );
    // tc-2 got its own resend although tc-1 used the only one allowed.
    expect(s.value).toEqual({ cpeRequests: "sending" });
    expect(sendingId(s)).toBe("tc-2");
    expect(s.context.retries).toBe(1);
  });
});

describe("H10 failure details", () => {
  it("H10 an ACS fault reports its code and string in the detail", () => {
    const s = run(start(), fault(8002));
    expect(s.output).toMatchObject({
      reason: "AcsFault",
      faultCode: 8002,
      detail: "ACS fault 8002: fault 8002",
    });
  });

  it("H1 an unexpected message is named in the detail", () => {
    expect(run(start(), tcResponse()).output?.detail).toBe(
      "unexpected ACS response TransferCompleteResponse",
    );
    expect(run(start(), empty).output?.detail).toBe("unexpected EMPTY_RESPONSE");
    expect(
      run(start(), { type: "ACS_REQUEST", header: {}, request: { _tag: "GetRPCMethods" } }).output
        ?.detail,
    ).toBe("unexpected ACS request GetRPCMethods");
  });

  it("V7 an unsupported UseCWMPVersion is named in the detail", () => {
    const s = run(
      start(sessionInput({ version: "1.2" })),
      informResponse({ useCwmpVersion: "1.4" }),
    );
    expect(s.output).toMatchObject({
      reason: "VersionIncompatible",
      detail: "UseCWMPVersion 1.4 is not supported",
    });
  });

  it("V6 the timeout detail gives the SessionTimeout in force", () => {
    const timeout = { type: "xstate.after.SessionTimeout.session.inform" } as never;
    expect(run(start(), timeout).output?.detail).toBe("no ACS message within 30 s");
    const later = run(start(), informResponse({ sessionTimeout: 90 }), tcResponse(), {
      type: "xstate.after.SessionTimeout.session.emptyPost",
    } as never);
    expect(later.output).toMatchObject({
      reason: "SessionTimeout",
      detail: "no ACS message within 90 s",
    });
  });

  it("H10 a transport error keeps its detail; Retry-After only when the ACS gave one", () => {
    const s = run(start(), { type: "TRANSPORT_ERROR", reason: "ConnectionLost", detail: "reset" });
    expect(s.output).toMatchObject({ reason: "ConnectionLost", detail: "reset" });
    expect(s.output).not.toHaveProperty("retryAfter");
    expect(s.output).not.toHaveProperty("faultCode");
    const bad = run(start(), { type: "BAD_ENVELOPE", detail: "not XML" });
    expect(bad.output).toMatchObject({ reason: "BadEnvelope", detail: "not XML" });
  });

  it("H10 a failing post exchange that is not a transport error is an Internal failure with the error as detail", async () => {
    const exchange = promiseExchange({ post: () => Promise.reject(new Error("boom")) });
    const actor = createActor(sessionMachine, { input: { ...sessionInput(), exchange } });
    const done = new Promise<unknown>((resolve) =>
      actor.subscribe({ complete: () => resolve(actor.getSnapshot().output) }),
    );
    actor.start();
    expect(await done).toMatchObject({
      outcome: "failed",
      reason: "Internal",
      detail: "Error: boom",
    });
  });

  it("V6 the session fails after SessionTimeout seconds without an ACS message, not before", () => {
    let now = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    let nextId = 1;
    const clock = {
      setTimeout: (fn: () => void, ms: number) => {
        const id = nextId++;
        timers.set(id, { at: now + ms, fn });
        return id;
      },
      clearTimeout: (id: number) => void timers.delete(id),
    };
    const advanceTo = (t: number) => {
      now = t;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.fn();
        }
      }
    };
    const exchange = promiseExchange({ post: () => new Promise<PostOutput>(() => {}) });
    const actor = createActor(sessionMachine, {
      input: { ...sessionInput(), exchange },
      clock: clock as never,
    });
    actor.start();
    advanceTo(29_999);
    expect(actor.getSnapshot().value).toBe("inform");
    advanceTo(30_000);
    expect(actor.getSnapshot().output).toMatchObject({ reason: "SessionTimeout" });
    actor.stop();
  });
});
