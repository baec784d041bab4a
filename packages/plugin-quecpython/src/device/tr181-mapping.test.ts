import { isValidValue, type ParameterSchema } from "@cpekit/core";
import { loadDevice2Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { defaultBridgeMap } from "../bridge/bridge-map.js";
import type { JsonValue } from "../link/messages.js";
import {
  accessTechnologyOf,
  interfaceStatusOf,
  ipInterfaceStatusOf,
  roamingStatusOf,
  usimStatusOf,
} from "./cellular-enumerations.js";
import {
  eventDrivenPaths,
  quecPythonInitialValues,
  quecPythonInstances,
  quecPythonMapping,
} from "./tr181-mapping.js";

const schema = loadDevice2Schema();
const profile = selectProfile(schema, "cellular-module");
const param = (path: string): ParameterSchema => {
  const p = schema.parameters.get(path);
  if (p === undefined) throw new Error(`${path} is not in Device:2.17`);
  return p;
};
const unknownAsEmpty = new Set(
  ["IMEI", "USIM.IMSI", "USIM.ICCID", "USIM.MSISDN"].map(
    (n) => `Device.Cellular.Interface.{i}.${n}`,
  ),
);
const schemaPathOf = (path: string) => path.replace(/\.\d+\./g, ".{i}.");

/** Anything the bridge may answer for a key: numbers, null (unknown), text, or nothing (error). */
const bridgeValue: fc.Arbitrary<JsonValue | undefined> = fc.oneof(
  fc.integer({ min: -300, max: 300 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ maxLength: 8 }),
  fc.double(),
);

describe("TR-181 mapping of the QuecPython module", () => {
  it("every mapped path is a Device:2.17 parameter of the cellular-module profile with the same type", () => {
    for (const m of quecPythonMapping) {
      const p = param(m.schemaPath);
      expect(p.type, m.path).toBe(m.type);
      expect(profile.parameters.has(m.schemaPath), m.path).toBe(true);
      if (m.writeKey !== undefined) expect(p.access, m.path).toBe("readWrite");
    }
  });

  it("every bridge key the mapping reads or writes is served by the default bridge map", () => {
    const keys = new Set(defaultBridgeMap.parameters.map((p) => p.key));
    const writable = new Set(
      defaultBridgeMap.parameters.filter((p) => p.setter !== undefined).map((p) => p.key),
    );
    for (const m of quecPythonMapping) {
      for (const k of m.keys) expect(keys.has(k), `${m.path} reads ${k}`).toBe(true);
      if (m.writeKey !== undefined) expect(writable.has(m.writeKey), m.path).toBe(true);
    }
  });

  it("initial instances, initial values and event-driven paths name objects and parameters of the profile", () => {
    for (const table of Object.keys(quecPythonInstances))
      expect(profile.objects.has(`${schemaPathOf(table)}{i}.`), table).toBe(true);
    for (const [path, value] of Object.entries(quecPythonInitialValues)) {
      const p = param(schemaPathOf(path));
      expect(profile.parameters.has(schemaPathOf(path)), path).toBe(true);
      expect(isValidValue(p, value, undefined), `${path}=${value}`).toBe(true);
    }
    const mapped = new Set(quecPythonMapping.map((m) => m.path));
    for (const p of eventDrivenPaths) expect(mapped.has(p), p).toBe(true);
  });

  test.prop([
    fc.dictionary(
      fc.constantFrom(
        "imei",
        "rssi",
        "rat",
        "regState",
        "simStatus",
        "dataState",
        "uptime",
        "apn",
        "ipv4",
        "operator",
        "rsrp",
        "rsrq",
        "manufacturer",
        "model",
        "fwVersion",
        "hwVersion",
        "imsi",
        "iccid",
        "msisdn",
        "apnUser",
        "apnPassword",
      ),
      bridgeValue as fc.Arbitrary<JsonValue>,
    ),
  ])(
    "every converted value is a valid TR-181 value of its parameter, whatever the bridge answered",
    (values) => {
      for (const m of quecPythonMapping) {
        const v = m.convert(values, { manufacturerOui: "00A0C6" });
        const p = param(m.schemaPath);
        // TR-181 has no "unknown" for these digit strings: "" stands for "the module cannot say".
        if (v === "" && unknownAsEmpty.has(m.schemaPath)) continue;
        // Deliberate: any E.164 number (1-15 digits), not only TR-181's 14-15.
        if (m.schemaPath.endsWith("USIM.MSISDN")) {
          expect(v).toMatch(/^[0-9]{1,15}$/);
          continue;
        }
        expect(isValidValue(p, v, undefined), `${m.path}=${JSON.stringify(v)}`).toBe(true);
      }
    },
  );
});

describe("QuecPython codes to TR-181 enumerations", () => {
  const enumOf = (path: string) => param(path).enumerations ?? [];

  test.prop([bridgeValue])(
    "Cellular.Interface.Status, RoamingStatus, USIM.Status and IP.Interface.Status stay in their enumerations",
    (v) => {
      expect(enumOf("Device.Cellular.Interface.{i}.Status")).toContain(interfaceStatusOf(v));
      expect(enumOf("Device.Cellular.RoamingStatus")).toContain(roamingStatusOf(v));
      expect(enumOf("Device.Cellular.Interface.{i}.USIM.Status")).toContain(usimStatusOf(v));
      expect(enumOf("Device.IP.Interface.{i}.Status")).toContain(ipInterfaceStatusOf(v));
    },
  );

  test.prop([bridgeValue])(
    "CurrentAccessTechnology is empty or one of SupportedAccessTechnologies",
    (v) => {
      expect([
        "",
        ...enumOf("Device.Cellular.Interface.{i}.SupportedAccessTechnologies"),
      ]).toContain(accessTechnologyOf(v));
    },
  );

  it("maps the documented codes: rat 7 LTE, 2 UMTS, 0 GPRS, 3 EDGE; SIM 0 None, 1 Valid, 2 Available, 3 Blocked, 20 Error; reg 1/5 Up, 2 Down", () => {
    expect([7, 9, 2, 0, 3, 6, 10].map(accessTechnologyOf)).toEqual([
      "LTE",
      "LTE",
      "UMTS",
      "GPRS",
      "EDGE",
      "UMTSHSPA",
      "",
    ]);
    expect([0, 1, 2, 3, 18, 20, 21, null].map(usimStatusOf)).toEqual([
      "None",
      "Valid",
      "Available",
      "Blocked",
      "Available",
      "Error",
      "Error",
      "Error",
    ]);
    expect([1, 5, 2, 0, null].map(interfaceStatusOf)).toEqual([
      "Up",
      "Up",
      "Down",
      "Down",
      "Unknown",
    ]);
    expect([5, 1].map(roamingStatusOf)).toEqual(["Roaming", "Home"]);
  });
});
