/**
 * The TR-181 (Device:2.17) parameters the QuecPython plugin serves from the module, each with
 * the bridge keys it reads and the conversion to its TR-181 lexical form.
 *
 * The mapping is by instance path: the module has one cellular interface, one access point
 * (PDP context 1) and one IP interface with one IPv4 address, so the plugin serves instance 1
 * of each table and the data model holds those instances (see {@link quecPythonInstances}).
 * @module
 */
import type { StandardValueType } from "@cpekit/core";
import type { JsonValue } from "../link/messages.js";
import {
  accessTechnologyOf,
  interfaceStatusOf,
  ipInterfaceStatusOf,
  roamingStatusOf,
  usimStatusOf,
} from "./cellular-enumerations.js";

/** Values read from the bridge by key; a key missing here failed on the module. */
export type BridgeValues = Readonly<Record<string, JsonValue>>;

/** Values of the device that do not come from the module. */
export interface MappingConfig {
  /** `DeviceInfo.ManufacturerOUI`: no QuecPython API gives it. */
  readonly manufacturerOui: string;
  /** `DeviceInfo.SerialNumber` when the profile fixes one; the IMEI otherwise. */
  readonly serialNumber?: string;
}

/** One mapped parameter. */
export interface MappedParameter {
  /** Instance path (`Device.Cellular.Interface.1.RSSI`). */
  readonly path: string;
  /** Schema path (`Device.Cellular.Interface.{i}.RSSI`). */
  readonly schemaPath: string;
  /** CWMP type of the converted value. */
  readonly type: StandardValueType;
  /** Bridge keys the value is computed from (none for configured values). */
  readonly keys: readonly string[];
  /** The bridge key written by a SetParameterValues, for writable parameters. */
  readonly writeKey?: string;
  /** The value in TR-181 lexical form. */
  readonly convert: (values: BridgeValues, config: MappingConfig) => string;
}

/** The bridge value of `key` as text: `""` for unknown (null) or unreadable values. */
const text =
  (key: string) =>
  (values: BridgeValues): string => {
    const v = values[key];
    return v === null || v === undefined || typeof v === "object" ? "" : String(v);
  };

/** Text cut to the schema's maximum length (64 for most DeviceInfo strings). */
const limited =
  (key: string, max = 64) =>
  (values: BridgeValues): string =>
    [...text(key)(values)].slice(0, max).join("");

/**
 * An identifier TR-181 defines as digits only (IMEI, IMSI, ICCID, MSISDN): separators and a
 * leading `+` are dropped; anything that is not such a number (a SIM that cannot be read) is
 * the empty string. MSISDN accepts any E.164 length (1-15 digits): TR-181's 14-digit minimum
 * would hide most real numbers (a Chinese mobile number with its country code has 13 digits).
 */
const digits =
  (key: string, min: number, max: number) =>
  (values: BridgeValues): string => {
    const d = text(key)(values).replace(/[\s+\-()]/g, "");
    return /^[0-9]+$/.test(d) && d.length >= min && d.length <= max ? d : "";
  };

const IPV4 =
  /^((25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])$/;

/** A dotted IPv4 address, or the empty string (no data call). */
const ipv4 =
  (key: string) =>
  (values: BridgeValues): string => {
    const v = text(key)(values);
    return IPV4.test(v) ? v : "";
  };

/**
 * A signed reading in dBm / dB. TR-181 has no "unknown" value for these, so an unknown
 * reading (the 99/255 placeholders the bridge turns into null) is reported as 0. Clamped to
 * xsd:int.
 */
const reading =
  (key: string) =>
  (values: BridgeValues): string => {
    const v = values[key];
    if (typeof v !== "number" || !Number.isFinite(v)) return "0";
    return String(Math.min(2147483647, Math.max(-2147483648, Math.trunc(v))));
  };

/** A count: a non-negative integer within xsd:unsignedInt. */
const count =
  (key: string) =>
  (values: BridgeValues): string => {
    const v = values[key];
    return typeof v === "number" && Number.isFinite(v) && v >= 0
      ? String(Math.min(4294967295, Math.floor(v)))
      : "0";
  };

const schemaPathOf = (path: string): string => path.replace(/\.\d+\./g, ".{i}.");

const entry = (
  path: string,
  type: StandardValueType,
  keys: readonly string[],
  convert: MappedParameter["convert"],
  writeKey?: string,
): MappedParameter => ({
  path,
  schemaPath: schemaPathOf(path),
  type,
  keys,
  convert,
  ...(writeKey === undefined ? {} : { writeKey }),
});

const info = "Device.DeviceInfo.";
const cell = "Device.Cellular.Interface.1.";
const ap = "Device.Cellular.AccessPoint.1.";
const ip = "Device.IP.Interface.1.";

