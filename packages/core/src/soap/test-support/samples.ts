/**
 * Test support: one schema-valid sample of every message kind (values chosen to satisfy the
 * BBF XSD facets: OUI pattern, event codes, file types, UUIDs, object names ending in `.`).
 * The record type makes the set exhaustive.
 * @module
 */
import type { CwmpMessageOf, VendorMessage } from "../messages.js";
import type { TypedTag } from "../rpc/registry.js";

const uuid = "4b3b0c2e-8a5c-4c4e-9d1e-0123456789ab";
const t0 = "2026-11-27T20:00:00Z";
const t1 = "2026-11-27T20:00:05.123+01:00";
const params = [
  { name: "Device.DeviceInfo.SoftwareVersion", value: '1.2.3 <beta> & "more"', type: "string" },
  { name: "Device.DeviceInfo.UpTime", value: "4242", type: "unsignedInt" },
  { name: "Device.ManagementServer.PeriodicInformEnable", value: "true", type: "boolean" },
  { name: "Device.Time.CurrentLocalTime", value: "0001-01-01T00:00:00Z", type: "dateTime" },
  { name: "Device.X_Q.Blob", value: "aGVsbG8=", type: "base64" },
  { name: "Device.X_Q.Name", value: "Ünïcödé 😀 名前", type: "string" },
] as const;
const opResult = {
  uuid,
  deploymentUnitRef: "Device.SoftwareModules.DeploymentUnit.1",
  version: "1.0",
  currentState: "Installed",
  resolved: true,
  executionUnitRefList: "Device.SoftwareModules.ExecutionUnit.1",
  startTime: t0,
  completeTime: t1,
  fault: { faultCode: 0, faultString: "" },
};

