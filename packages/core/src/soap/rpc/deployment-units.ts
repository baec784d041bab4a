/**
 * Codecs of the software-module management messages: ChangeDUState, DUStateChangeComplete,
 * AutonomousDUStateChangeComplete and their responses.
 * @module
 */
import type { ChangeDUState, ChangeDUStateResponse } from "../acs-methods.js";
import type {
  AutonomousDUStateChangeComplete,
  AutonomousDUStateChangeCompleteResponse,
  DUStateChangeComplete,
  DUStateChangeCompleteResponse,
} from "../cpe-methods.js";
import type {
  AutonOpResultStruct,
  DeploymentUnitFaultStruct,
  OperationStruct,
  OpResultStruct,
} from "../rpc-structs.js";
import {
  bool,
  childrenNamed,
  type DecodeContext,
  dateTime,
  fail,
  findChild,
  int,
  type Located,
  localName,
  optStr,
  pathOf,
  reqStr,
  str,
  UINT_MAX,
  xsiTypeAttribute,
} from "../xml-reader.js";
import { bool as boolEl, el, message, num, optEl } from "../xml-writer.js";
import { emptyCodec, type MessageCodec } from "./codec.js";

// Spreads an optional field only when present, so decoded objects have no `undefined` keys.
const opt = <K extends string>(key: K, v: string | undefined): { [P in K]?: string } =>
  (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };

const decodeOperation = (o: Located): OperationStruct => {
  const type = localName(xsiTypeAttribute(o.node) ?? "");
  switch (type) {
    case "InstallOpStruct":
      return {
        _tag: "InstallOpStruct",
        url: reqStr(o, "URL"),
        ...opt("uuid", optStr(o, "UUID")),
        ...opt("username", optStr(o, "Username")),
        ...opt("password", optStr(o, "Password")),
        ...opt("executionEnvRef", optStr(o, "ExecutionEnvRef")),
      };
    case "UpdateOpStruct":
      return {
        _tag: "UpdateOpStruct",
        ...opt("uuid", optStr(o, "UUID")),
        ...opt("version", optStr(o, "Version")),
        ...opt("url", optStr(o, "URL")),
        ...opt("username", optStr(o, "Username")),
        ...opt("password", optStr(o, "Password")),
      };
    case "UninstallOpStruct":
      return {
        _tag: "UninstallOpStruct",
        uuid: reqStr(o, "UUID"),
        ...opt("version", optStr(o, "Version")),
        ...opt("executionEnvRef", optStr(o, "ExecutionEnvRef")),
      };
    default:
      return fail("BadValue", pathOf(o), `unknown operation xsi:type ${JSON.stringify(type)}`);
  }
};

const encodeOperation = (o: OperationStruct): string => {
  const body =
    o._tag === "InstallOpStruct"
      ? el("URL", o.url) +
        optEl("UUID", o.uuid) +
        optEl("Username", o.username) +
        optEl("Password", o.password) +
        optEl("ExecutionEnvRef", o.executionEnvRef)
      : o._tag === "UpdateOpStruct"
        ? optEl("UUID", o.uuid) +
          optEl("Version", o.version) +
          optEl("URL", o.url) +
          optEl("Username", o.username) +
          optEl("Password", o.password)
        : el("UUID", o.uuid) +
          optEl("Version", o.version) +
          optEl("ExecutionEnvRef", o.executionEnvRef);
  return `<Operations xsi:type="cwmp:${o._tag}">${body}</Operations>`;
};

/** Decodes ChangeDUState; each `Operations` element needs its `xsi:type`. */
export const decodeChangeDUState = (e: Located): ChangeDUState => ({
  _tag: "ChangeDUState",
  operations: childrenNamed(e, "Operations").map(decodeOperation),
  ...opt("commandKey", optStr(e, "CommandKey")),
});

/** Encodes ChangeDUState. */
export const encodeChangeDUState = (m: ChangeDUState): string =>
  message(
    "ChangeDUState",
    m.operations.map(encodeOperation).join("") + optEl("CommandKey", m.commandKey),
  );