/** Every parameter the plugin serves, in a fixed order. */
export const quecPythonMapping: readonly MappedParameter[] = [
  entry(`${info}Manufacturer`, "string", ["manufacturer"], limited("manufacturer")),
  entry(`${info}ManufacturerOUI`, "string", [], (_v, c) => c.manufacturerOui),
  entry(`${info}ModelName`, "string", ["model"], limited("model")),
  entry(
    `${info}SerialNumber`,
    "string",
    ["imei"],
    (v, c) => c.serialNumber ?? digits("imei", 15, 15)(v),
  ),
  entry(`${info}SoftwareVersion`, "string", ["fwVersion"], limited("fwVersion")),
  entry(`${info}HardwareVersion`, "string", ["hwVersion"], limited("hwVersion")),
  entry(`${info}UpTime`, "unsignedInt", ["uptime"], count("uptime")),
  entry("Device.Cellular.RoamingStatus", "string", ["regState"], (v) =>
    roamingStatusOf(v.regState),
  ),
  entry(`${cell}Status`, "string", ["regState"], (v) => interfaceStatusOf(v.regState)),
  entry(`${cell}IMEI`, "string", ["imei"], digits("imei", 15, 15)),
  entry(`${cell}CurrentAccessTechnology`, "string", ["rat"], (v) => accessTechnologyOf(v.rat)),
  entry(`${cell}NetworkInUse`, "string", ["operator"], limited("operator")),
  entry(`${cell}RSSI`, "int", ["rssi"], reading("rssi")),
  entry(`${cell}RSRP`, "int", ["rsrp"], reading("rsrp")),
  entry(`${cell}RSRQ`, "int", ["rsrq"], reading("rsrq")),
  entry(`${cell}USIM.Status`, "string", ["simStatus"], (v) => usimStatusOf(v.simStatus)),
  entry(`${cell}USIM.IMSI`, "string", ["imsi"], digits("imsi", 14, 15)),
  entry(`${cell}USIM.ICCID`, "string", ["iccid"], digits("iccid", 6, 20)),
  entry(`${cell}USIM.MSISDN`, "string", ["msisdn"], digits("msisdn", 1, 15)),
  entry(`${ap}APN`, "string", ["apn"], limited("apn"), "apn"),
  entry(`${ap}Username`, "string", ["apnUser"], limited("apnUser", 256), "apnUser"),
  entry(`${ap}Password`, "string", ["apnPassword"], limited("apnPassword", 256), "apnPassword"),
  entry(`${ip}Status`, "string", ["dataState"], (v) => ipInterfaceStatusOf(v.dataState)),
  entry(`${ip}IPv4Address.1.IPAddress`, "string", ["ipv4"], ipv4("ipv4")),
];

/** The mapping by instance path. */
export const quecPythonMappingByPath: ReadonlyMap<string, MappedParameter> = new Map(
  quecPythonMapping.map((m) => [m.path, m]),
);

/**
 * The instances the mapped tables have from the start (table path to instance numbers), for
 * the data model's `initial.instances`.
 */
export const quecPythonInstances: Readonly<Record<string, readonly number[]>> = {
  "Device.Cellular.Interface.": [1],
  "Device.Cellular.AccessPoint.": [1],
  "Device.IP.Interface.": [1],
  "Device.IP.Interface.1.IPv4Address.": [1],
};

/**
 * Factory values of the store-owned parameters next to the mapped ones (the interface and
 * access point are enabled and linked), for the data model's `initial.values`.
 */
export const quecPythonInitialValues: Readonly<Record<string, string>> = {
  "Device.Cellular.Interface.1.Enable": "true",
  "Device.Cellular.Interface.1.Upstream": "true",
  "Device.Cellular.AccessPoint.1.Enable": "true",
  "Device.Cellular.AccessPoint.1.Interface": "Device.Cellular.Interface.1",
  "Device.IP.Interface.1.Enable": "true",
  "Device.IP.Interface.1.LowerLayers": "Device.Cellular.Interface.1",
  "Device.IP.Interface.1.IPv4Address.1.Enable": "true",
  "Device.IP.Interface.1.IPv4Address.1.AddressingType": "IPCP",
};

/**
 * Parameters whose value changes when the module pushes an event (data call up/down, network
 * change): re-read and reported as value changes.
 */
export const eventDrivenPaths: readonly string[] = [
  "Device.Cellular.RoamingStatus",
  `${cell}Status`,
  `${cell}CurrentAccessTechnology`,
  `${cell}NetworkInUse`,
  `${ip}Status`,
  `${ip}IPv4Address.1.IPAddress`,
];
