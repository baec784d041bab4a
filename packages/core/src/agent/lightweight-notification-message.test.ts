import { readFileSync } from "node:fs";
import { fc } from "@fast-check/vitest";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { XSD_DIR } from "../soap/test-support/xmllint.js";
import { toXmlRepresentable } from "../soap/xml-escape.js";
import {
  encodeLightweightNotification,
  type LightweightNotification,
} from "./lightweight-notification-message.js";

/**
 * Validates documents against the copied `cwmp-UDPLightweightNotification-1-0.xsd`. The SOAP
 * namespaces it imports by URL are imported first from the local stand-ins, so its own URL
 * imports are skipped (no network).
 */
const validate = async (docs: readonly string[]): Promise<boolean[]> => {
  const read = (f: string) => ({ fileName: f, contents: readFileSync(`${XSD_DIR}${f}`, "utf8") });
  const wrapper = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="http://schemas.xmlsoap.org/soap/envelope/" schemaLocation="soap-envelope.xsd"/>
  <xs:import namespace="http://schemas.xmlsoap.org/soap/encoding/" schemaLocation="soap-encoding.xsd"/>
  <xs:import namespace="urn:broadband-forum-org:cwmp:lwnotif-1-0" schemaLocation="cwmp-UDPLightweightNotification-1-0.xsd"/>
</xs:schema>
`;
  const r = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
    schema: { fileName: "wrapper.xsd", contents: wrapper },
    preload: [
      read("soap-envelope.xsd"),
      read("soap-encoding.xsd"),
      read("cwmp-UDPLightweightNotification-1-0.xsd"),
    ],
  });
  if (r.rawOutput.includes("failed to compile"))
    throw new Error(`the schema did not compile:\n${r.rawOutput}`);
  const lines = r.rawOutput.split("\n");
  return docs.map((_, i) => lines.includes(`doc${i}.xml validates`));
};

const sample: LightweightNotification = {
  timestamp: 1_767_225_600,
  username: "cpe-1",
  cnonce: "a1b2c3",
  device: { oui: "00AABB", productClass: "EC200U", serialNumber: "SN<&>1" },
  parameters: [
    { name: "Device.Cellular.Interface.1.RSSI", value: "-71" },
    { name: "Device.DeviceInfo.UpTime", value: "3600" },
  ],
};

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === "Param",
});

describe("UDP Lightweight Notification message (Annex M, V8)", () => {
  it("V8 a produced message validates against cwmp-UDPLightweightNotification-1-0.xsd; one without Param or with a bad OUI does not", async () => {
    const bad = [
      encodeLightweightNotification({ ...sample, parameters: [] }),
      encodeLightweightNotification({ ...sample, device: { ...sample.device, oui: "00aabb" } }),
    ];
    expect(await validate([encodeLightweightNotification(sample), ...bad])).toEqual([
      true,
      false,
      false,
    ]);
  });

  it("V8 any parameter names and values give a schema-valid message that reads back to the same (XML-representable) text", async () => {
    const text = fc.string({ unit: "grapheme", maxLength: 40 });
    const samples = fc.sample(
      fc.record({
        timestamp: fc.integer({ min: 0, max: 2_147_483_647 }),
        username: text,
        cnonce: text,
        parameters: fc.array(
          fc.record({ name: fc.string({ minLength: 1, maxLength: 60 }), value: text }),
          { minLength: 1, maxLength: 5 },
        ),
      }),
      { numRuns: 40, seed: 12 },
    );
    const docs = samples.map((s) => encodeLightweightNotification({ ...s, device: sample.device }));
    expect(await validate(docs)).toEqual(docs.map(() => true));
    samples.forEach((s, i) => {
      const n = parser.parse(docs[i] as string).Notification;
      expect(n.TS).toBe(String(s.timestamp));
      expect(n.UN).toBe(toXmlRepresentable(s.username));
      expect(
        n.Param.map((p: { Name: unknown; Value: unknown }) => [String(p.Name), String(p.Value)]),
      ).toEqual(s.parameters.map((p) => [toXmlRepresentable(p.name), toXmlRepresentable(p.value)]));
    });
  });
});
