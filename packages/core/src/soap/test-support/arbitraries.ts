/**
 * Test support: a fast-check arbitrary for every message kind (values from
 * `value-arbitraries.ts`).
 * @module
 */
import fc from "fast-check";
import type { CwmpMessage, CwmpMessageOf } from "../messages.js";
import type { TypedTag } from "../rpc/registry.js";
import {
  compact,
  dateTime,
  faultStruct,
  int,
  key,
  name,
  opt,
  pvList,
  status,
  strings,
  uint,
  xmlString,
} from "./value-arbitraries.js";

const opResult = fc.record({
  uuid: xmlString(36),
  deploymentUnitRef: xmlString(),
  version: xmlString(32),
  currentState: fc.constantFrom("Installed", "Uninstalled", "Failed"),
  resolved: fc.boolean(),
  executionUnitRefList: xmlString(),
  startTime: dateTime,
  completeTime: dateTime,
  fault: fc.record({ faultCode: uint, faultString: opt(xmlString()) }).map(compact),
});

const operation = fc.oneof(
  fc
    .record({
      _tag: fc.constant("InstallOpStruct" as const),
      url: xmlString(),
      uuid: opt(xmlString(36)),
      username: opt(xmlString()),
      password: opt(xmlString()),
      executionEnvRef: opt(xmlString()),
    })
    .map(compact),
  fc
    .record({
      _tag: fc.constant("UpdateOpStruct" as const),
      uuid: opt(xmlString(36)),
      version: opt(xmlString(32)),
      url: opt(xmlString()),
      username: opt(xmlString()),
      password: opt(xmlString()),
    })
    .map(compact),
  fc
    .record({
      _tag: fc.constant("UninstallOpStruct" as const),
      uuid: xmlString(36),
      version: opt(xmlString(32)),
      executionEnvRef: opt(xmlString()),
    })
    .map(compact),
);

const empty = <T extends TypedTag>(tag: T) => fc.constant({ _tag: tag } as CwmpMessageOf<T>);
const notification = fc.constantFrom(
  0 as const,
  1 as const,
  2 as const,
  3 as const,
  4 as const,
  5 as const,
  6 as const,
);

