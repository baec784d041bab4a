/**
 * The codec table: one entry per CWMP body element, keyed by the element name (`_tag`). Its type
 * makes it exhaustive: adding a message to the model without a codec fails to compile.
 * @module
 */
import type { CwmpMessageOf, CwmpMessageTag } from "../messages.js";
import type { MessageCodec } from "./codec.js";
import * as du from "./deployment-units.js";
import * as dc from "./device-control.js";
import * as fault from "./fault.js";
import * as inform from "./inform.js";
import * as kicked from "./kicked.js";
import * as objects from "./objects.js";
import * as opts from "./options.js";
import * as attrs from "./parameter-attributes.js";
import * as names from "./parameter-names.js";
import * as values from "./parameter-values.js";
import * as queued from "./queued-transfers.js";
import * as tc from "./transfer-complete.js";
import * as tr from "./transfers.js";

/** Tags with a typed codec (every message but `VendorMessage`). */
export type TypedTag = Exclude<CwmpMessageTag, "VendorMessage">;

type CodecTable = { readonly [T in TypedTag]: MessageCodec<CwmpMessageOf<T>> };

/** Every typed codec by element name. */
export const codecs: CodecTable = {
  GetRPCMethods: dc.getRPCMethods,
  GetRPCMethodsResponse: {
    decode: dc.decodeGetRPCMethodsResponse,
    encode: dc.encodeGetRPCMethodsResponse,
  },
  SetParameterValues: {
    decode: values.decodeSetParameterValues,
    encode: values.encodeSetParameterValues,
  },
  SetParameterValuesResponse: {
    decode: values.decodeSetParameterValuesResponse,
    encode: values.encodeSetParameterValuesResponse,
  },
  GetParameterValues: {
    decode: values.decodeGetParameterValues,
    encode: values.encodeGetParameterValues,
  },
  GetParameterValuesResponse: {
    decode: values.decodeGetParameterValuesResponse,
    encode: values.encodeGetParameterValuesResponse,
  },
  GetParameterNames: {
    decode: names.decodeGetParameterNames,
    encode: names.encodeGetParameterNames,
  },
  GetParameterNamesResponse: {
    decode: names.decodeGetParameterNamesResponse,
    encode: names.encodeGetParameterNamesResponse,
  },
  SetParameterAttributes: {
    decode: attrs.decodeSetParameterAttributes,
    encode: attrs.encodeSetParameterAttributes,
  },
  SetParameterAttributesResponse: attrs.setParameterAttributesResponse,
  GetParameterAttributes: {
    decode: attrs.decodeGetParameterAttributes,
    encode: attrs.encodeGetParameterAttributes,
  },
  GetParameterAttributesResponse: {
    decode: attrs.decodeGetParameterAttributesResponse,
    encode: attrs.encodeGetParameterAttributesResponse,
  },
  AddObject: { decode: objects.decodeAddObject, encode: objects.encodeAddObject },
  AddObjectResponse: {
    decode: objects.decodeAddObjectResponse,
    encode: objects.encodeAddObjectResponse,
  },
  DeleteObject: { decode: objects.decodeDeleteObject, encode: objects.encodeDeleteObject },
  DeleteObjectResponse: {
    decode: objects.decodeDeleteObjectResponse,
    encode: objects.encodeDeleteObjectResponse,
  },
  Reboot: { decode: dc.decodeReboot, encode: dc.encodeReboot },
  RebootResponse: dc.rebootResponse,
  Download: { decode: tr.decodeDownload, encode: tr.encodeDownload },
  DownloadResponse: { decode: tr.decodeDownloadResponse, encode: tr.encodeDownloadResponse },
  Upload: { decode: tr.decodeUpload, encode: tr.encodeUpload },
  UploadResponse: { decode: tr.decodeUploadResponse, encode: tr.encodeUploadResponse },
  FactoryReset: dc.factoryReset,
  FactoryResetResponse: dc.factoryResetResponse,
  GetQueuedTransfers: queued.getQueuedTransfers,
  GetQueuedTransfersResponse: {
    decode: queued.decodeGetQueuedTransfersResponse,
    encode: queued.encodeGetQueuedTransfersResponse,
  },
  GetAllQueuedTransfers: queued.getAllQueuedTransfers,
  GetAllQueuedTransfersResponse: {
    decode: queued.decodeGetAllQueuedTransfersResponse,
    encode: queued.encodeGetAllQueuedTransfersResponse,
  },
  ScheduleInform: { decode: dc.decodeScheduleInform, encode: dc.encodeScheduleInform },
  ScheduleInformResponse: dc.scheduleInformResponse,
  ScheduleDownload: { decode: tr.decodeScheduleDownload, encode: tr.encodeScheduleDownload },
  ScheduleDownloadResponse: tr.scheduleDownloadResponse,
  CancelTransfer: { decode: tr.decodeCancelTransfer, encode: tr.encodeCancelTransfer },
  CancelTransferResponse: tr.cancelTransferResponse,
  ChangeDUState: { decode: du.decodeChangeDUState, encode: du.encodeChangeDUState },
  ChangeDUStateResponse: du.changeDUStateResponse,
  SetVouchers: { decode: opts.decodeSetVouchers, encode: opts.encodeSetVouchers },
  SetVouchersResponse: opts.setVouchersResponse,
  GetOptions: { decode: opts.decodeGetOptions, encode: opts.encodeGetOptions },
  GetOptionsResponse: {
    decode: opts.decodeGetOptionsResponse,
    encode: opts.encodeGetOptionsResponse,
  },
  Inform: { decode: inform.decodeInform, encode: inform.encodeInform },
  InformResponse: { decode: inform.decodeInformResponse, encode: inform.encodeInformResponse },
  TransferComplete: { decode: tc.decodeTransferComplete, encode: tc.encodeTransferComplete },
  TransferCompleteResponse: tc.transferCompleteResponse,
  AutonomousTransferComplete: {
    decode: tc.decodeAutonomousTransferComplete,
    encode: tc.encodeAutonomousTransferComplete,
  },
  AutonomousTransferCompleteResponse: tc.autonomousTransferCompleteResponse,
  DUStateChangeComplete: {
    decode: du.decodeDUStateChangeComplete,
    encode: du.encodeDUStateChangeComplete,
  },
  DUStateChangeCompleteResponse: du.duStateChangeCompleteResponse,
  AutonomousDUStateChangeComplete: {
    decode: du.decodeAutonomousDUStateChangeComplete,
    encode: du.encodeAutonomousDUStateChangeComplete,
  },
  AutonomousDUStateChangeCompleteResponse: du.autonomousDUStateChangeCompleteResponse,
  RequestDownload: { decode: tc.decodeRequestDownload, encode: tc.encodeRequestDownload },
  RequestDownloadResponse: tc.requestDownloadResponse,
  Kicked: { decode: kicked.decodeKicked, encode: kicked.encodeKicked },
  KickedResponse: { decode: kicked.decodeKickedResponse, encode: kicked.encodeKickedResponse },
  Fault: { decode: fault.decodeFault, encode: fault.encodeFault },
};

/** The codec for a body element's local name, if it is a typed CWMP message. */
export const codecFor = (name: string): MessageCodec<CwmpMessageOf<TypedTag>> | undefined =>
  Object.hasOwn(codecs, name)
    ? (codecs[name as TypedTag] as MessageCodec<CwmpMessageOf<TypedTag>>)
    : undefined;
