/**
 * The typed CWMP message model: one member of {@link CwmpMessage} per body element of the BBF
 * XSDs (`cwmp-1-2.xsd`, plus the 1.3/1.4 headers), discriminated by `_tag`, which equals the CWMP
 * element name.
 *
 * Conventions (decided here, relied on by every codec and by the agent):
 * - Field names are the XSD element names in camelCase. Acronyms are camelCased as words:
 *   `URL` -> `url`, `SuccessURL` -> `successUrl`, `UUID` -> `uuid`, `VoucherSN` -> `voucherSn`,
 *   `OUI` -> `oui` (as in `DeviceIdStruct`). Singular XSD names stay singular (`Inform.event`).
 * - `xs:dateTime` fields are strings in the wire's lexical form, unchanged
 *   (`"0001-01-01T00:00:00Z"`, the Unknown Time, stays as it is; fractional seconds and offsets
 *   are kept). `xs:int`/`xs:unsignedInt` are numbers, `xs:boolean` are booleans, `base64` stays
 *   its text.
 * - Optional XSD elements (`minOccurs="0"`) are optional fields; the decoder leaves them absent
 *   when missing and the encoder omits them when absent. Required elements an ACS or CPE
 *   commonly omits are filled with a default by the decoder and reported as a warning.
 * @module
 */
import type {
  AddObject,
  AddObjectResponse,
  CancelTransfer,
  CancelTransferResponse,
  ChangeDUState,
  ChangeDUStateResponse,
  DeleteObject,
  DeleteObjectResponse,
  Download,
  DownloadResponse,
  FactoryReset,
  FactoryResetResponse,
  GetAllQueuedTransfers,
  GetAllQueuedTransfersResponse,
  GetOptions,
  GetOptionsResponse,
  GetParameterAttributes,
  GetParameterAttributesResponse,
  GetParameterNames,
  GetParameterNamesResponse,
  GetParameterValues,
  GetParameterValuesResponse,
  GetQueuedTransfers,
  GetQueuedTransfersResponse,
  GetRPCMethods,
  GetRPCMethodsResponse,
  Reboot,
  RebootResponse,
  ScheduleDownload,
  ScheduleDownloadResponse,
  ScheduleInform,
  ScheduleInformResponse,
  SetParameterAttributes,
  SetParameterAttributesResponse,
  SetParameterValues,
  SetParameterValuesResponse,
  SetVouchers,
  SetVouchersResponse,
  Upload,
  UploadResponse,
} from "./acs-methods.js";
import type {
  AutonomousDUStateChangeComplete,
  AutonomousDUStateChangeCompleteResponse,
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
  DUStateChangeComplete,
  DUStateChangeCompleteResponse,
  Inform,
  InformResponse,
  Kicked,
  KickedResponse,
  RequestDownload,
  RequestDownloadResponse,
  TransferComplete,
  TransferCompleteResponse,
} from "./cpe-methods.js";
import type { CwmpFaultDetail } from "./rpc-structs.js";
import type { XmlElement } from "./xml-element.js";

/** A CWMP protocol version. 1.3 and 1.4 share the namespace `urn:dslforum-org:cwmp-1-2` (V2). */
export type CwmpVersion = "1.0" | "1.1" | "1.2" | "1.3" | "1.4";

/** The CWMP SOAP header entries (V4-V7). All are optional. */
export interface SoapHeader {
  /** `cwmp:ID` (V4), sent with `mustUnderstand="1"`; the responder echoes the requester's ID. */
  readonly id?: string;
  /** `cwmp:HoldRequests` (V5), sent by the ACS. */
  readonly holdRequests?: boolean;
  /** `cwmp:SessionTimeout` in seconds (V6, CWMP 1.3+). */
  readonly sessionTimeout?: number;
  /** `cwmp:SupportedCWMPVersions` (V7), the CPE's comma list, kept as written. */
  readonly supportedCwmpVersions?: string;
  /** `cwmp:UseCWMPVersion` (V7), the ACS's choice, kept as written. */
  readonly useCwmpVersion?: string;
  /** `cwmp:NoMoreRequests` (V5): in no XSD, tolerated on decode and written only when set. */
  readonly noMoreRequests?: boolean;
}

