/**
 * Every waiting state of the session machine against every message it does not expect, its
 * SessionTimeout, and the ACS request it cannot decode: which ones fail the session (and with
 * what reason and detail), which ones it answers and goes on (H1, H2, H10, V4, V6, §1.14-9003).
 */
import { describe, expect, it } from "vitest";
import { transition } from "xstate";
import type { CwmpMessage, SoapHeader } from "../soap/messages.js";
import { sessionMachine } from "./session.machine.js";
import type { SessionEvent } from "./session-events.js";
import { sessionInput } from "./test-support/session-fixtures.js";
import {
  acsFault,
  empty,
  gpv,
  informResponse,
  run,
  start,
  transferCompleteResponse,
} from "./test-support/session-transitions.js";

const tcResponse = transferCompleteResponse();
const answered: SessionEvent = {
  type: "RPC_ANSWERED",
  response: { _tag: "GetParameterValuesResponse", parameterList: [] },
  afterSession: { scheduleInforms: [], cpeRequests: [] },
};
const fault8002 = acsFault(8002, {}, "Internal error");
const invalidFault: CwmpMessage = {
  _tag: "Fault",
  faultcode: "Client",
  faultstring: "CWMP fault",
  detail: { faultCode: 9003, faultString: "Invalid arguments", setParameterValuesFaults: [] },
};
const invalid = (header: SoapHeader = { id: "acs-bad" }): SessionEvent => ({
  type: "INVALID_ACS_REQUEST",
  header,
  response: invalidFault,
});
const timeout = (path: string): SessionEvent =>
  ({ type: `xstate.after.SessionTimeout.session.${path}` }) as never;

/** The waiting states, each with the events that lead there from the start. */
const states = {
  inform: [] as SessionEvent[],
  sending: [informResponse()],
  emptyPost: [informResponse({ holdRequests: true })],
  responding: [informResponse({ holdRequests: true }), gpv(), answered],
} as const;

describe("session machine: messages a state does not expect (H1, H2, H10)", () => {
  it.each([
    ["sending", informResponse(), "unexpected INFORM_RESPONSE"],
    ["sending", gpv(), "unexpected ACS request GetParameterValues"],
    ["sending", empty, "unexpected EMPTY_RESPONSE"],
    ["sending", invalid(), "unexpected INVALID_ACS_REQUEST"],
    ["inform", invalid(), "unexpected INVALID_ACS_REQUEST"],
    ["emptyPost", tcResponse, "unexpected ACS response TransferCompleteResponse"],
    ["emptyPost", informResponse(), "unexpected INFORM_RESPONSE"],
    ["responding", tcResponse, "unexpected ACS response TransferCompleteResponse"],
    ["responding", informResponse(), "unexpected INFORM_RESPONSE"],
  ] as const)("H2 in %s, %o fails the session: %s", (state, event, detail) => {
    const s = run(start(), ...states[state], event);
    expect(s.value).toBe("failed");
    expect(s.output).toMatchObject({ outcome: "failed", reason: "UnexpectedMessage", detail });
  });

  it.each(["emptyPost", "responding"] as const)(
    "H10 in %s, an ACS fault fails the session with its code and string",
    (state) => {
      const s = run(start(), ...states[state], fault8002);
      expect(s.output).toMatchObject({
        outcome: "failed",
        reason: "AcsFault",
        faultCode: 8002,
        detail: "ACS fault 8002: Internal error",
      });
    },
  );

  it.each(Object.keys(states) as Array<keyof typeof states>)(
    "H10 in %s, a transport error or an undecodable body fails the session with its detail",
    (state) => {
      const lost = run(start(), ...states[state], {
        type: "TRANSPORT_ERROR",
        reason: "ConnectionLost",
        detail: "socket hang up",
      });
      expect(lost.output).toMatchObject({ reason: "ConnectionLost", detail: "socket hang up" });
      const bad = run(start(), ...states[state], { type: "BAD_ENVELOPE", detail: "not XML" });
      expect(bad.output).toMatchObject({ reason: "BadEnvelope", detail: "not XML" });
    },
  );

  it.each([...Object.keys(states), "handling"] as const)(
    "H10 in %s, a broken exchange fails the session as Internal",
    (state) => {
      const before =
        state === "handling"
          ? [informResponse(), tcResponse, gpv()]
          : states[state as keyof typeof states];
      const s = run(start(), ...before, { type: "EXCHANGE_FAILED", error: new Error("bug") });
      expect(s.output).toMatchObject({ reason: "Internal", detail: "Error: bug" });
    },
  );
});

