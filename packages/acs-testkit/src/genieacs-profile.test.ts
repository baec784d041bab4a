import type { CwmpMessage, SetParameterValues } from "@cpekit/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { genieAcsProfile } from "./genieacs-profile.js";
import { startTestAcs, type TestAcsHandle } from "./start-test-acs.js";
import { strictProfile } from "./strict-profile.js";
import { deviceOf, envelopeXml, informOf, TinyCpe } from "./test-support/tiny-cpe.js";

let acs: TestAcsHandle;
let cpe: TinyCpe;

beforeEach(async () => {
  acs = await startTestAcs({ profile: "genieacs", sessionTimeoutMs: 2_000 });
  cpe = new TinyCpe(acs.url);
});
afterEach(async () => {
  await cpe.close();
  await acs.stop();
});

/** A 1.2 Inform envelope with extra header entries and another namespace, as raw XML. */
const rawInform = (namespace: string, extraHeader = ""): string =>
  envelopeXml(informOf(), { id: "i1" })
    .replace(`xmlns:cwmp="urn:dslforum-org:cwmp-1-2"`, `xmlns:cwmp="${namespace}"`)
    .replace("</soap-env:Header>", `${extraHeader}</soap-env:Header>`);

const answerTo = async (message: CwmpMessage): Promise<CwmpMessage | undefined> => {
  await cpe.post(informOf());
  return (await cpe.post(message)).body;
};

