/**
 * The structures nested inside CWMP messages that are not shared beyond the SOAP layer
 * (transfers, time windows, deployment-unit operations and results, options, fault detail).
 * Field names follow the conventions stated in `messages.ts`.
 * @module
 */
import type { SetParameterValuesFault } from "../cwmp/fault.js";

/** `Status` of the SetParameterValues/AddObject/DeleteObject responses: 1 = applied later. */
export type ApplyStatus = 0 | 1;

/** `State` of a queued transfer: 1 not yet started, 2 in progress, 3 completed. */
export type TransferState = 1 | 2 | 3;

/** `FaultStruct` of TransferComplete / AutonomousTransferComplete: code 0 means success. */
export interface TransferCompleteFaultStruct {
  readonly faultCode: number;
  readonly faultString: string;
}

/** `QueuedTransferStruct` of GetQueuedTransfersResponse. */
export interface QueuedTransferStruct {
  readonly commandKey: string;
  readonly state: TransferState;
}

/** `AllQueuedTransferStruct` of GetAllQueuedTransfersResponse. */
export interface AllQueuedTransferStruct extends QueuedTransferStruct {
  readonly isDownload: boolean;
  readonly fileType: string;
  readonly fileSize: number;
  readonly targetFileName: string;
}

/** `TimeWindowStruct` of ScheduleDownload (at most two per request). */
export interface TimeWindowStruct {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly windowMode: string;
  readonly userMessage: string;
  readonly maxRetries: number;
}

/** `ArgStruct` of RequestDownload's `FileTypeArg`. */
export interface ArgStruct {
  readonly name: string;
  readonly value: string;
}

/** `OptionStruct` of GetOptionsResponse. */
export interface OptionStruct {
  readonly optionName: string;
  readonly voucherSn: number;
  readonly state: number;
  readonly mode: number;
  readonly startDate: string;
  readonly expirationDate?: string;
  readonly isTransferable: number;
}

/** `InstallOpStruct` of ChangeDUState (`xsi:type="cwmp:InstallOpStruct"`). */
export interface InstallOpStruct {
  readonly _tag: "InstallOpStruct";
  readonly url: string;
  readonly uuid?: string;
  readonly username?: string;
  readonly password?: string;
  readonly executionEnvRef?: string;
}

/** `UpdateOpStruct` of ChangeDUState. */
export interface UpdateOpStruct {
  readonly _tag: "UpdateOpStruct";
  readonly uuid?: string;
  readonly version?: string;
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
}

/** `UninstallOpStruct` of ChangeDUState. */
export interface UninstallOpStruct {
  readonly _tag: "UninstallOpStruct";
  readonly uuid: string;
  readonly version?: string;
  readonly executionEnvRef?: string;
}

/** One `Operations` entry of ChangeDUState, discriminated by its `xsi:type`. */
export type OperationStruct = InstallOpStruct | UpdateOpStruct | UninstallOpStruct;

/** `DeploymentUnitFaultStruct`: code 0 means success; the string is optional in the XSD. */
export interface DeploymentUnitFaultStruct {
  readonly faultCode: number;
  readonly faultString?: string;
}

/** `OpResultStruct` of DUStateChangeComplete. */
export interface OpResultStruct {
  readonly uuid: string;
  readonly deploymentUnitRef: string;
  readonly version: string;
  /** `"Installed" | "Uninstalled" | "Failed"` in the XSD, kept as a string for tolerance. */
  readonly currentState: string;
  readonly resolved: boolean;
  readonly executionUnitRefList: string;
  readonly startTime: string;
  readonly completeTime: string;
  readonly fault: DeploymentUnitFaultStruct;
}

/** `AutonOpResultStruct` of AutonomousDUStateChangeComplete. */
export interface AutonOpResultStruct extends OpResultStruct {
  /** `"Install" | "Update" | "Uninstall"` or a vendor operation. */
  readonly operationPerformed: string;
}

/** The `detail/cwmp:Fault` of a SOAP Fault. */
export interface CwmpFaultDetail {
  readonly faultCode: number;
  readonly faultString: string;
  readonly setParameterValuesFaults: readonly SetParameterValuesFault[];
}
