import { readFileSync } from "node:fs";
import { parentSchemaPath } from "@cpekit/core";
import { describe, expect, it } from "vitest";
import { loadDevice2Schema } from "./load-schema.js";
import { scanModelXml } from "./test-support/scan-model-xml.js";

const schema = loadDevice2Schema();
const param = (path: string) => schema.parameters.get(path);

describe("Device:2.17 schema (tr-181-2-17-0-cwmp-full.xml)", () => {
  it("has as many objects and parameters as a plain scan of the XML, without deleted/obsoleted", () => {
    const scan = scanModelXml("tr-181-2-17-0-cwmp-full.xml");
    expect(`${schema.root}:${schema.version}`).toBe(scan.modelName);
    expect(schema.objects.size).toBe(scan.objects);
    expect(schema.parameters.size).toBe(scan.parameters);
    // Figures of the 2.17 file, so a change of policy (e.g. keeping obsoleted items) shows.
    expect([scan.objects, scan.parameters, scan.droppedObjects, scan.droppedParameters]).toEqual([
      778, 6364, 12, 119,
    ]);
  });

  it("keeps deprecated items and drops obsoleted and deleted ones", () => {
    expect(param("Device.Time.NTPServer1")).toBeDefined(); // deprecated parameter
    expect(schema.objects.has("Device.UserInterface.RemoteAccess.")).toBe(true); // deprecated
    expect(param("Device.Optical.Interface.{i}.LowerOpticalThreshold")).toBeUndefined(); // obsoleted
    expect(param("Device.Hosts.Host.{i}.AddressSource")).toBeUndefined(); // deleted
    expect(schema.objects.has("Device.PPP.Interface.{i}.PPPoA.")).toBe(false); // deleted object
    // Children of an obsoleted object go with it.
    expect([...schema.objects.keys()].some((p) => p.startsWith("Device.WiFi.MultiAP."))).toBe(
      false,
    );
    // DeviceInfo.SoftwareVersion also appears, obsoleted, in another object: it must not leak.
    expect(param("Device.DeviceInfo.SoftwareVersion")?.forcedInform).toBe(true);
  });

  it("Device.ManagementServer.PeriodicInformInterval: unsignedInt, range min 1, readWrite", () => {
    expect(param("Device.ManagementServer.PeriodicInformInterval")).toEqual({
      path: "Device.ManagementServer.PeriodicInformInterval",
      type: "unsignedInt",
      ranges: [{ min: "1" }],
      access: "readWrite",
    });
  });

  it("§1.11 ConnectionRequestURL is forced inform with activeNotify forceDefaultEnabled", () => {
    const p = param("Device.ManagementServer.ConnectionRequestURL");
    expect(p).toMatchObject({ forcedInform: true, activeNotify: "forceDefaultEnabled" });
    expect(p).toMatchObject({ type: "string", dataType: "URL", access: "readOnly" });
  });

  it("§1.11 DeviceInfo.SoftwareVersion is forced inform with activeNotify forceEnabled", () => {
    expect(param("Device.DeviceInfo.SoftwareVersion")).toMatchObject({
      forcedInform: true,
      activeNotify: "forceEnabled",
      sizes: [{ maxLength: 64 }],
    });
  });

  it("§1.11 ParameterKey is forced inform, activeNotify canDeny, at most 32 characters", () => {
    expect(param("Device.ManagementServer.ParameterKey")).toEqual({
      path: "Device.ManagementServer.ParameterKey",
      type: "string",
      sizes: [{ maxLength: 32 }],
      access: "readOnly",
      forcedInform: true,
      activeNotify: "canDeny",
    });
  });

  it("§1.5 the forced Inform parameters are exactly the seven of Device:2", () => {
    const forced = [...schema.parameters.values()].filter((p) => p.forcedInform).map((p) => p.path);
    expect(forced).toEqual([
      "Device.RootDataModelVersion",
      "Device.DeviceInfo.HardwareVersion",
      "Device.DeviceInfo.SoftwareVersion",
      "Device.DeviceInfo.ProvisioningCode",
      "Device.ManagementServer.ParameterKey",
      "Device.ManagementServer.ConnectionRequestURL",
      "Device.ManagementServer.AliasBasedAddressing",
    ]);
  });

  it("Device.IP.Interface.{i}. is a writable table with its count parameter and unique keys", () => {
    expect(schema.objects.get("Device.IP.Interface.{i}.")).toEqual({
      path: "Device.IP.Interface.{i}.",
      access: "readWrite",
      multiInstance: true,
      minEntries: 0,
      numEntriesParameter: "Device.IP.InterfaceNumberOfEntries",
      uniqueKeys: [["Alias"], ["Name"]],
    });
    expect(param("Device.IP.InterfaceNumberOfEntries")?.countsEntriesOf).toBe(
      "Device.IP.Interface.{i}.",
    );
  });

  it("Device.IP.Interface.{i}.Status has its enumeration and object default", () => {
    expect(param("Device.IP.Interface.{i}.Status")).toMatchObject({
      type: "string",
      enumerations: ["Up", "Down", "Unknown", "Dormant", "NotPresent", "LowerLayerDown", "Error"],
      default: "Down",
    });
  });

  it("resolves named types: IPAddress to string of at most 45, IPv4Address with its pattern", () => {
    expect(param("Device.DNS.Client.Server.{i}.DNSServer")).toEqual({
      path: "Device.DNS.Client.Server.{i}.DNSServer",
      type: "string",
      dataType: "IPAddress",
      sizes: [{ maxLength: 45 }],
      access: "readWrite",
    });
    const v4 = param("Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress");
    expect(v4).toMatchObject({ type: "string", dataType: "IPv4Address" });
    expect(v4?.sizes).toEqual([{ maxLength: 15 }]);
    expect(v4?.patterns?.[0]).toBe("");
    expect(new RegExp(`^(?:${v4?.patterns?.[1]})$`).test("192.168.1.254")).toBe(true);
    expect(param("Device.IP.Interface.{i}.Alias")).toMatchObject({
      dataType: "Alias",
      sizes: [{ maxLength: 64 }],
      access: "writeOnceReadOnly",
    });
  });

  it("a data type's own refinement wins: DiagnosticsState of IPPing lists its extra values", () => {
    expect(param("Device.IP.Diagnostics.IPPing.DiagnosticsState")?.enumerations).toContain(
      "Error_CannotResolveHostName",
    );
    expect(param("Device.DeviceInfo.FirmwareImage.{i}.Name")).toBeDefined();
  });

  it("secured and hidden parameters are hidden; command parameters are marked", () => {
    expect(param("Device.ManagementServer.Password")?.hidden).toBe(true);
    expect(param("Device.ManagementServer.ConnectionRequestPassword")?.hidden).toBe(true);
    expect(param("Device.ManagementServer.URL")?.hidden).toBeUndefined();
    expect(param("Device.IP.Interface.{i}.Reset")?.command).toBe(true);
  });

  it("keeps attribute values exactly: the CSV RowSeparator default is one space", () => {
    expect(param("Device.BulkData.Profile.{i}.CSVEncoding.RowSeparator")?.default).toBe(" ");
  });

  it("keeps list facets: SupportedConnReqMethods is a list", () => {
    expect(param("Device.ManagementServer.SupportedConnReqMethods")?.list).toBeDefined();
  });

  it("every object and parameter sits under an object of the schema", () => {
    const orphans = [...schema.objects.keys(), ...schema.parameters.keys()].filter((path) => {
      const parent = parentSchemaPath(path);
      return parent !== undefined && !schema.objects.has(parent);
    });
    expect(orphans).toEqual([]);
  });

  it("every numEntriesParameter names a parameter that counts that table back", () => {
    const tables = [...schema.objects.values()].filter((o) => o.numEntriesParameter !== undefined);
    expect(tables.length).toBeGreaterThan(300);
    const broken = tables.filter(
      (o) => !o.multiInstance || param(o.numEntriesParameter ?? "")?.countsEntriesOf !== o.path,
    );
    expect(broken.map((o) => o.path)).toEqual([]);
  });

  it("is built once per process: the second load returns the same object", () => {
    expect(loadDevice2Schema()).toBe(schema);
  });

  it("the generated module starts with the generated-file line and the BBF licence", () => {
    const text = readFileSync(new URL("./generated/device-2.ts", import.meta.url), "utf8");
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "// Generated by scripts/generate.ts from tr-181-2-17-0-cwmp-full.xml — do not edit.",
    );
    expect(text).toContain("// Copyright (c) 2010-2023, Broadband Forum");
    expect(text).toContain("// THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND");
  });
});
