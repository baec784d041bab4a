import { fc, it as prop } from "@fast-check/vitest";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { cwmpFault } from "../cwmp/fault.js";
import { fakeDataModel } from "../session/test-support/session-fixtures.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { XmlElement } from "../soap/xml-element.js";
import { builtInHandlers, makeBuiltInRpcRegistry } from "./built-in-handlers.js";
import { rpcHandler } from "./rpc-handler.js";
import { type DispatchContext, makeRpcRegistry, type RpcRegistry } from "./rpc-registry.js";
import { registerTransferManager } from "./transfer-manager.js";

const context: DispatchContext = {
  dataModel: fakeDataModel,
  session: { version: "1.4", header: { id: "acs-1" } },
};

const dispatch = (registry: RpcRegistry, request: CwmpMessage) =>
  Effect.runPromise(registry.dispatch(request, context));

const faultCodeOf = (response: CwmpMessage): number | undefined =>
  response._tag === "Fault" ? response.detail?.faultCode : undefined;

const vendor = (name: string, element?: Partial<XmlElement>): CwmpMessage => ({
  _tag: "VendorMessage",
  name,
  element: {
    name: `cwmp:${name}`,
    localName: name,
    attributes: {},
    text: "",
    children: [],
    ...element,
  },
});

describe("RPC registry", () => {
  it("§1.14: an unknown method is answered with fault 9000 (Server)", async () => {
    const result = await dispatch(makeRpcRegistry(), { _tag: "GetRPCMethods" });
    expect(result.response).toMatchObject({
      _tag: "Fault",
      faultcode: "Server",
      faultstring: "CWMP fault",
      detail: { faultCode: 9000, setParameterValuesFaults: [] },
    });
    expect(result.afterSession).toEqual({ scheduleInforms: [], cpeRequests: [] });
  });

  it("GetRPCMethods lists exactly the built-in methods registered", async () => {
    const registry = makeBuiltInRpcRegistry();
    const { response } = await dispatch(registry, { _tag: "GetRPCMethods" });
    expect(response).toEqual({
      _tag: "GetRPCMethodsResponse",
      methodList: builtInHandlers.map(([name]) => name),
    });
    expect(registry.methods()).not.toContain("Download");
  });

  it("unregister removes a method from dispatch and from GetRPCMethods", async () => {
    const registry = makeBuiltInRpcRegistry();
    expect(registry.unregister("FactoryReset")).toBe(true);
    expect(registry.unregister("FactoryReset")).toBe(false);
    expect(faultCodeOf((await dispatch(registry, { _tag: "FactoryReset" })).response)).toBe(9000);
    const { response } = await dispatch(registry, { _tag: "GetRPCMethods" });
    expect(response).toMatchObject({ methodList: expect.not.arrayContaining(["FactoryReset"]) });
  });

  it("allowOnly keeps the listed built-ins only (Quectel's INCLODE table)", async () => {
    const registry = makeBuiltInRpcRegistry();
    registry.allowOnly(["GetRPCMethods", "GetParameterValues", "NotRegistered"]);
    expect(registry.methods()).toEqual(["GetRPCMethods", "GetParameterValues"]);
    expect(
      faultCodeOf((await dispatch(registry, { _tag: "Reboot", commandKey: "k" })).response),
    ).toBe(9000);
  });

  it("register replaces a built-in handler", async () => {
    const registry = makeBuiltInRpcRegistry();
    registry.register(
      "Reboot",
      rpcHandler("Reboot", () => Effect.fail(cwmpFault(9001, "not now"))),
    );
    const result = await dispatch(registry, { _tag: "Reboot", commandKey: "k" });
    expect(result.response).toMatchObject({ detail: { faultCode: 9001, faultString: "not now" } });
    // A refused Reboot must not reboot after the session.
    expect(result.afterSession.reboot).toBeUndefined();
  });

  it("a vendor X_ method handler reads the generic element and is listed", async () => {
    const registry = makeBuiltInRpcRegistry();
    registry.register("X_QUECTEL_Diag", ({ request }) =>
      request._tag === "VendorMessage"
        ? Effect.succeed(
            vendor("X_QUECTEL_DiagResponse", {
              text: request.element.children.find((c) => c.localName === "Target")?.text ?? "",
            }),
          )
        : Effect.fail(cwmpFault(9003)),
    );
    const request = vendor("X_QUECTEL_Diag", {
      children: [
        { name: "Target", localName: "Target", attributes: {}, text: "8.8.8.8", children: [] },
      ],
    });
    const { response } = await dispatch(registry, request);
    expect(response).toMatchObject({
      _tag: "VendorMessage",
      name: "X_QUECTEL_DiagResponse",
      element: { text: "8.8.8.8" },
    });
    expect(registry.methods()).toContain("X_QUECTEL_Diag");
  });

  it("a handler that dies is answered with fault 9002 instead of ending the session", async () => {
    const registry = makeRpcRegistry([["X_Broken", () => Effect.die(new Error("boom"))]]);
    const thrower = makeRpcRegistry([
      [
        "X_Throws",
        () => {
          throw new Error("sync boom");
        },
      ],
    ]);
    expect(faultCodeOf((await dispatch(registry, vendor("X_Broken"))).response)).toBe(9002);
    expect(faultCodeOf((await dispatch(thrower, vendor("X_Throws"))).response)).toBe(9002);
  });

  it("a handler registered under another message's name answers 9003", async () => {
    const registry = makeRpcRegistry([["X_Alias", builtInHandlers[0]![1]]]);
    expect(faultCodeOf((await dispatch(registry, vendor("X_Alias"))).response)).toBe(9003);
  });

  it("transfer methods answer 9000 until the agent registers its transfer manager", async () => {
    const registry = makeBuiltInRpcRegistry();
    const download: CwmpMessage = {
      _tag: "Download",
      commandKey: "fw",
      fileType: "1 Firmware Upgrade Image",
      url: "http://127.0.0.1/fw.bin",
      username: "",
      password: "",
      fileSize: 0,
      targetFileName: "",
      delaySeconds: 0,
      successUrl: "",
      failureUrl: "",
    };
    expect(faultCodeOf((await dispatch(registry, download)).response)).toBe(9000);
    registerTransferManager(registry, {
      download: (request) =>
        Effect.succeed({
          _tag: "DownloadResponse",
          status: 1,
          startTime: "0001-01-01T00:00:00Z",
          completeTime: request.commandKey === "fw" ? "0001-01-01T00:00:00Z" : "",
        }),
    });
    expect((await dispatch(registry, download)).response).toMatchObject({
      _tag: "DownloadResponse",
      status: 1,
    });
    expect(registry.methods()).toContain("Download");
    expect(registry.methods()).not.toContain("Upload");
  });

  prop.prop([fc.uniqueArray(fc.stringMatching(/^X_[A-Z]{1,8}$/), { maxLength: 8 })])(
    "GetRPCMethods lists exactly the registered names, in order, and every other name gets 9000",
    async (names) => {
      const registry = makeRpcRegistry();
      for (const name of names) registry.register(name, () => Effect.succeed(vendor(`${name}R`)));
      registry.register("GetRPCMethods", builtInHandlers[0]![1]);
      const { response } = await dispatch(registry, { _tag: "GetRPCMethods" });
      expect(response).toEqual({
        _tag: "GetRPCMethodsResponse",
        methodList: [...names, "GetRPCMethods"],
      });
      const unknown = await dispatch(registry, vendor("X_not_registered"));
      expect(faultCodeOf(unknown.response)).toBe(9000);
    },
  );
});
