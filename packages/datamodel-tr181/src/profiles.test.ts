import { describe, expect, it } from "vitest";
import { loadDevice2Schema, loadIgd1Schema } from "./load-schema.js";
import { profileNames, profilePaths } from "./profiles.js";
import { selectProfile, unknownProfilePaths } from "./select-profile.js";

const device2 = loadDevice2Schema();
const igd1 = loadIgd1Schema();

const forcedInform = (schema: typeof device2) =>
  [...schema.parameters.values()].filter((p) => p.forcedInform).map((p) => p.path);

describe("named device profiles", () => {
  it.each(profileNames)("%s: every path exists in the Device:2.17 schema", (name) => {
    const paths = profilePaths(name, "Device") ?? [];
    expect(paths.length).toBeGreaterThan(0);
    expect(unknownProfilePaths(device2, paths)).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("home-gateway: every path exists in the InternetGatewayDevice:1.14 schema", () => {
    const paths = profilePaths("home-gateway", "InternetGatewayDevice") ?? [];
    expect(unknownProfilePaths(igd1, paths)).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("have the documented sizes (objects, parameters)", () => {
    const size = (s: typeof device2) => [s.objects.size, s.parameters.size];
    expect(size(selectProfile(device2, "cellular-module"))).toEqual([20, 168]);
    expect(size(selectProfile(device2, "home-gateway"))).toEqual([64, 467]);
    expect(size(selectProfile(igd1, "home-gateway"))).toEqual([17, 141]);
  });

  it("§1.5 every Device:2 profile keeps all forced Inform parameters", () => {
    expect(forcedInform(device2)).toHaveLength(7);
    for (const name of profileNames) {
      const subset = selectProfile(device2, name);
      expect(forcedInform(subset)).toEqual(forcedInform(device2));
    }
  });

  it("§1.5 the IGD home-gateway keeps all forced Inform parameters", () => {
    expect(forcedInform(igd1)).toHaveLength(10);
    expect(forcedInform(selectProfile(igd1, "home-gateway"))).toEqual(forcedInform(igd1));
  });

  it("cellular-module holds the cellular interface with USIM, access points and InformParameter", () => {
    const s = selectProfile(device2, "cellular-module");
    for (const path of [
      "Device.Cellular.Interface.{i}.USIM.IMSI",
      "Device.Cellular.Interface.{i}.IMEI",
      "Device.Cellular.AccessPoint.{i}.APN",
      "Device.Cellular.InterfaceNumberOfEntries",
      "Device.ManagementServer.InformParameter.{i}.ParameterName",
      "Device.ManagementServer.InformParameterNumberOfEntries",
      "Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress",
      "Device.Time.NTPServer1",
    ]) {
      expect(s.parameters.has(path), path).toBe(true);
    }
    expect([...s.objects.keys()].some((o) => o.startsWith("Device.WiFi."))).toBe(false);
    expect(s.parameters.has("Device.IP.Interface.{i}.IPv6Enable")).toBe(false);
  });

  it.each(profileNames)(
    "§1.10-Heartbeat V8 %s serves HeartbeatPolicy and the Annex M ManagementServer parameters with their TR-181 types",
    (name) => {
      const s = selectProfile(device2, name);
      const MS = "Device.ManagementServer.";
      const kind = (n: string) => {
        const p = s.parameters.get(`${MS}${n}`);
        return p === undefined ? undefined : [p.type, p.access, p.ranges ?? []];
      };
      expect(s.objects.has(`${MS}HeartbeatPolicy.`)).toBe(true);
      expect(kind("HeartbeatPolicy.Enable")).toEqual(["boolean", "readWrite", []]);
      expect(kind("HeartbeatPolicy.ReportingInterval")).toEqual([
        "unsignedInt",
        "readWrite",
        [{ min: "30" }],
      ]);
      expect(kind("HeartbeatPolicy.InitiationTime")).toEqual(["dateTime", "readWrite", []]);
      expect(kind("LightweightNotificationProtocolsSupported")?.slice(0, 2)).toEqual([
        "string",
        "readOnly",
      ]);
      for (const n of ["LightweightNotificationProtocolsUsed", "UDPLightweightNotificationHost"])
        expect(kind(n)?.slice(0, 2)).toEqual(["string", "readWrite"]);
      for (const n of ["LightweightNotificationTriggerInterval", "UDPLightweightNotificationPort"])
        expect(kind(n)?.slice(0, 2)).toEqual(["unsignedInt", "readWrite"]);
      expect(kind("LightweightNotificationTriggerTime")?.slice(0, 2)).toEqual([
        "dateTime",
        "readWrite",
      ]);
    },
  );
});
