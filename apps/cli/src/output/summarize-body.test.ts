import { type CwmpMessage, decodeEnvelope, encodeEnvelope } from "@cpekit/core";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { describeMessage } from "./describe-message.js";
import { summarizeBody } from "./summarize-body.js";

const deviceId = { manufacturer: "m", oui: "00CAFE", productClass: "p", serialNumber: "s" };
const inform = (event: { eventCode: string; commandKey: string }[]): CwmpMessage => ({
  _tag: "Inform",
  deviceId,
  event,
  maxEnvelopes: 1,
  currentTime: "2026-01-01T00:00:00Z",
  retryCount: 0,
  parameterList: [{ name: "Device.DeviceInfo.SerialNumber", value: "s", type: "xsd:string" }],
});
const values = (n: number): CwmpMessage => ({
  _tag: "GetParameterValuesResponse",
  parameterList: Array.from({ length: n }, (_, i) => ({
    name: `Device.X.${i}`,
    value: String(i),
    type: "xsd:string",
  })),
});

const messages: readonly CwmpMessage[] = [
  inform([{ eventCode: "6 CONNECTION REQUEST", commandKey: "" }]),
  inform([
    { eventCode: "0 BOOTSTRAP", commandKey: "" },
    { eventCode: "M Reboot", commandKey: "key-1" },
  ]),
  // An entity in a CommandKey: the glance steps aside, the decode tells.
  inform([{ eventCode: "M Download", commandKey: "a&b" }]),
  { _tag: "InformResponse", maxEnvelopes: 1 },
  { _tag: "GetParameterValues", parameterNames: ["Device.DeviceInfo."] },
  { _tag: "GetParameterValues", parameterNames: ["Device.A", "Device.B", "Device.C"] },
  values(0),
  values(1),
  values(10),
  { _tag: "SetParameterValuesResponse", status: 0 },
  { _tag: "Reboot", commandKey: "r" },
];

describe("summarizeBody", () => {
  it("says of every message what describeMessage says of its decoded form (log lines unchanged)", () => {
    for (const body of messages) {
      const xml = encodeEnvelope({ header: { id: "1" }, body, version: "1.4" });
      const decoded = decodeEnvelope(xml);
      if (Either.isLeft(decoded)) throw decoded.left;
      expect(summarizeBody(xml, "empty")).toBe(describeMessage(decoded.right.envelope.body));
    }
  });

  it("names the empty body and an undecodable one", () => {
    expect(summarizeBody(null, "empty POST")).toBe("empty POST");
    expect(summarizeBody("  ", "end")).toBe("end");
    expect(summarizeBody("<not-soap", "end")).toMatch(/^undecodable \(.+\)$/);
  });
});
