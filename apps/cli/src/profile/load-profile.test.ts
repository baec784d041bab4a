import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeProfile, loadProfile } from "./load-profile.js";

const good = {
  acs: { url: "http://127.0.0.1:7547/acs", username: "cpe", password: "pw" },
  device: {
    manufacturer: "Quectel",
    oui: "A1B2C3",
    productClass: "EC200U",
    serialNumber: "866327040830317",
  },
  dataModel: { root: "Device", profile: "cellular-module" },
  store: "./state/device.json",
};

const problemsOf = (value: unknown) => {
  const r = decodeProfile(value, "p.yaml");
  return Either.isLeft(r) ? r.left.problems.join("\n") : "";
};

describe("device profile", () => {
  it("decodes a complete profile", () => {
    const r = decodeProfile(good, "p.yaml");
    expect(Either.getOrThrow(r).acsUrl).toBe("http://127.0.0.1:7547/acs");
  });

  it("names the field and what was expected for a bad OUI", () => {
    expect(problemsOf({ ...good, device: { ...good.device, oui: "a1b2c" } })).toMatch(
      /device\.oui: expected six upper-case hexadecimal digits/,
    );
  });

  it("names a missing section, a wrong type and an unknown key", () => {
    const { store: _store, ...noStore } = good;
    expect(problemsOf(noStore)).toMatch(/store/);
    expect(problemsOf({ ...good, connectionRequest: { port: "7547" } })).toMatch(
      /connectionRequest\.port/,
    );
    expect(problemsOf({ ...good, acs: { ...good.acs, uri: "x" } })).toMatch(/acs\.uri/);
    expect(problemsOf({ ...good, dataModel: { root: "Gateway", profile: "x" } })).toMatch(
      /dataModel\.root/,
    );
  });

  it("takes the ACS from Quectel's legacy requestOptions and checks it", () => {
    const legacy = {
      url: "http://127.0.0.1:9090/ACS",
      hostname: "127.0.0.1",
      port: "9090",
      server_ip: "0.0.0.0",
      server_port: 8001,
      username: "u",
    };
    const ok = decodeProfile({ ...good, acs: { requestOptions: legacy } }, "p.yaml");
    expect(Either.getOrThrow(ok)).toMatchObject({
      acsUrl: "http://127.0.0.1:9090/ACS",
      acsUsername: "u",
      legacyListener: { bindAddress: "0.0.0.0", port: 8001 },
    });
    expect(problemsOf({ ...good, acs: { requestOptions: { ...legacy, port: "80" } } })).toMatch(
      /acs\.requestOptions\.port/,
    );
  });

  it("reads YAML and JSON files and reports unreadable ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cpekit-profile-"));
    await writeFile(join(dir, "a.json"), JSON.stringify(good));
    await writeFile(
      join(dir, "b.yaml"),
      "acs:\n  url: http://127.0.0.1:1/\ndevice:\n  manufacturer: X\n  oui: 00AABB\n  productClass: P\ndataModel:\n  root: Device\n  profile: [Device.DeviceInfo.]\nstore: s.json\n",
    );
    await writeFile(join(dir, "c.yaml"), "acs: [\n");
    expect(Either.isRight(await loadProfile(join(dir, "a.json")))).toBe(true);
    expect(Either.isRight(await loadProfile(join(dir, "b.yaml")))).toBe(true);
    const broken = await loadProfile(join(dir, "c.yaml"));
    expect(Either.isLeft(broken) && broken.left.message).toMatch(/not valid YAML/);
    const missing = await loadProfile(join(dir, "none.yaml"));
    expect(Either.isLeft(missing) && missing.left.message).toMatch(/cannot read/);
  });
});
