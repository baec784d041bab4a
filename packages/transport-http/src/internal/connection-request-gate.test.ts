import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type GateState,
  gateOnRequest,
  gateOnSessionEnd,
  gateOnSessionStart,
  initialGate,
} from "./connection-request-gate.js";

type Step = "request" | "start" | "end";

/** Runs steps through the gate and counts triggers; `start` only while a trigger waits, like the agent. */
const run = (steps: readonly Step[]) => {
  let s: GateState = initialGate;
  let triggers = 0;
  let outstanding = 0;
  let inSession = false;
  let requestsSinceCovered = 0;
  for (const step of steps) {
    if (step === "request") {
      const [emit, next] = gateOnRequest(s);
      s = next;
      requestsSinceCovered++;
      if (emit) {
        triggers++;
        outstanding++;
      }
    } else if (step === "start" && outstanding > 0 && !inSession) {
      outstanding--;
      inSession = true;
      s = gateOnSessionStart(s);
      requestsSinceCovered = 0;
    } else if (step === "end" && inSession) {
      inSession = false;
      const [emit, next] = gateOnSessionEnd(s);
      s = next;
      if (emit) {
        triggers++;
        outstanding++;
      }
    }
  }
  return { triggers, outstanding, state: s, requestsSinceCovered, inSession };
};

describe("connection request gate (C5)", () => {
  it("several requests before the session give one trigger", () => {
    expect(run(["request", "request", "request"]).triggers).toBe(1);
  });

  it("requests during a session give one trigger after it ends", () => {
    const r = run(["request", "start", "request", "request"]);
    expect(r.triggers).toBe(1);
    expect(run(["request", "start", "request", "request", "end"]).triggers).toBe(2);
    expect(run(["request", "start", "end"]).triggers).toBe(1);
  });

  test.prop([fc.array(fc.constantFrom<Step>("request", "start", "end"), { maxLength: 60 })])(
    "at most one trigger is ever outstanding, and a request is never left without a trigger or session to cover it",
    (steps) => {
      const r = run(steps);
      expect(r.outstanding).toBeLessThanOrEqual(1);
      // Outside a session, a request seen since the last session start implies a waiting trigger.
      if (!r.inSession && r.requestsSinceCovered > 0) expect(r.outstanding).toBe(1);
    },
  );
});