/** One sample per typed message, keyed by tag. */
export const samples: { readonly [T in TypedTag]: CwmpMessageOf<T> } = {
  GetRPCMethods: { _tag: "GetRPCMethods" },
  GetRPCMethodsResponse: {
    _tag: "GetRPCMethodsResponse",
    methodList: ["GetRPCMethods", "GetParameterValues", "SetParameterValues"],
  },
  SetParameterValues: { _tag: "SetParameterValues", parameterList: params, parameterKey: "key-1" },
  SetParameterValuesResponse: { _tag: "SetParameterValuesResponse", status: 0 },
  GetParameterValues: {
    _tag: "GetParameterValues",
    parameterNames: ["Device.DeviceInfo.", "Device.ManagementServer.URL"],
  },
  GetParameterValuesResponse: { _tag: "GetParameterValuesResponse", parameterList: params },
  GetParameterNames: { _tag: "GetParameterNames", parameterPath: "Device.", nextLevel: true },
  GetParameterNamesResponse: {
    _tag: "GetParameterNamesResponse",
    parameterList: [
      { name: "Device.DeviceInfo.", writable: false },
      { name: "Device.ManagementServer.URL", writable: true },
    ],
  },
  SetParameterAttributes: {
    _tag: "SetParameterAttributes",
    parameterList: [
      {
        name: "Device.DeviceInfo.SoftwareVersion",
        notificationChange: true,
        notification: 2,
        accessListChange: true,
        accessList: ["Subscriber"],
      },
    ],
  },
  SetParameterAttributesResponse: { _tag: "SetParameterAttributesResponse" },
  GetParameterAttributes: {
    _tag: "GetParameterAttributes",
    parameterNames: ["Device.DeviceInfo."],
  },
  GetParameterAttributesResponse: {
    _tag: "GetParameterAttributesResponse",
    parameterList: [
      { name: "Device.DeviceInfo.SoftwareVersion", notification: 2, accessList: [] },
      { name: "Device.DeviceInfo.UpTime", notification: 0, accessList: ["Subscriber"] },
    ],
  },
  AddObject: { _tag: "AddObject", objectName: "Device.NAT.PortMapping.", parameterKey: "k" },
  AddObjectResponse: { _tag: "AddObjectResponse", instanceNumber: 3, status: 0 },
  DeleteObject: { _tag: "DeleteObject", objectName: "Device.NAT.PortMapping.3.", parameterKey: "" },
  DeleteObjectResponse: { _tag: "DeleteObjectResponse", status: 1 },
  Reboot: { _tag: "Reboot", commandKey: "reboot-1" },
  RebootResponse: { _tag: "RebootResponse" },
  Download: {
    _tag: "Download",
    commandKey: "dl-1",
    fileType: "1 Firmware Upgrade Image",
    url: "http://127.0.0.1:8080/fw.bin?a=1&b=2",
    username: "user",
    password: "p&ss",
    fileSize: 1048576,
    targetFileName: "fw.bin",
    delaySeconds: 0,
    successUrl: "",
    failureUrl: "",
  },
  DownloadResponse: {
    _tag: "DownloadResponse",
    status: 1,
    startTime: "0001-01-01T00:00:00Z",
    completeTime: "0001-01-01T00:00:00Z",
  },
  Upload: {
    _tag: "Upload",
    commandKey: "ul-1",
    fileType: "3 Vendor Configuration File",
    url: "http://127.0.0.1:8080/upload",
    username: "",
    password: "",
    delaySeconds: 5,
  },
  UploadResponse: { _tag: "UploadResponse", status: 0, startTime: t0, completeTime: t1 },
  FactoryReset: { _tag: "FactoryReset" },
  FactoryResetResponse: { _tag: "FactoryResetResponse" },
  GetQueuedTransfers: { _tag: "GetQueuedTransfers" },
  GetQueuedTransfersResponse: {
    _tag: "GetQueuedTransfersResponse",
    transferList: [{ commandKey: "dl-1", state: 2 }],
  },
  GetAllQueuedTransfers: { _tag: "GetAllQueuedTransfers" },
  GetAllQueuedTransfersResponse: {
    _tag: "GetAllQueuedTransfersResponse",
    transferList: [
      {
        commandKey: "dl-1",
        state: 1,
        isDownload: true,
        fileType: "1 Firmware Upgrade Image",
        fileSize: 10,
        targetFileName: "fw.bin",
      },
    ],
  },
  ScheduleInform: { _tag: "ScheduleInform", delaySeconds: 60, commandKey: "si" },
  ScheduleInformResponse: { _tag: "ScheduleInformResponse" },
  ScheduleDownload: {
    _tag: "ScheduleDownload",
    commandKey: "sd",
    fileType: "1 Firmware Upgrade Image",
    url: "http://127.0.0.1:8080/fw.bin",
    username: "",
    password: "",
    fileSize: 0,
    targetFileName: "",
    timeWindowList: [
      {
        windowStart: 0,
        windowEnd: 3600,
        windowMode: "1 At Any Time",
        userMessage: "",
        maxRetries: -1,
      },
    ],
  },
  ScheduleDownloadResponse: { _tag: "ScheduleDownloadResponse" },
  CancelTransfer: { _tag: "CancelTransfer", commandKey: "dl-1" },
  CancelTransferResponse: { _tag: "CancelTransferResponse" },
  ChangeDUState: {
    _tag: "ChangeDUState",
    operations: [
      {
        _tag: "InstallOpStruct",
        url: "http://127.0.0.1:8080/du.ipk",
        uuid,
        executionEnvRef: "Device.SoftwareModules.ExecEnv.1",
      },
      { _tag: "UpdateOpStruct", uuid, version: "2.0" },
      { _tag: "UninstallOpStruct", uuid },
    ],
    commandKey: "du",
  },
  ChangeDUStateResponse: { _tag: "ChangeDUStateResponse" },
  SetVouchers: { _tag: "SetVouchers", voucherList: ["aGVsbG8=", "d29ybGQ="] },
  SetVouchersResponse: { _tag: "SetVouchersResponse" },
  GetOptions: { _tag: "GetOptions", optionName: "" },
  GetOptionsResponse: {
    _tag: "GetOptionsResponse",
    optionList: [
      { optionName: "X_Q_Opt", voucherSn: 7, state: 1, mode: 0, startDate: t0, isTransferable: 1 },
      {
        optionName: "X_Q_Two",
        voucherSn: 8,
        state: 0,
        mode: 1,
        startDate: t0,
        expirationDate: t1,
        isTransferable: 0,
      },
    ],
  },
  Inform: {
    _tag: "Inform",
    deviceId: {
      manufacturer: "Quectel",
      oui: "00A0C6",
      productClass: "EC200U",
      serialNumber: "SN0001",
    },
    event: [
      { eventCode: "1 BOOT", commandKey: "" },
      { eventCode: "M Reboot", commandKey: "reboot-1" },
    ],
    maxEnvelopes: 1,
    currentTime: t1,
    retryCount: 0,
    parameterList: params,
  },
  InformResponse: { _tag: "InformResponse", maxEnvelopes: 1 },
  TransferComplete: {
    _tag: "TransferComplete",
    commandKey: "dl-1",
    faultStruct: { faultCode: 9010, faultString: "File transfer failure" },
    startTime: t0,
    completeTime: t1,
  },
  TransferCompleteResponse: { _tag: "TransferCompleteResponse" },
  AutonomousTransferComplete: {
    _tag: "AutonomousTransferComplete",
    announceUrl: "",
    transferUrl: "http://127.0.0.1:8080/fw.bin",
    isDownload: true,
    fileType: "1 Firmware Upgrade Image",
    fileSize: 100,
    targetFileName: "fw.bin",
    faultStruct: { faultCode: 0, faultString: "" },
    startTime: t0,
    completeTime: t1,
  },
  AutonomousTransferCompleteResponse: { _tag: "AutonomousTransferCompleteResponse" },
  DUStateChangeComplete: { _tag: "DUStateChangeComplete", results: [opResult], commandKey: "du" },
  DUStateChangeCompleteResponse: { _tag: "DUStateChangeCompleteResponse" },
  AutonomousDUStateChangeComplete: {
    _tag: "AutonomousDUStateChangeComplete",
    results: [{ ...opResult, fault: { faultCode: 9018 }, operationPerformed: "Install" }],
  },
  AutonomousDUStateChangeCompleteResponse: { _tag: "AutonomousDUStateChangeCompleteResponse" },
  RequestDownload: {
    _tag: "RequestDownload",
    fileType: "1 Firmware Upgrade Image",
    fileTypeArg: [{ name: "Version", value: "2.0" }],
  },
  RequestDownloadResponse: { _tag: "RequestDownloadResponse" },
  Kicked: {
    _tag: "Kicked",
    command: "cmd",
    referer: "http://127.0.0.1/",
    arg: "a=1",
    next: "http://127.0.0.1/next",
  },
  KickedResponse: { _tag: "KickedResponse", nextUrl: "http://127.0.0.1/next" },
  Fault: {
    _tag: "Fault",
    faultcode: "Client",
    faultstring: "CWMP fault",
    detail: {
      faultCode: 9003,
      faultString: "Invalid arguments",
      setParameterValuesFaults: [
        {
          parameterName: "Device.ManagementServer.PeriodicInformInterval",
          faultCode: 9007,
          faultString: "Invalid parameter value",
        },
        {
          parameterName: "Device.DeviceInfo.UpTime",
          faultCode: 9008,
          faultString: "Attempt to set a non-writable parameter",
        },
      ],
    },
  },
};

/** A vendor RPC as a Quectel handler would receive it. */
export const vendorSample: VendorMessage = {
  _tag: "VendorMessage",
  name: "X_QUECTEL_Diag",
  element: {
    name: "cwmp:X_QUECTEL_Diag",
    namespace: "cwmp",
    namespaceUri: "urn:dslforum-org:cwmp-1-2",
    localName: "X_QUECTEL_Diag",
    attributes: {},
    text: "",
    children: [
      {
        name: "Target",
        localName: "Target",
        attributes: { kind: "ping" },
        text: "127.0.0.1",
        children: [],
      },
      { name: "Count", localName: "Count", attributes: {}, text: "3", children: [] },
    ],
  },
};