describe("GenieACS quirk profile", () => {
  it("H6: cookie session=<id> without attributes; Connection: close on the final 204", async () => {
    const r = await cpe.post(informOf());
    expect(r.headers["set-cookie"]).toMatch(/^session=[0-9a-f]{16}$/);
    const end = await cpe.post("");
    expect(end.status).toBe(204);
    expect(end.headers.connection).toBe("close");
  });

  it("H6: a POST without the cookie continues the session open on the same TCP connection", async () => {
    await cpe.post(informOf());
    expect((await cpe.post("", { sendCookie: false })).status).toBe(204);
  });

  it.each([
    ["urn:dslforum-org:cwmp-1-0", "", "1.0", "urn:dslforum-org:cwmp-1-0"],
    ["urn:dslforum-org:cwmp-1-1", "", "1.1", "urn:dslforum-org:cwmp-1-1"],
    ["urn:dslforum-org:cwmp-1-2", "", "1.2", "urn:dslforum-org:cwmp-1-2"],
    [
      "urn:dslforum-org:cwmp-1-2",
      "<cwmp:SessionTimeout>30</cwmp:SessionTimeout>",
      "1.2",
      "urn:dslforum-org:cwmp-1-2",
    ],
    [
      "urn:dslforum-org:cwmp-1-2",
      "<cwmp:sessionTimeout>30</cwmp:sessionTimeout>",
      "1.3",
      "urn:dslforum-org:cwmp-1-2",
    ],
    ["urn:dslforum-org:cwmp-1-3", "", "1.4", "urn:dslforum-org:cwmp-1-3"],
  ])(
    "V2 version quirk: %s %s is seen as %s and answered in %s",
    async (ns, header, version, answerNs) => {
      const r = await cpe.post(rawInform(ns, header));
      expect(r.status).toBe(200);
      expect(r.text).toContain(`xmlns:cwmp="${answerNs}"`);
      expect((await acs.nextInform({ timeoutMs: 1_000 })).version).toBe(version);
    },
  );

  it("V2: an unknown cwmp namespace is refused with 400 Unrecognized CWMP version", async () => {
    const r = await cpe.post(rawInform("urn:dslforum-org:cwmp-1-4"));
    expect(r.status).toBe(400);
    expect(r.text).toBe("Unrecognized CWMP version");
  });

  it("V7: never sends UseCWMPVersion, even to a CPE that lists SupportedCWMPVersions", async () => {
    const r = await cpe.post(informOf(), { header: { id: "1", supportedCwmpVersions: "1.0,1.4" } });
    expect(r.envelope?.header).toEqual({ id: "1" });
    expect(r.body).toEqual({ _tag: "InformResponse", maxEnvelopes: 1 });
  });

  it("accepts GetRPCMethods, TransferComplete and RequestDownload; its MethodList omits RequestDownload", async () => {
    expect(await answerTo({ _tag: "GetRPCMethods" })).toEqual({
      _tag: "GetRPCMethodsResponse",
      methodList: ["Inform", "GetRPCMethods", "TransferComplete"],
    });
    expect(
      await cpe.post({
        _tag: "RequestDownload",
        fileType: "1 Firmware Upgrade Image",
        fileTypeArg: [],
      }),
    ).toMatchObject({
      body: { _tag: "RequestDownloadResponse" },
    });
    const tc = await cpe.post({
      _tag: "TransferComplete",
      commandKey: "k",
      faultStruct: { faultCode: 9010, faultString: "Download failed" },
      startTime: "0001-01-01T00:00:00Z",
      completeTime: "0001-01-01T00:00:00Z",
    });
    expect(tc.body).toEqual({ _tag: "TransferCompleteResponse" });
  });

  it("answers any other CPE request (AutonomousTransferComplete, Kicked) with fault 8000", async () => {
    const atc = await answerTo({
      _tag: "AutonomousTransferComplete",
      announceUrl: "",
      transferUrl: "http://127.0.0.1:9/fw",
      isDownload: true,
      fileType: "1 Firmware Upgrade Image",
      fileSize: 0,
      targetFileName: "",
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "2026-01-01T00:00:00Z",
      completeTime: "2026-01-01T00:00:00Z",
    });
    expect(atc).toMatchObject({
      _tag: "Fault",
      detail: { faultCode: 8000, faultString: "Method not supported" },
    });
    const kicked = (
      await cpe.post({ _tag: "Kicked", command: "c", referer: "", arg: "", next: "" })
    ).body;
    expect(kicked).toMatchObject({ _tag: "Fault", detail: { faultCode: 8000 } });
  });

  it("§1.12 writes booleans as true/false and dateTimes with milliseconds in SetParameterValues", async () => {
    const spv: SetParameterValues = {
      _tag: "SetParameterValues",
      parameterKey: "k1",
      parameterList: [
        { name: "Device.ManagementServer.PeriodicInformEnable", value: "1", type: "boolean" },
        {
          name: "Device.ManagementServer.PeriodicInformTime",
          value: "2026-01-01T00:00:00Z",
          type: "dateTime",
        },
        { name: "Device.X.Name", value: "1", type: "string" },
      ],
    };
    void acs.call(deviceOf(), spv).catch(() => undefined);
    await cpe.post(informOf());
    const rpc = await cpe.post("");
    expect((rpc.body as SetParameterValues).parameterList.map((p) => p.value)).toEqual([
      "true",
      "2026-01-01T00:00:00.000Z",
      "1",
    ]);
  });

  it("booleanLiteral and datetimeMilliseconds off write 1/0 and whole seconds", () => {
    const profile = genieAcsProfile({ booleanLiteral: false, datetimeMilliseconds: false });
    expect(profile.writeValue({ name: "a", value: "true", type: "boolean" }).value).toBe("1");
    expect(
      profile.writeValue({ name: "a", value: "2026-01-01T00:00:00.250Z", type: "dateTime" }).value,
    ).toBe("2026-01-01T00:00:00Z");
    expect(profile.writeValue({ name: "a", value: "maybe", type: "boolean" }).value).toBe("maybe");
  });

  it("V6: its session timeout is 30 s whatever the CPE's SessionTimeout says; strict honours it", () => {
    const view = {
      envelope: { header: { sessionTimeout: 5 }, body: informOf(), version: "1.3" as const },
      sniff: { cwmpNamespace: "urn:dslforum-org:cwmp-1-2", headerEntries: { SessionTimeout: "5" } },
    };
    expect(genieAcsProfile().negotiate(view)?.sessionTimeoutSeconds).toBe(30);
    expect(strictProfile().negotiate(view)?.sessionTimeoutSeconds).toBe(5);
  });
});
