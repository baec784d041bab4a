/**
 * The UDP Lightweight Notification message of TR-069 Annex M (CWMP 1.4, requirement V8), as
 * `cwmp-UDPLightweightNotification-1-0.xsd` defines it: one `lwn:Notification` document with
 * the timestamp, `ManagementServer.Username`, a CPE-chosen cnonce, the device identity and one
 * `Param` (Name, Value) per changed parameter. Every element is a global element of the
 * schema, so each one is namespace-qualified.
 * @module
 */
import type { DeviceIdStruct } from "../cwmp/structs.js";
import { escapeXmlText } from "../soap/xml-escape.js";

/** The namespace of `cwmp-UDPLightweightNotification-1-0.xsd`. */
export const LWN_NAMESPACE = "urn:broadband-forum-org:cwmp:lwnotif-1-0";

/** One parameter reported in a lightweight notification. */
export interface LightweightParameter {
  readonly name: string;
  /** The value in its CWMP lexical form. */
  readonly value: string;
}

/** What one UDP Lightweight Notification carries. */
export interface LightweightNotification {
  /** Seconds since the Unix epoch when the message was made (`TS`, an xs:int). */
  readonly timestamp: number;
  /** `ManagementServer.Username` (`UN`, at most 256 characters). */
  readonly username: string;
  /** A random string chosen by the CPE (`CN`). */
  readonly cnonce: string;
  readonly device: Pick<DeviceIdStruct, "oui" | "productClass" | "serialNumber">;
  /** At least one parameter (the schema requires one `Param`). */
  readonly parameters: readonly LightweightParameter[];
}

const el = (name: string, text: string): string =>
  `<lwn:${name}>${escapeXmlText(text)}</lwn:${name}>`;

/** The XML text of one UDP Lightweight Notification (UTF-8 when sent). */
export const encodeLightweightNotification = (n: LightweightNotification): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<lwn:Notification xmlns:lwn="${LWN_NAMESPACE}">${el(
    "TS",
    String(Math.floor(n.timestamp)),
  )}${el("UN", n.username)}${el("CN", n.cnonce)}${el("OUI", n.device.oui)}${el(
    "ProductClass",
    n.device.productClass,
  )}${el("SerialNumber", n.device.serialNumber)}${n.parameters
    .map((p) => `<lwn:Param>${el("Name", p.name)}${el("Value", p.value)}</lwn:Param>`)
    .join("")}</lwn:Notification>\n`;
