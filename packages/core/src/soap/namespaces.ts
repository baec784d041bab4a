/**
 * The XML namespaces of CWMP over SOAP 1.1 (requirements V2, V3) and the prefixes cpekit writes.
 * @module
 */
import type { CwmpVersion } from "./messages.js";

/** SOAP 1.1 envelope namespace (V3). */
export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
/** SOAP 1.1 encoding namespace (V3). */
export const SOAP_ENC_NS = "http://schemas.xmlsoap.org/soap/encoding/";
/** XML Schema namespace, for `xsi:type` values. */
export const XSD_NS = "http://www.w3.org/2001/XMLSchema";
/** XML Schema instance namespace (`xsi:type`). */
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
/** The common start of every CWMP namespace URN. */
export const CWMP_NS_PREFIX = "urn:dslforum-org:cwmp-";

/**
 * The namespace written for each version: 1.3 and 1.4 reuse `cwmp-1-2` (V2; no BBF XSD defines
 * `cwmp-1-3` or `cwmp-1-4`).
 */
export const cwmpNamespaceOf = (version: CwmpVersion): string =>
  version === "1.0"
    ? "urn:dslforum-org:cwmp-1-0"
    : version === "1.1"
      ? "urn:dslforum-org:cwmp-1-1"
      : "urn:dslforum-org:cwmp-1-2";

/**
 * The version a CWMP namespace URN stands for, or `undefined` when the URN is not a CWMP one.
 * Accepts the standard `cwmp-1-0`, `-1-1`, `-1-2` and the non-standard `-1-3`, `-1-4` that some
 * stacks write (V2).
 */
export const versionOfCwmpNamespace = (uri: string): CwmpVersion | undefined => {
  switch (uri) {
    case "urn:dslforum-org:cwmp-1-0":
      return "1.0";
    case "urn:dslforum-org:cwmp-1-1":
      return "1.1";
    case "urn:dslforum-org:cwmp-1-2":
      return "1.2";
    case "urn:dslforum-org:cwmp-1-3":
      return "1.3";
    case "urn:dslforum-org:cwmp-1-4":
      return "1.4";
    default:
      return undefined;
  }
};

/** True for the two namespaces that exist in no BBF XSD but that some stacks write. */
export const isNonStandardCwmpNamespace = (uri: string): boolean =>
  uri === "urn:dslforum-org:cwmp-1-3" || uri === "urn:dslforum-org:cwmp-1-4";

// Every CWMP version, oldest first.
const knownVersions: readonly CwmpVersion[] = ["1.0", "1.1", "1.2", "1.3", "1.4"];

/** Parses a version as written in `UseCWMPVersion` / `SupportedCWMPVersions` (`"1.4"`, `" 1.2"`). */
export const parseCwmpVersion = (text: string): CwmpVersion | undefined => {
  const t = text.trim();
  return (knownVersions as readonly string[]).includes(t) ? (t as CwmpVersion) : undefined;
};
