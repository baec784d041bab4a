/**
 * The same agent as `legacy-agent.ts`, written the cpekit way: the ACS and the listener are
 * plain settings, the allow-list is a list of method names, and the vendor RPC is a typed
 * handler that answers a message (an element tree), not XML text.
 * @module
 */
import {
  cwmpFault,
  makeAgent,
  rpcHandler,
  type VendorMessage,
  type XmlElement,
} from "@cpekit/core";
import { Effect } from "effect";
import { deviceId, factoryInstances, factoryValues, hostSide, schema } from "./module-device.js";

/** The methods the agent answers. */
export const METHODS: readonly string[] = [
  "GetRPCMethods",
  "GetParameterNames",
  "GetParameterValues",
  "SetParameterValues",
  "AddObject",
  "DeleteObject",
  "Download",
  "Reboot",
  "X_QUECTEL_Signal",
];

const element = (
  name: string,
  text: string,
  attributes: Readonly<Record<string, string>> = {},
  children: readonly XmlElement[] = [],
): XmlElement => ({
  name,
  ...(name.startsWith("cwmp:") ? { namespace: "cwmp" } : {}),
  localName: name.replace(/^cwmp:/, ""),
  attributes,
  text,
  children,
});

/** `X_QUECTEL_Signal`: the RSRP (in the requested unit label) and RSRQ of interface 1. */
export const signalHandler = rpcHandler("VendorMessage", ({ request, dataModel }) =>
  Effect.gen(function* () {
    const unit = request.element.children.find((c) => c.localName === "Unit")?.text ?? "dBm";
    const [rsrp, rsrq] = yield* dataModel.getParameterValues([
      "Device.Cellular.Interface.1.RSRP",
      "Device.Cellular.Interface.1.RSRQ",
    ]);
    if (rsrp === undefined || rsrq === undefined) return yield* cwmpFault(9002, "no signal values");
    const response: VendorMessage = {
      _tag: "VendorMessage",
      name: "X_QUECTEL_SignalResponse",
      element: element("cwmp:X_QUECTEL_SignalResponse", "", {}, [
        element("RSRP", rsrp.value, { unit }),
        element("RSRQ", rsrq.value),
      ]),
    };
    return response;
  }),
);

/** Where the agent reports to, listens and keeps state. */
export interface CpekitAgentOptions {
  readonly acsUrl: string;
  readonly username?: string;
  readonly password?: string;
  /** The connection-request listener (`0.0.0.0:8001` in Quectel's defaults). */
  readonly listen: { readonly host: string; readonly port: number };
  readonly storePath: string;
}

/** Starts the agent for the life of the scope. */
export const startCpekitAgent = (options: CpekitAgentOptions) =>
  Effect.gen(function* () {
    const host = yield* hostSide({ storePath: options.storePath, listen: options.listen });
    const agent = yield* makeAgent({
      deviceId,
      acs: {
        url: options.acsUrl,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
      },
      dataModel: { schema, initial: { values: factoryValues, instances: factoryInstances } },
      connectionRequestCredentials: host.credentials,
    }).pipe(Effect.provide(host.layer));
    agent.rpc.register("X_QUECTEL_Signal", signalHandler);
    agent.rpc.allowOnly(METHODS);
    return agent;
  });
