import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { cwmpFault } from "../cwmp/fault.js";
import { fakeDataModel } from "../session/test-support/session-fixtures.js";
import type { CwmpMessage } from "../soap/messages.js";
import { makeBuiltInRpcRegistry } from "./built-in-handlers.js";
import type { RpcDataModel } from "./rpc-data-model.js";

const run = (request: CwmpMessage, dataModel: RpcDataModel = fakeDataModel) =>
  Effect.runPromise(
    makeBuiltInRpcRegistry().dispatch(request, {
      dataModel,
      session: { version: "1.4", header: {} },
    }),
  );

describe("built-in RPC handlers", () => {
  it("GetParameterValues answers the data model's values", async () => {
    const { response } = await run({
      _tag: "GetParameterValues",
      parameterNames: ["Device.DeviceInfo.SerialNumber"],
    });
    expect(response).toEqual({
      _tag: "GetParameterValuesResponse",
      parameterList: [{ name: "Device.DeviceInfo.SerialNumber", value: "SN0001", type: "string" }],
    });
  });

  it("§1.14: the data model's fault passes through unchanged (9005, Client)", async () => {
    const { response } = await run({ _tag: "GetParameterValues", parameterNames: ["Device.X"] });
    expect(response).toMatchObject({
      _tag: "Fault",
      faultcode: "Client",
      detail: { faultCode: 9005 },
    });
  });

  it("§1.12: SetParameterValues sends the per-parameter faults of a refused 9003", async () => {
    const refusing: RpcDataModel = {
      ...fakeDataModel,
      setParameterValues: () =>
        Effect.fail(
          cwmpFault(9003, undefined, [
            { parameterName: "Device.A", faultCode: 9007, faultString: "Invalid parameter value" },
          ]),
        ),
    };
    const { response } = await run(
      { _tag: "SetParameterValues", parameterList: [], parameterKey: "k" },
      refusing,
    );
    expect(response).toMatchObject({
      faultcode: "Client",
      detail: {
        faultCode: 9003,
        setParameterValuesFaults: [{ parameterName: "Device.A", faultCode: 9007 }],
      },
    });
  });

  it("SetParameterValues, AddObject and DeleteObject answer the data model's status", async () => {
    expect(
      (await run({ _tag: "SetParameterValues", parameterList: [], parameterKey: "k" })).response,
    ).toEqual({ _tag: "SetParameterValuesResponse", status: 0 });
    expect(
      (await run({ _tag: "AddObject", objectName: "Device.NAT.PortMapping.", parameterKey: "" }))
        .response,
    ).toEqual({ _tag: "AddObjectResponse", instanceNumber: 1, status: 0 });
    expect(
      (
        await run({
          _tag: "DeleteObject",
          objectName: "Device.NAT.PortMapping.1.",
          parameterKey: "",
        })
      ).response,
    ).toEqual({ _tag: "DeleteObjectResponse", status: 0 });
  });

  it("Reboot answers RebootResponse and records the reboot with its CommandKey", async () => {
    const result = await run({ _tag: "Reboot", commandKey: "rb-7" });
    expect(result.response).toEqual({ _tag: "RebootResponse" });
    expect(result.afterSession.reboot).toBe("rb-7");
    expect(result.afterSession.factoryReset).toBeUndefined();
  });

  it("FactoryReset answers at once and records the reset for after the session", async () => {
    const result = await run({ _tag: "FactoryReset" });
    expect(result.response).toEqual({ _tag: "FactoryResetResponse" });
    expect(result.afterSession.factoryReset).toBe(true);
  });

  it("ScheduleInform hands the trigger to the agent; DelaySeconds 0 is 9003 [R]", async () => {
    const ok = await run({ _tag: "ScheduleInform", delaySeconds: 60, commandKey: "s1" });
    expect(ok.response).toEqual({ _tag: "ScheduleInformResponse" });
    expect(ok.afterSession.scheduleInforms).toEqual([{ delaySeconds: 60, commandKey: "s1" }]);
    const zero = await run({ _tag: "ScheduleInform", delaySeconds: 0, commandKey: "s2" });
    expect(zero.response).toMatchObject({ detail: { faultCode: 9003 } });
    expect(zero.afterSession.scheduleInforms).toEqual([]);
  });

  it("§1.4 ScheduleInform with a CommandKey over 32 characters is 9003 and schedules nothing", async () => {
    const max = await run({ _tag: "ScheduleInform", delaySeconds: 5, commandKey: "x".repeat(32) });
    expect(max.response).toEqual({ _tag: "ScheduleInformResponse" });
    const long = await run({ _tag: "ScheduleInform", delaySeconds: 5, commandKey: "x".repeat(33) });
    expect(long.response).toMatchObject({ detail: { faultCode: 9003 } });
    expect(long.afterSession.scheduleInforms).toEqual([]);
  });
});