/** An arbitrary per typed message kind. */
export const messageArbitraries: { readonly [T in TypedTag]: fc.Arbitrary<CwmpMessageOf<T>> } = {
  GetRPCMethods: empty("GetRPCMethods"),
  GetRPCMethodsResponse: fc.record({
    _tag: fc.constant("GetRPCMethodsResponse"),
    methodList: strings(),
  }),
  SetParameterValues: fc.record({
    _tag: fc.constant("SetParameterValues"),
    parameterList: pvList,
    parameterKey: key,
  }),
  SetParameterValuesResponse: fc.record({
    _tag: fc.constant("SetParameterValuesResponse"),
    status,
  }),
  GetParameterValues: fc.record({
    _tag: fc.constant("GetParameterValues"),
    parameterNames: strings(),
  }),
  GetParameterValuesResponse: fc.record({
    _tag: fc.constant("GetParameterValuesResponse"),
    parameterList: pvList,
  }),
  GetParameterNames: fc.record({
    _tag: fc.constant("GetParameterNames"),
    parameterPath: name,
    nextLevel: fc.boolean(),
  }),
  GetParameterNamesResponse: fc.record({
    _tag: fc.constant("GetParameterNamesResponse"),
    parameterList: fc.array(fc.record({ name, writable: fc.boolean() }), { maxLength: 5 }),
  }),
  SetParameterAttributes: fc.record({
    _tag: fc.constant("SetParameterAttributes"),
    parameterList: fc.array(
      fc.record({
        name,
        notificationChange: fc.boolean(),
        notification,
        accessListChange: fc.boolean(),
        accessList: fc.array(xmlString(), { maxLength: 2 }),
      }),
      { maxLength: 4 },
    ),
  }),
  SetParameterAttributesResponse: empty("SetParameterAttributesResponse"),
  GetParameterAttributes: fc.record({
    _tag: fc.constant("GetParameterAttributes"),
    parameterNames: strings(),
  }),
  GetParameterAttributesResponse: fc.record({
    _tag: fc.constant("GetParameterAttributesResponse"),
    parameterList: fc.array(
      fc.record({ name, notification, accessList: fc.array(xmlString(), { maxLength: 2 }) }),
      {
        maxLength: 4,
      },
    ),
  }),
  AddObject: fc.record({ _tag: fc.constant("AddObject"), objectName: name, parameterKey: key }),
  AddObjectResponse: fc.record({
    _tag: fc.constant("AddObjectResponse"),
    instanceNumber: fc.integer({ min: 1, max: 4294967295 }),
    status,
  }),
  DeleteObject: fc.record({
    _tag: fc.constant("DeleteObject"),
    objectName: name,
    parameterKey: key,
  }),
  DeleteObjectResponse: fc.record({ _tag: fc.constant("DeleteObjectResponse"), status }),
  Reboot: fc.record({ _tag: fc.constant("Reboot"), commandKey: key }),
  RebootResponse: empty("RebootResponse"),
  Download: fc.record({
    _tag: fc.constant("Download"),
    commandKey: key,
    fileType: xmlString(64),
    url: name,
    username: name,
    password: name,
    fileSize: uint,
    targetFileName: name,
    delaySeconds: uint,
    successUrl: name,
    failureUrl: name,
  }),
  DownloadResponse: fc.record({
    _tag: fc.constant("DownloadResponse"),
    status,
    startTime: dateTime,
    completeTime: dateTime,
  }),
  Upload: fc.record({
    _tag: fc.constant("Upload"),
    commandKey: key,
    fileType: xmlString(64),
    url: name,
    username: name,
    password: name,
    delaySeconds: uint,
  }),
  UploadResponse: fc.record({
    _tag: fc.constant("UploadResponse"),
    status,
    startTime: dateTime,
    completeTime: dateTime,
  }),
  FactoryReset: empty("FactoryReset"),
  FactoryResetResponse: empty("FactoryResetResponse"),
  GetQueuedTransfers: empty("GetQueuedTransfers"),
  GetQueuedTransfersResponse: fc.record({
    _tag: fc.constant("GetQueuedTransfersResponse"),
    transferList: fc.array(
      fc.record({ commandKey: key, state: fc.constantFrom(1 as const, 2 as const, 3 as const) }),
      {
        maxLength: 16,
      },
    ),
  }),
  GetAllQueuedTransfers: empty("GetAllQueuedTransfers"),
  GetAllQueuedTransfersResponse: fc.record({
    _tag: fc.constant("GetAllQueuedTransfersResponse"),
    transferList: fc.array(
      fc.record({
        commandKey: key,
        state: fc.constantFrom(1 as const, 2 as const, 3 as const),
        isDownload: fc.boolean(),
        fileType: xmlString(64),
        fileSize: uint,
        targetFileName: name,
      }),
      { maxLength: 4 },
    ),
  }),
  ScheduleInform: fc.record({
    _tag: fc.constant("ScheduleInform"),
    delaySeconds: uint,
    commandKey: key,
  }),
  ScheduleInformResponse: empty("ScheduleInformResponse"),
  ScheduleDownload: fc.record({
    _tag: fc.constant("ScheduleDownload"),
    commandKey: key,
    fileType: xmlString(64),
    url: name,
    username: name,
    password: name,
    fileSize: uint,
    targetFileName: name,
    timeWindowList: fc.array(
      fc.record({
        windowStart: uint,
        windowEnd: uint,
        windowMode: xmlString(64),
        userMessage: name,
        maxRetries: int,
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
  ScheduleDownloadResponse: empty("ScheduleDownloadResponse"),
  CancelTransfer: fc.record({ _tag: fc.constant("CancelTransfer"), commandKey: key }),
  CancelTransferResponse: empty("CancelTransferResponse"),
  ChangeDUState: fc
    .record({
      _tag: fc.constant("ChangeDUState"),
      operations: fc.array(operation, { minLength: 1, maxLength: 4 }),
      commandKey: opt(key),
    })
    .map(compact),
  ChangeDUStateResponse: empty("ChangeDUStateResponse"),
  SetVouchers: fc.record({
    _tag: fc.constant("SetVouchers"),
    voucherList: fc.array(fc.base64String(), { maxLength: 3 }),
  }),
  SetVouchersResponse: empty("SetVouchersResponse"),
  GetOptions: fc.record({ _tag: fc.constant("GetOptions"), optionName: xmlString(64) }),
  GetOptionsResponse: fc.record({
    _tag: fc.constant("GetOptionsResponse"),
    optionList: fc.array(
      fc
        .record({
          optionName: xmlString(64),
          voucherSn: uint,
          state: uint,
          mode: int,
          startDate: dateTime,
          expirationDate: opt(dateTime),
          isTransferable: int,
        })
        .map(compact),
      { maxLength: 3 },
    ),
  }),
  Inform: fc.record({
    _tag: fc.constant("Inform"),
    deviceId: fc.record({
      manufacturer: xmlString(64),
      oui: xmlString(6),
      productClass: xmlString(64),
      serialNumber: xmlString(64),
    }),
    event: fc.array(fc.record({ eventCode: xmlString(64), commandKey: key }), { maxLength: 4 }),
    maxEnvelopes: uint,
    currentTime: dateTime,
    retryCount: uint,
    parameterList: pvList,
  }),
  InformResponse: fc.record({ _tag: fc.constant("InformResponse"), maxEnvelopes: uint }),
  TransferComplete: fc.record({
    _tag: fc.constant("TransferComplete"),
    commandKey: key,
    faultStruct,
    startTime: dateTime,
    completeTime: dateTime,
  }),
  TransferCompleteResponse: empty("TransferCompleteResponse"),
  AutonomousTransferComplete: fc.record({
    _tag: fc.constant("AutonomousTransferComplete"),
    announceUrl: name,
    transferUrl: name,
    isDownload: fc.boolean(),
    fileType: xmlString(64),
    fileSize: uint,
    targetFileName: name,
    faultStruct,
    startTime: dateTime,
    completeTime: dateTime,
  }),
  AutonomousTransferCompleteResponse: empty("AutonomousTransferCompleteResponse"),
  DUStateChangeComplete: fc
    .record({
      _tag: fc.constant("DUStateChangeComplete"),
      results: fc.array(opResult, { minLength: 1, maxLength: 3 }),
      commandKey: opt(key),
    })
    .map(compact),
  DUStateChangeCompleteResponse: empty("DUStateChangeCompleteResponse"),
  AutonomousDUStateChangeComplete: fc.record({
    _tag: fc.constant("AutonomousDUStateChangeComplete"),
    results: fc.array(
      fc
        .tuple(opResult, xmlString(32))
        .map(([r, operationPerformed]) => ({ ...r, operationPerformed })),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  AutonomousDUStateChangeCompleteResponse: empty("AutonomousDUStateChangeCompleteResponse"),
  RequestDownload: fc.record({
    _tag: fc.constant("RequestDownload"),
    fileType: xmlString(64),
    fileTypeArg: fc.array(fc.record({ name: xmlString(64), value: name }), { maxLength: 16 }),
  }),
  RequestDownloadResponse: empty("RequestDownloadResponse"),
  Kicked: fc.record({
    _tag: fc.constant("Kicked"),
    command: key,
    referer: xmlString(64),
    arg: name,
    next: name,
  }),
  KickedResponse: fc.record({ _tag: fc.constant("KickedResponse"), nextUrl: name }),
  Fault: fc
    .record({
      _tag: fc.constant("Fault"),
      faultcode: fc.constantFrom("Client", "Server"),
      faultstring: xmlString(),
      detail: opt(
        fc.record({
          faultCode: uint,
          faultString: xmlString(),
          setParameterValuesFaults: fc.array(
            fc.record({ parameterName: name, faultCode: uint, faultString: xmlString() }),
            { maxLength: 4 },
          ),
        }),
      ),
    })
    .map(compact),
};

/** Any typed message. */
export const anyTypedMessage: fc.Arbitrary<CwmpMessage> = fc.oneof(
  ...(Object.values(messageArbitraries) as fc.Arbitrary<CwmpMessage>[]),
);
