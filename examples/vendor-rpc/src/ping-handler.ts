/**
 * `X_ACME_Ping`: a vendor RPC. The ACS sends
 *
 * ```xml
 * <cwmp:X_ACME_Ping><Payload>hello</Payload></cwmp:X_ACME_Ping>
 * ```
 *
 * and the CPE answers with the same payload and its firmware version, read from the data model:
 *
 * ```xml
 * <cwmp:X_ACME_PingResponse><Payload>hello</Payload><SoftwareVersion>1.0.0</SoftwareVersion></cwmp:X_ACME_PingResponse>
 * ```
 *
 * A method cpekit does not know reaches its handler as a `VendorMessage` carrying the element
 * as parsed (name, attributes, text, children); the answer is a `VendorMessage` too.
 * @module
 */
import { cwmpFault, rpcHandler, type VendorMessage, type XmlElement } from "@cpekit/core";
import { Effect } from "effect";

/** The method name, as registered and as listed by GetRPCMethods. */
export const PING_METHOD = "X_ACME_Ping";

/** The longest payload echoed; a longer one is refused with fault 9003 (invalid arguments). */
export const MAX_PAYLOAD_LENGTH = 256;

/** A child element with text only (`<Payload>hello</Payload>`). */
const textElement = (name: string, text: string): XmlElement => ({
  name,
  localName: name,
  attributes: {},
  text,
  children: [],
});

/** The request the ACS sends (tests and ACS-side code build it with this). */
export const pingRequest = (payload: string): VendorMessage => ({
  _tag: "VendorMessage",
  name: PING_METHOD,
  element: {
    name: `cwmp:${PING_METHOD}`,
    namespace: "cwmp",
    localName: PING_METHOD,
    attributes: {},
    text: "",
    children: [textElement("Payload", payload)],
  },
});

/** The handler: echo the payload, add the SoftwareVersion the data model holds. */
export const pingHandler = rpcHandler("VendorMessage", ({ request, dataModel }) =>
  Effect.gen(function* () {
    const payload = request.element.children.find((c) => c.localName === "Payload")?.text;
    if (payload === undefined) return yield* cwmpFault(9003, "X_ACME_Ping needs a Payload");
    if (payload.length > MAX_PAYLOAD_LENGTH)
      return yield* cwmpFault(9003, `Payload longer than ${MAX_PAYLOAD_LENGTH} characters`);
    const [version] = yield* dataModel.getParameterValues(["Device.DeviceInfo.SoftwareVersion"]);
    const response: VendorMessage = {
      _tag: "VendorMessage",
      name: `${PING_METHOD}Response`,
      element: {
        name: `cwmp:${PING_METHOD}Response`,
        namespace: "cwmp",
        localName: `${PING_METHOD}Response`,
        attributes: {},
        text: "",
        children: [
          textElement("Payload", payload),
          textElement("SoftwareVersion", version?.value ?? ""),
        ],
      },
    };
    return response;
  }),
);
