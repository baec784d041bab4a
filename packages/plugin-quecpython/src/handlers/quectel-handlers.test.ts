import {
  type CwmpMessage,
  cwmpFault,
  type DispatchContext,
  makeBuiltInRpcRegistry,
  type RpcDataModel,
} from "@cpekit/core";
import { fc, test } from "@fast-check/vitest";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { quectelElementOf } from "./quectel-element.js";
import { quectelFault, quectelHandlers } from "./quectel-handlers.js";

const unused = () => Effect.die("not used by these tests");
const dataModel: RpcDataModel = {
  getParameterValues: (names) =>
    Effect.succeed(names.map((name) => ({ name, value: `v:${name}`, type: "string" }))),
  getParameterNames: unused,
  setParameterValues: unused,
  getParameterAttributes: unused,
  setParameterAttributes: unused,
  addObject: unused,
  deleteObject: unused,
};
const context: DispatchContext = { dataModel, session: { version: "1.2", header: { id: "a-1" } } };

const diag: CwmpMessage = {
  _tag: "VendorMessage",
  name: "X_QUECTEL_Diag",
  element: {
    name: "cwmp:X_QUECTEL_Diag",
    namespace: "cwmp",
    localName: "X_QUECTEL_Diag",
    attributes: {},
    text: "",
    children: [
      {
        name: "Target",
        localName: "Target",
        attributes: { kind: "ping" },
        text: "127.0.0.1",
        children: [],
      },
    ],
  },
};

const faultCodeOf = (m: CwmpMessage) => (m._tag === "Fault" ? m.detail?.faultCode : undefined);

describe("Quectel-style handler table", () => {
  it("a ported handler reads the request like Quectel's parseXml output and answers body XML", async () => {
    const registry = makeBuiltInRpcRegistry();
    const table = quectelHandlers(registry);
    table.register("X_QUECTEL_Diag", async ({ request, getValues }) => {
      const target = request.children.find((c) => c.localName === "Target");
      const [model] = await getValues(["Device.DeviceInfo.ModelName"]);
      return `<cwmp:X_QUECTEL_DiagResponse><Target kind="${target?.attrs.kind}">${target?.text}</Target><Model>${model?.value}</Model></cwmp:X_QUECTEL_DiagResponse>`;
    });
    const { response } = await Effect.runPromise(registry.dispatch(diag, context));
    expect(response._tag).toBe("VendorMessage");
    const element = response._tag === "VendorMessage" ? response.element : undefined;
    expect(element?.localName).toBe("X_QUECTEL_DiagResponse");
    expect(element?.children.map((c) => [c.localName, c.text, c.attributes])).toEqual([
      ["Target", "127.0.0.1", { kind: "ping" }],
      ["Model", "v:Device.DeviceInfo.ModelName", {}],
    ]);
  });

  it("body XML of a CWMP method becomes its typed response, so a built-in can be overridden", async () => {
    const registry = makeBuiltInRpcRegistry();
    quectelHandlers(registry).register("Reboot", ({ request }) =>
      request.localName === "Reboot" ? "<cwmp:RebootResponse/>" : quectelFault(9003),
    );
    const { response, afterSession } = await Effect.runPromise(
      registry.dispatch({ _tag: "Reboot", commandKey: "k" }, context),
    );
    expect(response).toEqual({ _tag: "RebootResponse" });
    // The override replaced the built-in: no reboot is recorded.
    expect(afterSession.reboot).toBeUndefined();
  });

  it("§1.14 a returned or thrown fault is answered as that fault; another throw or a body without an element is 9002", async () => {
    const registry = makeBuiltInRpcRegistry();
    const table = quectelHandlers(registry);
    table.register("X_A", () => quectelFault(9001, "denied"));
    table.register("X_B", () => {
      throw cwmpFault(9003);
    });
    table.register("X_C", () => {
      throw new Error("boom");
    });
    table.register("X_D", () => "no element at all");
    const codes = [];
    for (const name of ["X_A", "X_B", "X_C", "X_D"]) {
      const { response } = await Effect.runPromise(
        registry.dispatch({ ...diag, name } as CwmpMessage, context),
      );
      codes.push(faultCodeOf(response));
    }
    expect(codes).toEqual([9001, 9003, 9002, 9002]);
  });

  it("§1.4 include keeps only Quectel's INCLODE set (plus later registrations); unregister gives 9000", async () => {
    const registry = makeBuiltInRpcRegistry();
    const table = quectelHandlers(registry);
    table.include(["GetRPCMethods", "GetParameterValues", "Reboot"]);
    table.register("X_QUECTEL_Diag", () => "<cwmp:X_QUECTEL_DiagResponse/>");
    expect(table.methods()).toEqual([
      "GetRPCMethods",
      "GetParameterValues",
      "Reboot",
      "X_QUECTEL_Diag",
    ]);
    expect(table.unregister("Reboot")).toBe(true);
    const { response } = await Effect.runPromise(
      registry.dispatch({ _tag: "Reboot", commandKey: "" }, context),
    );
    expect(faultCodeOf(response)).toBe(9000);
  });

  test.prop([
    fc.array(fc.stringMatching(/^Device\.[A-Za-z]{1,8}(\.[A-Za-z0-9]{1,8}){0,3}$/), {
      maxLength: 5,
    }),
  ])(
    "a typed request seen as a Quectel element keeps its method name and every ParameterNames entry",
    (names) => {
      const element = quectelElementOf({ _tag: "GetParameterValues", parameterNames: names });
      expect(element?.localName).toBe("GetParameterValues");
      const list = element?.children.find((c) => c.localName === "ParameterNames");
      expect(list?.children.map((c) => c.text)).toEqual(names);
    },
  );
});
