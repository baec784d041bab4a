import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { cwmpFault, type FaultCode, faultString, faultStrings, soapFaultCode } from "./fault.js";

const definedCodes = Object.keys(faultStrings).map(Number) as FaultCode[];

describe("CWMP faults (§1.14)", () => {
  it("§1.14 SOAP faultcode is Client for the caller's errors (9003, 9005-9008, 8003), Server otherwise", () => {
    const client = definedCodes.filter((c) => soapFaultCode(c) === "Client");
    expect(client).toEqual([8003, 9003, 9005, 9006, 9007, 9008]);
    for (const c of [9000, 9001, 9002, 9004, 9009, 9010, 9021, 9032, 8005, 9800, 9899])
      expect(soapFaultCode(c), String(c)).toBe("Server");
  });

  it("§1.14 the standard fault strings of the XSD codes, a generic text for vendor codes", () => {
    expect(faultString(9000)).toBe("Method not supported");
    expect(faultString(9005)).toBe("Invalid parameter name");
    expect(faultString(9008)).toBe("Attempt to set a non-writable parameter");
    expect(faultString(9009)).toBe("Notification request rejected");
    expect(faultString(8005)).toBe("Retry request");
    expect(faultString(8006)).toBe("ACS version incompatible with CPE");
    expect(faultString(9850)).toBe("Vendor fault 9850");
    // Every code of the XSD's CPE (9000-9032) and ACS (8000-8006) lists has its own text.
    const expected = [
      ...Array.from({ length: 7 }, (_, i) => 8000 + i),
      ...Array.from({ length: 33 }, (_, i) => 9000 + i),
    ];
    expect(definedCodes).toEqual(expected);
  });

  test.prop([fc.integer({ min: 8000, max: 9899 }), fc.option(fc.string(), { nil: undefined })])(
    "§1.14 cwmpFault keeps its code and uses the standard string unless one is given",
    (code, detail) => {
      const f = cwmpFault(code, detail);
      expect(f.code).toBe(code);
      expect(f.faultString).toBe(detail ?? faultString(code));
      expect(f.setParameterValuesFaults).toBeUndefined();
      expect(f.message).toBe(`CWMP fault ${code}: ${f.faultString}`);
    },
  );
});
