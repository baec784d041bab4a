/**
 * One-line summaries of CWMP messages for the session log and the demo transcript: the method
 * name and the few fields a TR-069 engineer looks at first (events of an Inform, fault codes,
 * statuses, names asked for).
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

const names = (list: readonly string[]): string =>
  list.length <= 2 ? list.join(", ") : `${list.slice(0, 2).join(", ")}, +${list.length - 2}`;

/** A one-line summary of `message`, e.g. `Inform [0 BOOTSTRAP, 1 BOOT]` or `Fault 9003`. */
export const describeMessage = (message: CwmpMessage): string => {
  switch (message._tag) {
    case "Inform":
      return `Inform [${message.event.map((e) => (e.commandKey === "" ? e.eventCode : `${e.eventCode}(${e.commandKey})`)).join(", ")}]`;
    case "Fault": {
      const d = message.detail;
      if (d === undefined) return `Fault (${message.faultstring})`;
      const per = d.setParameterValuesFaults.map((f) => `${f.parameterName}=${f.faultCode}`);
      return `Fault ${d.faultCode} ${d.faultString}${per.length > 0 ? ` [${per.join(", ")}]` : ""}`;
    }
    case "GetParameterNames":
      return `GetParameterNames ${message.parameterPath}${message.nextLevel ? " (next level)" : ""}`;
    case "GetParameterNamesResponse":
      return `GetParameterNamesResponse (${count(message.parameterList.length, "name")})`;
    case "GetParameterValues":
    case "GetParameterAttributes":
      return `${message._tag} ${names(message.parameterNames)}`;
    case "GetParameterValuesResponse":
      return `GetParameterValuesResponse (${count(message.parameterList.length, "value")})`;
    case "SetParameterValues":
      return `SetParameterValues ${names(message.parameterList.map((p) => p.name))}`;
    case "SetParameterValuesResponse":
    case "DeleteObjectResponse":
      return `${message._tag} status ${message.status}`;
    case "AddObject":
    case "DeleteObject":
      return `${message._tag} ${message.objectName}`;
    case "AddObjectResponse":
      return `AddObjectResponse instance ${message.instanceNumber} status ${message.status}`;
    case "Reboot":
      return `Reboot commandKey=${message.commandKey}`;
    case "Download":
      return `Download ${message.fileType} ${message.url}`;
    case "DownloadResponse":
      return `DownloadResponse status ${message.status}`;
    case "TransferComplete":
      return `TransferComplete commandKey=${message.commandKey} fault ${message.faultStruct.faultCode}`;
    case "ChangeDUState":
      return `ChangeDUState ${message.operations
        .map((op) =>
          op._tag === "InstallOpStruct"
            ? `Install ${op.url}`
            : op._tag === "UpdateOpStruct"
              ? `Update ${op.uuid ?? op.url ?? ""}`
              : `Uninstall ${op.uuid}`,
        )
        .join(", ")}`;
    case "DUStateChangeComplete":
      return `DUStateChangeComplete commandKey=${message.commandKey ?? ""}: ${message.results
        .map(
          (r) =>
            `${r.currentState} ${r.deploymentUnitRef || r.uuid} ${r.version} fault ${r.fault.faultCode}`,
        )
        .join(", ")}`;
    case "VendorMessage":
      return message.name;
    default:
      return message._tag;
  }
};
