import { describe, expect, it } from "vitest";
import { describeMessage } from "./describe-message.js";

describe("describeMessage", () => {
  it("shows an Inform's events with their CommandKeys", () => {
    expect(
      describeMessage({
        _tag: "Inform",
        deviceId: { manufacturer: "m", oui: "00CAFE", productClass: "p", serialNumber: "s" },
        event: [
          { eventCode: "1 BOOT", commandKey: "" },
          { eventCode: "M Reboot", commandKey: "k1" },
        ],
        maxEnvelopes: 1,
        currentTime: "2026-01-01T00:00:00Z",
        retryCount: 0,
        parameterList: [],
      }),
    ).toBe("Inform [1 BOOT, M Reboot(k1)]");
  });

  it("shows a 9003 fault with the code of each parameter", () => {
    expect(
      describeMessage({
        _tag: "Fault",
        faultcode: "Client",
        faultstring: "CWMP fault",
        detail: {
          faultCode: 9003,
          faultString: "Invalid arguments",
          setParameterValuesFaults: [
            { parameterName: "A.B", faultCode: 9008, faultString: "not writable" },
            { parameterName: "A.C", faultCode: 9007, faultString: "bad value" },
          ],
        },
      }),
    ).toBe("Fault 9003 Invalid arguments [A.B=9008, A.C=9007]");
  });

  it("abbreviates long name lists and counts plurals right", () => {
    expect(
      describeMessage({ _tag: "GetParameterValues", parameterNames: ["A", "B", "C", "D"] }),
    ).toBe("GetParameterValues A, B, +2");
    expect(
      describeMessage({
        _tag: "GetParameterValuesResponse",
        parameterList: [{ name: "A", value: "1", type: "int" }],
      }),
    ).toBe("GetParameterValuesResponse (1 value)");
  });
});