// ---- Faults and vendor messages -------------------------------------------------------------

/**
 * A SOAP Fault carrying a CWMP fault (§1.14). `faultcode` is the local part (`"Client"` or
 * `"Server"`; the encoder writes the `soap-env:` prefix). `detail` is absent only for a bare
 * SOAP fault without `cwmp:Fault`, which a CWMP peer never sends but a broken proxy may.
 */
export interface Fault {
  readonly _tag: "Fault";
  readonly faultcode: "Client" | "Server" | (string & {});
  readonly faultstring: string;
  readonly detail?: CwmpFaultDetail;
}

/**
 * A body element the model does not know (typically a vendor RPC such as `X_QUECTEL_Diag`),
 * kept as a generic element for a user-registered handler. `name` is the element's local name.
 */
export interface VendorMessage {
  readonly _tag: "VendorMessage";
  readonly name: string;
  readonly element: XmlElement;
}

/** Every CWMP body message, discriminated by `_tag` (the CWMP element name). */
export type CwmpMessage =
  | GetRPCMethods
  | GetRPCMethodsResponse
  | SetParameterValues
  | SetParameterValuesResponse
  | GetParameterValues
  | GetParameterValuesResponse
  | GetParameterNames
  | GetParameterNamesResponse
  | SetParameterAttributes
  | SetParameterAttributesResponse
  | GetParameterAttributes
  | GetParameterAttributesResponse
  | AddObject
  | AddObjectResponse
  | DeleteObject
  | DeleteObjectResponse
  | Reboot
  | RebootResponse
  | Download
  | DownloadResponse
  | Upload
  | UploadResponse
  | FactoryReset
  | FactoryResetResponse
  | GetQueuedTransfers
  | GetQueuedTransfersResponse
  | GetAllQueuedTransfers
  | GetAllQueuedTransfersResponse
  | ScheduleInform
  | ScheduleInformResponse
  | ScheduleDownload
  | ScheduleDownloadResponse
  | CancelTransfer
  | CancelTransferResponse
  | ChangeDUState
  | ChangeDUStateResponse
  | SetVouchers
  | SetVouchersResponse
  | GetOptions
  | GetOptionsResponse
  | Inform
  | InformResponse
  | TransferComplete
  | TransferCompleteResponse
  | AutonomousTransferComplete
  | AutonomousTransferCompleteResponse
  | DUStateChangeComplete
  | DUStateChangeCompleteResponse
  | AutonomousDUStateChangeComplete
  | AutonomousDUStateChangeCompleteResponse
  | RequestDownload
  | RequestDownloadResponse
  | Kicked
  | KickedResponse
  | Fault
  | VendorMessage;

/** The `_tag` of a message: the CWMP element name, or `"Fault"` / `"VendorMessage"`. */
export type CwmpMessageTag = CwmpMessage["_tag"];

/** The message type whose `_tag` is `T`. */
export type CwmpMessageOf<T extends CwmpMessageTag> = Extract<CwmpMessage, { readonly _tag: T }>;

/**
 * One SOAP envelope carrying exactly one CWMP message.
 *
 * An envelope whose Body is empty is not an {@link Envelope}: the decoder reports it as a
 * `DecodeError` with reason `"EmptyBody"` (the session ends with an empty HTTP POST or a 204,
 * which never reaches the codec).
 */
export interface Envelope {
  readonly header: SoapHeader;
  readonly body: CwmpMessage;
  /**
   * On decode: the version detected from the namespace and headers (1.0/1.1 from their
   * namespaces; for `cwmp-1-2`: `UseCWMPVersion` if present, else the highest of
   * `SupportedCWMPVersions`, else 1.3 when `SessionTimeout` is present, else 1.2).
   * On encode: the version whose namespace is written (1.2, 1.3 and 1.4 all write `cwmp-1-2`).
   */
  readonly version: CwmpVersion;
}
