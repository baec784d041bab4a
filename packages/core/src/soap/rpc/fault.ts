/**
 * Codec of the SOAP Fault carrying a CWMP fault (§1.14), and conversions to and from
 * {@link CwmpFault}.
 * @module
 */
import type { SetParameterValuesFault } from "../../cwmp/fault.js";
import { CwmpFault, faultString, soapFaultCode } from "../../cwmp/fault.js";
import type { Fault } from "../messages.js";
import type { CwmpFaultDetail } from "../rpc-structs.js";
import {
  childrenNamed,
  type DecodeContext,
  findChild,
  type Located,
  localName,
  optStr,
  pathOf,
  reqInt,
  reqStr,
  str,
  UINT_MAX,
} from "../xml-reader.js";
import { el, num } from "../xml-writer.js";

/** The `faultstring` TR-069 uses for every CWMP fault. */
export const CWMP_FAULT_STRING = "CWMP fault";

const decodeSpvFault = (s: Located): SetParameterValuesFault => {
  const code = reqInt(s, "FaultCode", 0, UINT_MAX);
  return {
    parameterName: reqStr(s, "ParameterName"),
    faultCode: code,
    faultString: optStr(s, "FaultString") ?? faultString(code),
  };
};

/**
 * Decodes a SOAP Fault. A missing `FaultString` (optional in the XSD) reads as the standard text
 * of the code; `faultcode` keeps only its local part.
 */
export const decodeFault = (e: Located, cx: DecodeContext): Fault => {
  const detail = findChild(e, "detail");
  const cwmp = detail === undefined ? undefined : findChild(detail, "Fault");
  if (cwmp === undefined)
    cx.warnings.push(`${pathOf(e)}/detail/Fault: missing, SOAP fault without CWMP detail`);
  return {
    _tag: "Fault",
    faultcode: localName(str(e, "faultcode", cx).trim()),
    faultstring: str(e, "faultstring", cx),
    ...(cwmp === undefined ? {} : { detail: decodeFaultDetail(cwmp) }),
  };
};

const decodeFaultDetail = (f: Located): CwmpFaultDetail => {
  const code = reqInt(f, "FaultCode", 0, UINT_MAX);
  return {
    faultCode: code,
    faultString: optStr(f, "FaultString") ?? faultString(code),
    setParameterValuesFaults: childrenNamed(f, "SetParameterValuesFault").map(decodeSpvFault),
  };
};

/** Encodes a SOAP Fault (`faultcode` written unprefixed, as in the TR-069 examples). */
export const encodeFault = (m: Fault): string => {
  const d = m.detail;
  const detail =
    d === undefined
      ? ""
      : `<detail><cwmp:Fault>${num("FaultCode", d.faultCode)}${el("FaultString", d.faultString)}${d.setParameterValuesFaults
          .map(
            (s) =>
              `<SetParameterValuesFault>${el("ParameterName", s.parameterName)}${num("FaultCode", s.faultCode)}${el("FaultString", s.faultString)}</SetParameterValuesFault>`,
          )
          .join("")}</cwmp:Fault></detail>`;
  return `<soap-env:Fault>${el("faultcode", m.faultcode)}${el("faultstring", m.faultstring)}${detail}</soap-env:Fault>`;
};

/** The Fault message that reports `fault` (faultcode Client/Server by code, §1.14). */
export const faultMessageOf = (fault: CwmpFault): Fault => ({
  _tag: "Fault",
  faultcode: soapFaultCode(fault.code),
  faultstring: CWMP_FAULT_STRING,
  detail: {
    faultCode: fault.code,
    faultString: fault.faultString,
    setParameterValuesFaults: fault.setParameterValuesFaults ?? [],
  },
});

/** The {@link CwmpFault} a received Fault message carries (code 8002/9002 when it has no detail). */
export const cwmpFaultOf = (m: Fault, internalCode: 8002 | 9002 = 9002): CwmpFault =>
  m.detail === undefined
    ? new CwmpFault({ code: internalCode, faultString: m.faultstring })
    : new CwmpFault({
        code: m.detail.faultCode,
        faultString: m.detail.faultString,
        ...(m.detail.setParameterValuesFaults.length > 0
          ? { setParameterValuesFaults: m.detail.setParameterValuesFaults }
          : {}),
      });
