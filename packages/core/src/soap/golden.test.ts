import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mustDecode, testDecodeEncode } from "./test-support/decode-encode.js";
import { vendorSample } from "./test-support/samples.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

describe("golden envelopes as ACSes and CPEs write them", () => {
  testDecodeEncode(
    "V2 V4 H4: GenieACS-style InformResponse with the SOAP-ENV prefix (cwmp-1-0)",
    {
      header: { id: "1a2b3c4d" },
      body: { _tag: "InformResponse", maxEnvelopes: 1 },
      version: "1.0",
    },
    fixture("genieacs-inform-response.xml"),
    [],
  );

  testDecodeEncode(
    "V3: GenieACS-style GetParameterValues with a SOAP-ENC xsd:string[3] array",
    {
      header: { id: "5f0e1d2c" },
      body: {
        _tag: "GetParameterValues",
        parameterNames: [
          "Device.DeviceInfo.SoftwareVersion",
          "Device.DeviceInfo.UpTime",
          "Device.ManagementServer.",
        ],
      },
      version: "1.0",
    },
    fixture("genieacs-get-parameter-values.xml"),
    [],
  );

  testDecodeEncode(
    "V3: CPE Inform with the soapenv prefix, indentation, self-closed CommandKey, zero-padded array count, boolean 1",
    {
      header: { id: "cpe-0001" },
      body: {
        _tag: "Inform",
        deviceId: {
          manufacturer: "Quectel",
          oui: "00A0C6",
          productClass: "EC200U",
          serialNumber: "866327040830317",
        },
        event: [
          { eventCode: "0 BOOTSTRAP", commandKey: "" },
          { eventCode: "1 BOOT", commandKey: "" },
        ],
        maxEnvelopes: 1,
        currentTime: "2026-11-27T21:04:05.678+08:00",
        retryCount: 0,
        parameterList: [
          { name: "Device.DeviceInfo.HardwareVersion", value: "R1.0", type: "string" },
          {
            name: "Device.ManagementServer.ConnectionRequestURL",
            value: "http://127.0.0.1:7547/cr?a=1&b=2",
            type: "string",
          },
          { name: "Device.ManagementServer.PeriodicInformEnable", value: "1", type: "boolean" },
        ],
      },
      version: "1.2",
    },
    fixture("cpe-inform-soapenv.xml"),
    [],
  );

  testDecodeEncode(
    "V2: default-namespace envelope (no prefixes) in cwmp-1-1",
    {
      header: { id: "dn-7" },
      body: { _tag: "GetParameterNames", parameterPath: "InternetGatewayDevice.", nextLevel: true },
      version: "1.1",
    },
    fixture("default-namespace.xml"),
    [],
  );

  testDecodeEncode(
    "V2 V5: cwmp-1-0 SetParameterValues with the soap prefix, HoldRequests false and a named type",
    {
      header: { id: "old-1", holdRequests: false },
      body: {
        _tag: "SetParameterValues",
        parameterList: [
          {
            name: "InternetGatewayDevice.ManagementServer.PeriodicInformInterval",
            value: "300",
            type: "unsignedInt",
          },
          {
            name: "InternetGatewayDevice.LANDevice.1.LANHostConfigManagement.MinAddress",
            value: "192.168.1.100",
            type: "cwmp:IPAddress",
          },
        ],
        parameterKey: "pk-1",
      },
      version: "1.0",
    },
    fixture("cwmp-1-0-set-parameter-values.xml"),
    [],
  );

  testDecodeEncode(
    "V2 V6: non-standard cwmp-1-3 namespace accepted as CWMP 1.3 with a warning",
    {
      header: { id: "n13", sessionTimeout: 60 },
      body: { _tag: "Reboot", commandKey: "r13" },
      version: "1.3",
    },
    fixture("cwmp-1-3-nonstandard.xml"),
    [/non-standard namespace urn:dslforum-org:cwmp-1-3/],
  );

  testDecodeEncode(
    "V2 V7: non-standard cwmp-1-4 namespace accepted as CWMP 1.4 with a warning",
    {
      header: { id: "n14", useCwmpVersion: "1.4" },
      body: { _tag: "InformResponse", maxEnvelopes: 1 },
      version: "1.4",
    },
    fixture("cwmp-1-4-nonstandard.xml"),
    [/non-standard namespace urn:dslforum-org:cwmp-1-4/],
  );

  testDecodeEncode(
    "CDATA values are read verbatim and mixed with text; a missing xsi:type is a warning and reads as string",
    {
      header: { id: "cd-1" },
      body: {
        _tag: "SetParameterValues",
        parameterList: [
          { name: "Device.X_Q.Script", value: "if a < b && c > d then <ok/>", type: "string" },
          { name: "Device.X_Q.Mixed", value: "pre & <mid> post", type: "string" },
        ],
        parameterKey: "",
      },
      version: "1.2",
    },
    fixture("cdata-value.xml"),
    [/ParameterValueStruct\/Value: missing xsi:type, read as string/],
  );

  testDecodeEncode(
    "missing Download fields default (empty strings, 0) with one warning each",
    {
      header: {},
      body: {
        _tag: "Download",
        commandKey: "dl-9",
        fileType: "1 Firmware Upgrade Image",
        url: "http://127.0.0.1:8080/fw.bin",
        username: "",
        password: "",
        fileSize: 1024,
        targetFileName: "",
        delaySeconds: 0,
        successUrl: "",
        failureUrl: "",
      },
      version: "1.2",
    },
    fixture("missing-optional-fields.xml"),
    [
      /Username: missing/,
      /Password: missing/,
      /TargetFileName: missing/,
      /DelaySeconds: missing/,
      /SuccessURL: missing/,
      /FailureURL: missing/,
    ],
  );

  testDecodeEncode(
    "V5: the NoMoreRequests header (in no XSD) is tolerated and read",
    {
      header: { id: "nmr-1", noMoreRequests: true },
      body: { _tag: "InformResponse", maxEnvelopes: 1 },
      version: "1.0",
    },
    fixture("no-more-requests.xml"),
    [],
  );

  testDecodeEncode(
    "§1.14: SOAP Fault 9003 with a SetParameterValuesFault list; a missing FaultString reads as the standard text",
    {
      header: { id: "f-3" },
      body: {
        _tag: "Fault",
        faultcode: "Client",
        faultstring: "CWMP fault",
        detail: {
          faultCode: 9003,
          faultString: "Invalid arguments",
          setParameterValuesFaults: [
            {
              parameterName: "InternetGatewayDevice.ManagementServer.PeriodicInformInterval",
              faultCode: 9007,
              faultString: "Invalid parameter value",
            },
            {
              parameterName: "InternetGatewayDevice.DeviceInfo.UpTime",
              faultCode: 9008,
              faultString: "Attempt to set a non-writable parameter",
            },
          ],
        },
      },
      version: "1.0",
    },
    fixture("fault-set-parameter-values.xml"),
    [],
  );

  testDecodeEncode(
    "a vendor RPC (X_QUECTEL_Diag) becomes a VendorMessage with a Quectel-shaped element",
    {
      header: { id: "v-1" },
      body: vendorSample,
      version: "1.2",
    },
    fixture("quectel-vendor-rpc.xml"),
    [],
  );
});

