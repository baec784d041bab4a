import { join, resolve } from "node:path";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeProfile } from "../profile/load-profile.js";
import { deviceSpecOf } from "./device-spec.js";

const base = {
  acs: { url: "http://127.0.0.1:7547/acs", username: "cpe", password: "pw" },
  device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "P", serialNumber: "S1" },
  dataModel: { root: "Device", profile: "cellular-module" },
  connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
  store: "state/device.json",
};

const file = join("/srv", "profiles", "device.yaml");

const settle = (profile: unknown) =>
  Either.flatMap(decodeProfile(profile, file), (loaded) => deviceSpecOf(loaded, file));

const problems = (profile: unknown) => {
  const r = settle(profile);
  return Either.isLeft(r) ? r.left.problems.join("\n") : "";
};

describe("deviceSpecOf", () => {
  it("fills the DeviceId, ManagementServer and connection-request values and resolves the store next to the profile", () => {
    const spec = Either.getOrThrow(settle(base));
    expect(spec.storePath).toBe(resolve("/srv/profiles/state/device.json"));
    expect(spec.values).toMatchObject({
      "Device.DeviceInfo.ManufacturerOUI": "00CAFE",
      "Device.DeviceInfo.SerialNumber": "S1",
      "Device.ManagementServer.URL": "http://127.0.0.1:7547/acs",
      "Device.ManagementServer.Username": "cpe",
      "Device.ManagementServer.ConnectionRequestUsername": "u",
    });
    expect(spec.deviceId).toEqual({
      manufacturer: "cpekit",
      oui: "00CAFE",
      productClass: "P",
      serialNumber: "S1",
    });
    expect(spec.schema.parameters.has("Device.Cellular.RoamingEnabled")).toBe(true);
    expect(spec.schema.parameters.has("Device.WiFi.Radio.{i}.Channel")).toBe(false);
  });

  it("C5: takes the connection-request rate limit from the profile (absent: the server's default), refusing a max below 1 by name", () => {
    expect(Either.getOrThrow(settle(base)).connectionRequest.rateLimit).toBeUndefined();
    const limited = {
      ...base,
      connectionRequest: { ...base.connectionRequest, rateLimit: { max: 500, windowSeconds: 1 } },
    };
    expect(Either.getOrThrow(settle(limited)).connectionRequest.rateLimit).toEqual({
      max: 500,
      windowSeconds: 1,
    });
    expect(
      problems({
        ...base,
        connectionRequest: { ...base.connectionRequest, rateLimit: { max: 0, windowSeconds: 1 } },
      }),
    ).toMatch(/connectionRequest\.rateLimit\.max/);
  });

  it("H8: acs.compression (auto, gzip, none) becomes the transport's requestCompression; absent, the transport's default; anything else is refused", () => {
    expect(Either.getOrThrow(settle(base)).acs.requestCompression).toBeUndefined();
    for (const mode of ["auto", "gzip", "none"] as const)
      expect(
        Either.getOrThrow(settle({ ...base, acs: { ...base.acs, compression: mode } })).acs
          .requestCompression,
        mode,
      ).toBe(mode);
    expect(problems({ ...base, acs: { ...base.acs, compression: "deflate" } })).toContain(
      "compression",
    );
  });

  it("A1 H9: the ACS credentials follow a redirect to another origin only when the profile sets credentialsOnRedirect", () => {
    expect(Either.getOrThrow(settle(base)).acs.credentialsOnRedirect).toBeUndefined();
    const allowed = { ...base, acs: { ...base.acs, credentialsOnRedirect: true } };
    expect(Either.getOrThrow(settle(allowed)).acs.credentialsOnRedirect).toBe(true);
    expect(problems({ ...base, acs: { ...base.acs, credentialsOnRedirect: "yes" } })).toContain(
      "credentialsOnRedirect",
    );
  });

  it("lets profile values win and creates the instances their paths name", () => {
    const spec = Either.getOrThrow(
      settle({
        ...base,
        dataModel: {
          ...base.dataModel,
          values: {
            "Device.DeviceInfo.Manufacturer": "Vendor",
            "Device.Cellular.AccessPoint.3.APN": "internet",
            "Device.Cellular.AccessPoint.1.APN": "ims",
          },
        },
      }),
    );
    expect(spec.values["Device.DeviceInfo.Manufacturer"]).toBe("Vendor");
    expect(spec.instances).toEqual({ "Device.Cellular.AccessPoint.": [1, 3] });
  });

  it("names the field of each data-model problem", () => {
    expect(
      problems({ ...base, dataModel: { ...base.dataModel, values: { "Device.No.Such": "x" } } }),
    ).toMatch(/^dataModel\.values\.Device\.No\.Such: not a parameter/);
    expect(problems({ ...base, dataModel: { root: "Device", profile: ["Device.Nope."] } })).toMatch(
      /^dataModel\.profile: "Device\.Nope\." is not in Device:2/,
    );
    expect(problems({ ...base, dataModel: { root: "Device", profile: "router" } })).toMatch(
      /^dataModel\.profile: expected one of cellular-module, home-gateway/,
    );
    expect(
      problems({
        ...base,
        dataModel: { root: "InternetGatewayDevice", profile: "cellular-module" },
      }),
    ).toMatch(/^dataModel\.profile: "cellular-module" exists for the Device root only/);
    const { serialNumber: _s, ...noSerial } = base.device;
    expect(problems({ ...base, device: noSerial })).toMatch(/^device\.serialNumber: required/);
  });

  it("takes the connection-request listener from legacy requestOptions when the section is absent", () => {
    const { connectionRequest: _cr, ...rest } = base;
    const spec = Either.getOrThrow(
      settle({
        ...rest,
        acs: {
          requestOptions: {
            url: "http://127.0.0.1:9090/ACS",
            hostname: "127.0.0.1",
            port: "9090",
            server_ip: "127.0.0.1",
            server_port: 8001,
          },
        },
      }),
    );
    expect(spec.acs.url).toBe("http://127.0.0.1:9090/ACS");
    expect(spec.connectionRequest).toMatchObject({ host: "127.0.0.1", port: 8001 });
  });
});
