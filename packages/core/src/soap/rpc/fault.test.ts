import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { CwmpFault, cwmpFault } from "../../cwmp/fault.js";
import { CWMP_FAULT_STRING, cwmpFaultOf, faultMessageOf } from "./fault.js";

const spvFault = fc.record({
  parameterName: fc.string({ minLength: 1 }),
  faultCode: fc.constantFrom(9005, 9006, 9007, 9008),
  faultString: fc.string(),
});

describe("Fault message <-> CwmpFault (§1.14)", () => {
  it("§1.14 faultMessageOf writes faultstring 'CWMP fault', the faultcode by code and the cwmp:Fault detail", () => {
    expect(faultMessageOf(cwmpFault(9005, "no such parameter"))).toEqual({
      _tag: "Fault",
      faultcode: "Client",
      faultstring: CWMP_FAULT_STRING,
      detail: { faultCode: 9005, faultString: "no such parameter", setParameterValuesFaults: [] },
    });
    expect(faultMessageOf(cwmpFault(9002)).faultcode).toBe("Server");
  });

  test.prop([
    fc.integer({ min: 8000, max: 9899 }),
    fc.string(),
    fc.option(fc.array(spvFault, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  ])("§1.14 cwmpFaultOf(faultMessageOf(f)) equals f", (code, text, spv) => {
    const f = cwmpFault(code, text, spv);
    expect(cwmpFaultOf(faultMessageOf(f))).toEqual(f);
  });

  it("§1.14 a SOAP fault without cwmp:Fault detail reads as an internal error (9002, or 8002 for the ACS)", () => {
    const bare = { _tag: "Fault" as const, faultcode: "Server", faultstring: "proxy error" };
    expect(cwmpFaultOf(bare)).toEqual(new CwmpFault({ code: 9002, faultString: "proxy error" }));
    expect(cwmpFaultOf(bare, 8002).code).toBe(8002);
  });
});