/** Codec of ChangeDUStateResponse (no fields). */
export const changeDUStateResponse: MessageCodec<ChangeDUStateResponse> =
  emptyCodec("ChangeDUStateResponse");

const decodeDuFault = (r: Located, cx: DecodeContext): DeploymentUnitFaultStruct => {
  const f = findChild(r, "Fault");
  if (f === undefined) {
    cx.warnings.push(`${pathOf(r)}/Fault: missing, read as success (FaultCode 0)`);
    return { faultCode: 0 };
  }
  return {
    faultCode: int(f, "FaultCode", cx, 0, UINT_MAX),
    ...opt("faultString", optStr(f, "FaultString")),
  };
};

const decodeOpResult = (r: Located, cx: DecodeContext): OpResultStruct => ({
  uuid: str(r, "UUID", cx),
  deploymentUnitRef: str(r, "DeploymentUnitRef", cx),
  version: str(r, "Version", cx),
  currentState: str(r, "CurrentState", cx),
  resolved: bool(r, "Resolved", cx),
  executionUnitRefList: str(r, "ExecutionUnitRefList", cx),
  startTime: dateTime(r, "StartTime", cx),
  completeTime: dateTime(r, "CompleteTime", cx),
  fault: decodeDuFault(r, cx),
});

const encodeOpResultFields = (r: OpResultStruct): string =>
  el("UUID", r.uuid) +
  el("DeploymentUnitRef", r.deploymentUnitRef) +
  el("Version", r.version) +
  el("CurrentState", r.currentState) +
  boolEl("Resolved", r.resolved) +
  el("ExecutionUnitRefList", r.executionUnitRefList) +
  el("StartTime", r.startTime) +
  el("CompleteTime", r.completeTime) +
  `<Fault>${num("FaultCode", r.fault.faultCode)}${optEl("FaultString", r.fault.faultString)}</Fault>`;

/** Decodes DUStateChangeComplete. */
export const decodeDUStateChangeComplete = (
  e: Located,
  cx: DecodeContext,
): DUStateChangeComplete => ({
  _tag: "DUStateChangeComplete",
  results: childrenNamed(e, "Results").map((r) => decodeOpResult(r, cx)),
  ...opt("commandKey", optStr(e, "CommandKey")),
});

/** Encodes DUStateChangeComplete. */
export const encodeDUStateChangeComplete = (m: DUStateChangeComplete): string =>
  message(
    "DUStateChangeComplete",
    m.results.map((r) => `<Results>${encodeOpResultFields(r)}</Results>`).join("") +
      optEl("CommandKey", m.commandKey),
  );

/** Codec of DUStateChangeCompleteResponse (no fields). */
export const duStateChangeCompleteResponse: MessageCodec<DUStateChangeCompleteResponse> =
  emptyCodec("DUStateChangeCompleteResponse");

/** Decodes AutonomousDUStateChangeComplete. */
export const decodeAutonomousDUStateChangeComplete = (
  e: Located,
  cx: DecodeContext,
): AutonomousDUStateChangeComplete => ({
  _tag: "AutonomousDUStateChangeComplete",
  results: childrenNamed(e, "Results").map(
    (r): AutonOpResultStruct => ({
      ...decodeOpResult(r, cx),
      operationPerformed: str(r, "OperationPerformed", cx),
    }),
  ),
});

/** Encodes AutonomousDUStateChangeComplete. */
export const encodeAutonomousDUStateChangeComplete = (m: AutonomousDUStateChangeComplete): string =>
  message(
    "AutonomousDUStateChangeComplete",
    m.results
      .map(
        (r) =>
          `<Results>${encodeOpResultFields(r)}${el("OperationPerformed", r.operationPerformed)}</Results>`,
      )
      .join(""),
  );

/** Codec of AutonomousDUStateChangeCompleteResponse (no fields). */
export const autonomousDUStateChangeCompleteResponse: MessageCodec<AutonomousDUStateChangeCompleteResponse> =
  emptyCodec("AutonomousDUStateChangeCompleteResponse");
