/**
 * The messages of the methods a CPE implements (ACS -> CPE requests and the CPE's responses).
 * Field conventions are stated in `messages.ts`.
 * @module
 */
import type {
  ParameterAttributeStruct,
  ParameterInfoStruct,
  SetParameterAttributesStruct,
} from "../cwmp/structs.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type {
  AllQueuedTransferStruct,
  ApplyStatus,
  OperationStruct,
  OptionStruct,
  QueuedTransferStruct,
  TimeWindowStruct,
} from "./rpc-structs.js";

/** GetRPCMethods (either direction). */
export interface GetRPCMethods {
  readonly _tag: "GetRPCMethods";
}
/** GetRPCMethodsResponse. */
export interface GetRPCMethodsResponse {
  readonly _tag: "GetRPCMethodsResponse";
  readonly methodList: readonly string[];
}
/** SetParameterValues. */
export interface SetParameterValues {
  readonly _tag: "SetParameterValues";
  readonly parameterList: readonly ParameterValueStruct[];
  readonly parameterKey: string;
}
/** SetParameterValuesResponse. */
export interface SetParameterValuesResponse {
  readonly _tag: "SetParameterValuesResponse";
  readonly status: ApplyStatus;
}
/** GetParameterValues. */
export interface GetParameterValues {
  readonly _tag: "GetParameterValues";
  readonly parameterNames: readonly string[];
}
/** GetParameterValuesResponse. */
export interface GetParameterValuesResponse {
  readonly _tag: "GetParameterValuesResponse";
  readonly parameterList: readonly ParameterValueStruct[];
}
/** GetParameterNames. */
export interface GetParameterNames {
  readonly _tag: "GetParameterNames";
  readonly parameterPath: string;
  readonly nextLevel: boolean;
}
/** GetParameterNamesResponse. */
export interface GetParameterNamesResponse {
  readonly _tag: "GetParameterNamesResponse";
  readonly parameterList: readonly ParameterInfoStruct[];
}
/** SetParameterAttributes. */
export interface SetParameterAttributes {
  readonly _tag: "SetParameterAttributes";
  readonly parameterList: readonly SetParameterAttributesStruct[];
}
/** SetParameterAttributesResponse. */
export interface SetParameterAttributesResponse {
  readonly _tag: "SetParameterAttributesResponse";
}
/** GetParameterAttributes. */
export interface GetParameterAttributes {
  readonly _tag: "GetParameterAttributes";
  readonly parameterNames: readonly string[];
}
/** GetParameterAttributesResponse. */
export interface GetParameterAttributesResponse {
  readonly _tag: "GetParameterAttributesResponse";
  readonly parameterList: readonly ParameterAttributeStruct[];
}
/** AddObject. */
export interface AddObject {
  readonly _tag: "AddObject";
  readonly objectName: string;
  readonly parameterKey: string;
}
/** AddObjectResponse. */
export interface AddObjectResponse {
  readonly _tag: "AddObjectResponse";
  readonly instanceNumber: number;
  readonly status: ApplyStatus;
}
/** DeleteObject. */
export interface DeleteObject {
  readonly _tag: "DeleteObject";
  readonly objectName: string;
  readonly parameterKey: string;
}
/** DeleteObjectResponse. */
export interface DeleteObjectResponse {
  readonly _tag: "DeleteObjectResponse";
  readonly status: ApplyStatus;
}
/** Reboot. */
export interface Reboot {
  readonly _tag: "Reboot";
  readonly commandKey: string;
}
/** RebootResponse. */
export interface RebootResponse {
  readonly _tag: "RebootResponse";
}
/** Download. */
export interface Download {
  readonly _tag: "Download";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly delaySeconds: number;
  readonly successUrl: string;
  readonly failureUrl: string;
}
/** DownloadResponse (status 1: completion reported later by TransferComplete). */
export interface DownloadResponse {
  readonly _tag: "DownloadResponse";
  readonly status: ApplyStatus;
  readonly startTime: string;
  readonly completeTime: string;
}
/** Upload. */
export interface Upload {
  readonly _tag: "Upload";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly delaySeconds: number;
}
/** UploadResponse. */
export interface UploadResponse {
  readonly _tag: "UploadResponse";
  readonly status: ApplyStatus;
  readonly startTime: string;
  readonly completeTime: string;
}
/** FactoryReset. */
export interface FactoryReset {
  readonly _tag: "FactoryReset";
}
/** FactoryResetResponse. */
export interface FactoryResetResponse {
  readonly _tag: "FactoryResetResponse";
}
/** GetQueuedTransfers. */
export interface GetQueuedTransfers {
  readonly _tag: "GetQueuedTransfers";
}
/** GetQueuedTransfersResponse. */
export interface GetQueuedTransfersResponse {
  readonly _tag: "GetQueuedTransfersResponse";
  readonly transferList: readonly QueuedTransferStruct[];
}
/** GetAllQueuedTransfers. */
export interface GetAllQueuedTransfers {
  readonly _tag: "GetAllQueuedTransfers";
}
/** GetAllQueuedTransfersResponse. */
export interface GetAllQueuedTransfersResponse {
  readonly _tag: "GetAllQueuedTransfersResponse";
  readonly transferList: readonly AllQueuedTransferStruct[];
}
/** ScheduleInform. */
export interface ScheduleInform {
  readonly _tag: "ScheduleInform";
  readonly delaySeconds: number;
  readonly commandKey: string;
}
/** ScheduleInformResponse. */
export interface ScheduleInformResponse {
  readonly _tag: "ScheduleInformResponse";
}
/** ScheduleDownload. */
export interface ScheduleDownload {
  readonly _tag: "ScheduleDownload";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly timeWindowList: readonly TimeWindowStruct[];
}
/** ScheduleDownloadResponse. */
export interface ScheduleDownloadResponse {
  readonly _tag: "ScheduleDownloadResponse";
}
/** CancelTransfer. */
export interface CancelTransfer {
  readonly _tag: "CancelTransfer";
  readonly commandKey: string;
}
/** CancelTransferResponse. */
export interface CancelTransferResponse {
  readonly _tag: "CancelTransferResponse";
}
/** ChangeDUState. */
export interface ChangeDUState {
  readonly _tag: "ChangeDUState";
  readonly operations: readonly OperationStruct[];
  readonly commandKey?: string;
}
/** ChangeDUStateResponse. */
export interface ChangeDUStateResponse {
  readonly _tag: "ChangeDUStateResponse";
}
/** SetVouchers: each voucher is the base64 text of a signed voucher. */
export interface SetVouchers {
  readonly _tag: "SetVouchers";
  readonly voucherList: readonly string[];
}
/** SetVouchersResponse. */
export interface SetVouchersResponse {
  readonly _tag: "SetVouchersResponse";
}
/** GetOptions (empty name: all options). */
export interface GetOptions {
  readonly _tag: "GetOptions";
  readonly optionName: string;
}
/** GetOptionsResponse. */
export interface GetOptionsResponse {
  readonly _tag: "GetOptionsResponse";
  readonly optionList: readonly OptionStruct[];
}