describe("tolerant scalar reading", () => {
  const gpn = (nextLevel: string) =>
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-2"><s:Body><c:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>${nextLevel}</NextLevel></c:GetParameterNames></s:Body></s:Envelope>`;

  it.each([
    ["true", true],
    ["false", false],
    ["1", true],
    ["0", false],
    [" TRUE ", true],
  ])("xs:boolean %j reads as %s", (text, expected) => {
    const body = mustDecode(gpn(text)).envelope.body;
    expect(body).toEqual({
      _tag: "GetParameterNames",
      parameterPath: "Device.",
      nextLevel: expected,
    });
  });

  it("a Body carrying two messages reads the first one and warns", () => {
    const r = mustDecode(
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-2"><s:Body><c:Reboot><CommandKey>one</CommandKey></c:Reboot><c:FactoryReset/></s:Body></s:Envelope>`,
    );
    expect(r.envelope.body).toEqual({ _tag: "Reboot", commandKey: "one" });
    expect(r.warnings).toEqual(["Envelope/Body: more than one message, only the first read"]);
  });

  it("dateTimes keep their lexical form: fractional seconds, offsets and the Unknown Time", () => {
    const xml = (t: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-2"><s:Body><c:TransferComplete><CommandKey>k</CommandKey><FaultStruct><FaultCode>0</FaultCode><FaultString></FaultString></FaultStruct><StartTime>${t}</StartTime><CompleteTime>0001-01-01T00:00:00Z</CompleteTime></c:TransferComplete></s:Body></s:Envelope>`;
    for (const t of [
      "2026-11-27T21:04:05.123456789-03:30",
      "2026-11-27T21:04:05Z",
      "2026-11-27T21:04:05",
    ]) {
      const body = mustDecode(xml(t)).envelope.body;
      expect(body).toMatchObject({ startTime: t, completeTime: "0001-01-01T00:00:00Z" });
    }
  });
});