describe("session machine: SessionTimeout in every waiting state (V6)", () => {
  it.each([
    ["inform", "inform"],
    ["sending", "cpeRequests.sending"],
    ["emptyPost", "emptyPost"],
    ["responding", "acsRequests.responding"],
  ] as const)("V6 in %s, no ACS message within SessionTimeout fails the session", (state, path) => {
    const s = run(start(), ...states[state], timeout(path));
    expect(s.output).toMatchObject({
      outcome: "failed",
      reason: "SessionTimeout",
      detail: "no ACS message within 30 s",
    });
  });

  it("V6 while the CPE's own handler runs, no SessionTimeout is armed", () => {
    const handling = run(start(), informResponse({ holdRequests: true }), gpv());
    expect(handling.value).toEqual({ acsRequests: "handling" });
    const s = run(handling, timeout("acsRequests.handling"));
    expect(s.value).toEqual({ acsRequests: "handling" });
  });
});

describe("session machine: an ACS request that cannot be decoded (§1.14-9003, V4)", () => {
  it.each(["emptyPost", "responding"] as const)(
    "§1.14-9003 in %s, it is answered with its fault under its cwmp:ID and the session goes on",
    (state) => {
      const header = { id: "acs-bad", holdRequests: true };
      const s = run(start(), ...states[state], invalid(header));
      expect(s.value).toEqual({ acsRequests: "responding" });
      expect(s.context.acsRequest).toEqual({ header, request: invalidFault });
      expect(s.context.cpeResponse).toEqual(invalidFault);
      const done = run(s, empty);
      expect(done.output).toMatchObject({ outcome: "done" });
    },
  );

  it("§1.14-9003 V5 its HoldRequests holds or releases the CPE's requests like any ACS envelope", () => {
    const held = run(start(), ...states.emptyPost, invalid({ id: "x", holdRequests: true }), empty);
    expect(held.output).toMatchObject({ outcome: "done", heldCpeRequests: ["tc-1"] });
    const released = run(start(), ...states.emptyPost, invalid({ id: "x" }), empty);
    expect(released.value).toEqual({ cpeRequests: "sending" });
  });

  it("§1.14-9003 a second undecodable request re-enters responding: the new fault is posted", () => {
    const first = run(start(), ...states.emptyPost, invalid({ id: "bad-1" }));
    const second = run(first, invalid({ id: "bad-2" }));
    expect(second.value).toEqual({ acsRequests: "responding" });
    expect(second.context.acsRequest?.header.id).toBe("bad-2");
    // The entry action (the POST of the answer) runs again: the transition re-enters.
    const [, actions] = transition(sessionMachine, first, invalid({ id: "bad-2" }));
    expect(actions.map((a) => a.type)).toContain("post");
  });
});

describe("session machine: HoldRequests and resends across messages (V5, H11)", () => {
  it("V5 an ACS request with HoldRequests=false clears a hold the InformResponse set", () => {
    const s = run(
      start(),
      informResponse({ holdRequests: true }),
      gpv({ id: "a", holdRequests: false }),
    );
    expect(s.context.holdRequests).toBe(false);
  });

  it("H11 a request rejected after a resend leaves the next request its own resends", () => {
    const twoQueued = sessionInput({
      maxRetryRequests: 1,
      cpeRequests: [
        sessionInput().cpeRequests![0]!,
        { ...sessionInput().cpeRequests![0]!, id: "tc-2" },
      ],
    });
    const s = run(
      start(twoQueued),
      informResponse(),
      acsFault(8005),
      acsFault(9000),
      acsFault(8005),
    );
    expect(s.value).toEqual({ cpeRequests: "sending" });
    expect(s.context.queue[s.context.next]?.id).toBe("tc-2");
    expect(s.context.retries).toBe(1);
  });

  it("H11 a resend re-enters the state: the Inform or the request is posted again under a new cwmp:ID", () => {
    const fault8005: SessionEvent = {
      type: "ACS_FAULT",
      header: {},
      faultCode: 8005,
      faultString: "retry",
    };
    const inform = run(start(), fault8005);
    expect(inform.context.sent).toBe(2);
    const sending = run(start(), informResponse(), fault8005);
    expect(sending.context.sent).toBe(3);
  });
});
