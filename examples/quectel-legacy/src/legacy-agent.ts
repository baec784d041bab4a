/**
 * The agent as a user of Quectel's QuecPython TR-069 client wrote it, carried over unchanged:
 *
 * - `requestOptions`, the object of its `main.py` (Node's `url.parse(acsUrl)` output plus
 *   `server_ip` / `server_port`, the connection-request listener), given to cpekit as it is;
 * - `INCLODE`, the dispatch table of its `methods.py`: the methods the client answers, each to
 *   its handler. Quectel's own methods are cpekit's built-ins; a customer's handler keeps
 *   Quectel's shape: it gets the request as `xmlUtils.parseXml` shaped it and answers the body
 *   XML it used to pass to `callback`.
 *
 * `@cpekit/plugin-quecpython` does the carrying over: `resolveRequestOptions` checks the object
 * (its `url` is authoritative; a key that disagrees with it is an error) and `quectelHandlers`
 * puts the table on the agent's RPC registry.
 * @module
 */
import { escapeXmlAttribute, escapeXmlText, makeAgent } from "@cpekit/core";
import {
  type QuectelHandler,
  quectelHandlers,
  resolveRequestOptions,
} from "@cpekit/plugin-quecpython";
import { Effect, Either } from "effect";
import { deviceId, factoryInstances, factoryValues, hostSide, schema } from "./module-device.js";

/** `requestOptions` as `main.py` wrote it (the ACS address here is a placeholder). */
export const requestOptions = {
  protocol: "http:",
  host: "acs.example.net:9090",
  port: "9090",
  hostname: "acs.example.net",
  server_ip: "0.0.0.0",
  server_port: 8001,
  pathname: "/ACS-server/ACS/pawn06",
  path: "/ACS-server/ACS/pawn06",
  href: "http://acs.example.net:9090/ACS-server/ACS/pawn06",
  url: "http://acs.example.net:9090/ACS-server/ACS/pawn06",
};

/** The same object for another ACS URL, key for key (what `url.parse` would have given). */
export const requestOptionsFor = (acsUrl: string, serverIp = "0.0.0.0", serverPort = 8001) => {
  const url = new URL(acsUrl);
  return {
    protocol: url.protocol,
    host: url.host,
    port: url.port,
    hostname: url.hostname,
    server_ip: serverIp,
    server_port: serverPort,
    pathname: url.pathname,
    path: url.pathname + url.search,
    href: url.href,
    url: url.href,
  };
};

/** A customer's vendor RPC, in Quectel's shape: request in, body XML out. */
export const X_QUECTEL_Signal: QuectelHandler = async ({ request, getValues }) => {
  const unit = request.children.find((c) => c.localName === "Unit")?.text ?? "dBm";
  const [rsrp, rsrq] = await getValues([
    "Device.Cellular.Interface.1.RSRP",
    "Device.Cellular.Interface.1.RSRQ",
  ]);
  // Quectel's xmlUtils.node escaped nothing; what goes into the XML is escaped here.
  return (
    "<cwmp:X_QUECTEL_SignalResponse>" +
    `<RSRP unit="${escapeXmlAttribute(unit)}">${escapeXmlText(rsrp?.value ?? "")}</RSRP>` +
    `<RSRQ>${escapeXmlText(rsrq?.value ?? "")}</RSRQ>` +
    "</cwmp:X_QUECTEL_SignalResponse>"
  );
};

/** `methods.INCLODE`: `"built-in"` for Quectel's own methods (cpekit's implement them). */
export const INCLODE: Readonly<Record<string, QuectelHandler | "built-in">> = {
  GetParameterNames: "built-in",
  GetParameterValues: "built-in",
  SetParameterValues: "built-in",
  AddObject: "built-in",
  DeleteObject: "built-in",
  Download: "built-in",
  Reboot: "built-in",
  X_QUECTEL_Signal,
};

/** Starts the agent from `requestOptions` and `INCLODE` for the life of the scope. */
export const startLegacyAgent = (options: {
  readonly requestOptions: unknown;
  readonly handlers: Readonly<Record<string, QuectelHandler | "built-in">>;
  readonly storePath: string;
}) =>
  Effect.gen(function* () {
    const settled = resolveRequestOptions(options.requestOptions);
    if (Either.isLeft(settled)) return yield* Effect.fail(settled.left);
    const { acs, connectionRequest } = settled.right;
    const host = yield* hostSide({
      storePath: options.storePath,
      listen: { host: connectionRequest.bindAddress, port: connectionRequest.port },
    });
    const agent = yield* makeAgent({
      deviceId,
      acs,
      dataModel: { schema, initial: { values: factoryValues, instances: factoryInstances } },
      connectionRequestCredentials: host.credentials,
    }).pipe(Effect.provide(host.layer));

    const table = quectelHandlers(agent.rpc);
    // GetRPCMethods is not in Quectel's table, but CWMP requires it: cpekit keeps it.
    table.include(["GetRPCMethods", ...Object.keys(options.handlers)]);
    for (const [name, handler] of Object.entries(options.handlers))
      if (handler !== "built-in") table.register(name, handler);
    return agent;
  });
