/**
 * The CWMP SOAP codec: the typed message model, `decodeEnvelope` and `encodeEnvelope`.
 * @module
 */
export * from "./acs-methods.js";
export * from "./cpe-methods.js";
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  type DecodeOptions,
  type DecodeResult,
  decodeEnvelope,
} from "./decode-envelope.js";
export { DecodeError, type DecodeErrorReason, isDecodeError } from "./decode-error.js";
export { type EncodeOptions, encodeEnvelope, encodeMessage } from "./encode-envelope.js";
export * from "./messages.js";
export * from "./namespaces.js";
export { CWMP_FAULT_STRING, cwmpFaultOf, faultMessageOf } from "./rpc/fault.js";
export * from "./rpc-structs.js";
export { detectVersion, highestSupportedVersion } from "./version-detection.js";
export * from "./xml-element.js";
export { escapeXmlAttribute, escapeXmlText, XML_REPLACEMENT_CHARACTER } from "./xml-escape.js";
