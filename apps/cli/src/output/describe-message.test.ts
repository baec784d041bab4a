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

  it("shows ChangeDUState's operations and DUStateChangeComplete's results", () => {
    expect(
      describeMessage({
        _tag: "ChangeDUState",
        operations: [
          { _tag: "InstallOpStruct", url: "http://h/app.json" },
          { _tag: "UpdateOpStruct", uuid: "u-1" },
          { _tag: "UninstallOpStruct", uuid: "u-2" },
        ],
        commandKey: "k",
      }),
    ).toBe("ChangeDUState Install http://h/app.json, Update u-1, Uninstall u-2");
    const result = {
      uuid: "u-1",
      deploymentUnitRef: "Device.SoftwareModules.DeploymentUnit.1",
      version: "1.0",
      currentState: "Installed",
      resolved: true,
      executionUnitRefList: "",
      startTime: "",
      completeTime: "",
      fault: { faultCode: 0 },
    };
    expect(
      describeMessage({
        _tag: "DUStateChangeComplete",
        commandKey: "k",
        results: [
          result,
          { ...result, deploymentUnitRef: "", currentState: "Failed", fault: { faultCode: 9018 } },
        ],
      }),
    ).toBe(
      "DUStateChangeComplete commandKey=k: Installed Device.SoftwareModules.DeploymentUnit.1 1.0 fault 0, Failed u-1 1.0 fault 9018",
    );
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
