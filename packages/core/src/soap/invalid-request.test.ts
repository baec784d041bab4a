import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "./decode-envelope.js";
import type { DecodeError } from "./decode-error.js";
import { cpeMethodRequests, isCpeMethodRequest } from "./invalid-request.js";

const env = (body: string, header = '<cwmp:ID soap-env:mustUnderstand="1">r-9</cwmp:ID>') =>
  `<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header>${header}</soap-env:Header><soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`;

const errorOf = (xml: string): DecodeError => {
  const r = decodeEnvelope(xml);
  if (Either.isRight(r)) throw new Error("expected a decode error");
  return r.left;
};

const spv = (structs: string) =>
  env(
    `<cwmp:SetParameterValues><ParameterList>${structs}</ParameterList><ParameterKey>k</ParameterKey></cwmp:SetParameterValues>`,
  );

describe("attributing bad arguments to their request (§1.14-9003, V4)", () => {
  it("§1.14-9003 V4: GetParameterValues without ParameterNames is attributed to its method and cwmp:ID, answered by 9003", () => {
    const e = errorOf(env("<cwmp:GetParameterValues/>"));
    expect(e.reason).toBe("MissingElement");
    expect(e.request?.method).toBe("GetParameterValues");
    expect(e.request?.header).toEqual({ id: "r-9" });
    expect(e.request?.fault.code).toBe(9003);
    expect(e.request?.fault.faultString).toBe(
      "Invalid arguments: Envelope/Body/GetParameterValues/ParameterNames: missing element ParameterNames",
    );
    expect(e.request?.fault.setParameterValuesFaults).toBeUndefined();
  });

  it("§1.14-9003: an ill-typed argument (NextLevel maybe) is attributed as BadValue", () => {
    const e = errorOf(
      env(
        "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>maybe</NextLevel></cwmp:GetParameterNames>",
      ),
    );
    expect(e.reason).toBe("BadValue");
    expect(e.request).toMatchObject({ method: "GetParameterNames", fault: { code: 9003 } });
  });

  it("V4: the header's other entries travel with the attribution (HoldRequests, V5)", () => {
    const e = errorOf(
      env(
        "<cwmp:GetParameterValues/>",
        '<cwmp:ID soap-env:mustUnderstand="1">r-9</cwmp:ID><cwmp:HoldRequests soap-env:mustUnderstand="1">1</cwmp:HoldRequests>',
      ),
    );
    expect(e.request?.header).toEqual({ id: "r-9", holdRequests: true });
  });

  it("H10: what is no ACS request the CPE knows is not attributed: a response, a CPE request, no Body", () => {
    expect(errorOf(env("<cwmp:GetParameterValuesResponse/>")).request).toBeUndefined();
    const inform = errorOf(env("<cwmp:Inform/>"));
    expect(inform.reason).toBe("MissingElement");
    expect(inform.request).toBeUndefined();
    const noBody = errorOf(
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/></soap-env:Envelope>',
    );
    expect(noBody.request).toBeUndefined();
  });

  it("§1.14-9003 A.3.2.1: SetParameterValues structs without Value are named, each with 9007", () => {
    const e = errorOf(
      spv(
        "<ParameterValueStruct><Name>A.x</Name></ParameterValueStruct><ParameterValueStruct><Name>A.y</Name><Value>1</Value></ParameterValueStruct><ParameterValueStruct><Name>A.z</Name></ParameterValueStruct>",
      ),
    );
    expect(e.reason).toBe("MissingElement");
    expect(e.parameters).toEqual(["A.x", "A.z"]);
    expect(e.request?.fault.code).toBe(9003);
    expect(e.request?.fault.setParameterValuesFaults).toEqual([
      {
        parameterName: "A.x",
        faultCode: 9007,
        faultString: "Invalid parameter value: no Value given",
      },
      {
        parameterName: "A.z",
        faultCode: 9007,
        faultString: "Invalid parameter value: no Value given",
      },
    ]);
  });

  it('A.3.2.1: an empty Value is a value (""), not a missing one', () => {
    const r = decodeEnvelope(
      spv("<ParameterValueStruct><Name>A.x</Name><Value></Value></ParameterValueStruct>"),
    );
    expect(Either.isRight(r) && r.right.envelope.body).toMatchObject({
      _tag: "SetParameterValues",
      parameterList: [{ name: "A.x", value: "" }],
    });
  });

  it("a missing Value stays tolerated where nothing is written (a GetParameterValuesResponse)", () => {
    const r = decodeEnvelope(
      env(
        "<cwmp:GetParameterValuesResponse><ParameterList><ParameterValueStruct><Name>A.x</Name></ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>",
      ),
    );
    expect(Either.isRight(r) && r.right.warnings.join()).toContain("Value: missing");
  });

  it("the attributed methods are exactly the ACS -> CPE requests", () => {
    expect(cpeMethodRequests.size).toBe(20);
    expect(isCpeMethodRequest("Download")).toBe(true);
    expect(isCpeMethodRequest("Inform")).toBe(false);
    expect(isCpeMethodRequest("DownloadResponse")).toBe(false);
    expect(isCpeMethodRequest("X_VENDOR_Do")).toBe(false);
  });
});
