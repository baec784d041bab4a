/**
 * The messages of the methods an ACS implements (CPE -> ACS requests and the ACS's responses).
 * Field conventions are stated in `messages.ts`.
 * @module
 */
import type { DeviceIdStruct, EventStruct } from "../cwmp/structs.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type {
  ArgStruct,
  AutonOpResultStruct,
  OpResultStruct,
  TransferCompleteFaultStruct,
} from "./rpc-structs.js";

/** Inform. `maxEnvelopes` is sent as 1 and ignored on receipt (H4). */
export interface Inform {
  readonly _tag: "Inform";
  readonly deviceId: DeviceIdStruct;
  readonly event: readonly EventStruct[];
  readonly maxEnvelopes: number;
  readonly currentTime: string;
  readonly retryCount: number;
  readonly parameterList: readonly ParameterValueStruct[];
}
/** InformResponse. */
export interface InformResponse {
  readonly _tag: "InformResponse";
  readonly maxEnvelopes: number;
}
/** TransferComplete. */
export interface TransferComplete {
  readonly _tag: "TransferComplete";
  readonly commandKey: string;
  readonly faultStruct: TransferCompleteFaultStruct;
  readonly startTime: string;
  readonly completeTime: string;
}
/** TransferCompleteResponse. */
export interface TransferCompleteResponse {
  readonly _tag: "TransferCompleteResponse";
}
/** AutonomousTransferComplete. */
export interface AutonomousTransferComplete {
  readonly _tag: "AutonomousTransferComplete";
  readonly announceUrl: string;
  readonly transferUrl: string;
  readonly isDownload: boolean;
  readonly fileType: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly faultStruct: TransferCompleteFaultStruct;
  readonly startTime: string;
  readonly completeTime: string;
}
/** AutonomousTransferCompleteResponse. */
export interface AutonomousTransferCompleteResponse {
  readonly _tag: "AutonomousTransferCompleteResponse";
}
/** DUStateChangeComplete. */
export interface DUStateChangeComplete {
  readonly _tag: "DUStateChangeComplete";
  readonly results: readonly OpResultStruct[];
  readonly commandKey?: string;
}
/** DUStateChangeCompleteResponse. */
export interface DUStateChangeCompleteResponse {
  readonly _tag: "DUStateChangeCompleteResponse";
}
/** AutonomousDUStateChangeComplete. */
export interface AutonomousDUStateChangeComplete {
  readonly _tag: "AutonomousDUStateChangeComplete";
  readonly results: readonly AutonOpResultStruct[];
}
/** AutonomousDUStateChangeCompleteResponse. */
export interface AutonomousDUStateChangeCompleteResponse {
  readonly _tag: "AutonomousDUStateChangeCompleteResponse";
}
/** RequestDownload. */
export interface RequestDownload {
  readonly _tag: "RequestDownload";
  readonly fileType: string;
  readonly fileTypeArg: readonly ArgStruct[];
}
/** RequestDownloadResponse. */
export interface RequestDownloadResponse {
  readonly _tag: "RequestDownloadResponse";
}
/** Kicked. */
export interface Kicked {
  readonly _tag: "Kicked";
  readonly command: string;
  readonly referer: string;
  readonly arg: string;
  readonly next: string;
}
/** KickedResponse. */
export interface KickedResponse {
  readonly _tag: "KickedResponse";
  readonly nextUrl: string;
}
