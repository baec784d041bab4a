import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { encodeEnvelope } from "./encode-envelope.js";
import type { CwmpMessage, CwmpVersion, Envelope } from "./messages.js";
import { samples } from "./test-support/samples.js";
import { validateAll, XSD_DIR } from "./test-support/xmllint.js";

// One encoded sample per message type, in the 1.2 namespace with the 1.2 header entries.
const envelopeOf = (body: CwmpMessage, version: CwmpVersion = "1.2"): Envelope => ({
  header: { id: "schema-1", holdRequests: false },
  body,
  version,
});

describe("schema validation against the BBF XSDs with xmllint-wasm (V3 V4)", () => {
  it("every message type, encoded, validates against cwmp-1-2.xsd", async () => {
    const docs = Object.fromEntries(
      Object.entries(samples).map(([tag, body]) => [
        tag,
        encodeEnvelope(envelopeOf(body as CwmpMessage)),
      ]),
    );
    const results = await validateAll(docs, "1-2");
    const failures = Object.entries(results).filter(([, r]) => !r.ok);
    expect(failures.map(([tag, r]) => `${tag}: ${r.messages}`)).toEqual([]);
    expect(Object.keys(results)).toHaveLength(Object.keys(samples).length);
  });

  it("V6 V7: the 1.3/1.4 header entries (SessionTimeout, SupportedCWMPVersions, UseCWMPVersion) validate against cwmp-1-4.xsd", async () => {
    const doc = encodeEnvelope({
      header: {
        id: "h",
        sessionTimeout: 30,
        supportedCwmpVersions: "1.0,1.1,1.2,1.3,1.4",
        useCwmpVersion: "1.4",
      },
      body: samples.Inform,
      version: "1.4",
    });
    const results = await validateAll({ inform14: doc }, "1-4");
    expect(results.inform14).toEqual({ ok: true, messages: expect.stringContaining("validates") });
  });

  it("V2: messages that exist in CWMP 1.0 validate against cwmp-1-0.xsd when encoded as 1.0", async () => {
    const v10 = [
      "Inform",
      "InformResponse",
      "GetParameterValues",
      "GetParameterValuesResponse",
      "SetParameterValues",
      "Download",
      "TransferComplete",
      "Fault",
    ] as const;
    const docs = Object.fromEntries(
      v10.map((tag) => [tag, encodeEnvelope(envelopeOf(samples[tag], "1.0"))]),
    );
    const results = await validateAll(docs, "1-0");
    expect(
      Object.entries(results)
        .filter(([, r]) => !r.ok)
        .map(([t, r]) => `${t}: ${r.messages}`),
    ).toEqual([]);
  });

  it("the copied BBF XSDs keep their BSD-3-Clause licence header", () => {
    for (const n of ["1-0", "1-2", "1-3", "1-4"]) {
      const head = readFileSync(`${XSD_DIR}cwmp-${n}.xsd`, "utf8").slice(0, 3000);
      expect(head, n).toContain("Copyright (c) 2006-2017, Broadband Forum");
      expect(head, n).toContain("Redistributions of source code must retain");
    }
  });

  it("the validator does reject an invalid document (an OUI that breaks the XSD pattern)", async () => {
    const bad = encodeEnvelope(
      envelopeOf({ ...samples.Inform, deviceId: { ...samples.Inform.deviceId, oui: "zz" } }),
    );
    const results = await validateAll({ bad }, "1-2");
    expect(results.bad?.ok).toBe(false);
    expect(results.bad?.messages).toContain("OUI");
  });
});
