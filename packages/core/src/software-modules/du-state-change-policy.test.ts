import { describe, expect, it } from "vitest";
import { type DuStateChangePolicy, isDuChangeReported } from "./du-state-change-policy.js";

const policy: DuStateChangePolicy = {
  enable: true,
  operationTypeFilter: ["Install", "Uninstall"],
  resultTypeFilter: "Both",
  faultCodeFilter: ["9018", "9027"],
};

describe("DUStateChangeComplPolicy (§1.13)", () => {
  it("§1.5-12-AUTONOMOUS-DU-STATE-CHANGE-COMPLETE reports only what every filter includes", () => {
    expect(isDuChangeReported(policy, { operation: "Install", faultCode: 0 })).toBe(true);
    expect(isDuChangeReported(policy, { operation: "Uninstall", faultCode: 0 })).toBe(true);
    expect(isDuChangeReported(policy, { operation: "Update", faultCode: 0 })).toBe(false);
    expect(
      isDuChangeReported({ ...policy, enable: false }, { operation: "Install", faultCode: 0 }),
    ).toBe(false);
    expect(isDuChangeReported(policy, { operation: "Install", faultCode: 9027 })).toBe(true);
    expect(isDuChangeReported(policy, { operation: "Install", faultCode: 9026 })).toBe(false);
    const success = { ...policy, resultTypeFilter: "Success" };
    expect(isDuChangeReported(success, { operation: "Install", faultCode: 0 })).toBe(true);
    expect(isDuChangeReported(success, { operation: "Install", faultCode: 9027 })).toBe(false);
    const failure = { ...policy, resultTypeFilter: "Failure" };
    expect(isDuChangeReported(failure, { operation: "Install", faultCode: 0 })).toBe(false);
    expect(isDuChangeReported(failure, { operation: "Install", faultCode: 9018 })).toBe(true);
    expect(
      isDuChangeReported(
        { ...policy, resultTypeFilter: "" },
        { operation: "Install", faultCode: 0 },
      ),
    ).toBe(false);
  });
});
