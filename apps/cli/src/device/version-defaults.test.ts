import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestAcs } from "@cpekit/acs-testkit";
import { Effect, Either } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { cpekitVersion } from "../cpekit-version.js";
import { decodeProfile } from "../profile/load-profile.js";
import { deviceSpecOf } from "./device-spec.js";
import { startDevice } from "./start-device.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const profile = (acsUrl: string, values: Record<string, string> = {}) => ({
  acs: { url: acsUrl },
  device: { manufacturer: "cpekit", oui: "00CAFE", productClass: "P", serialNumber: "VER0001" },
  dataModel: {
    root: "Device",
    profile: "cellular-module",
    values: { "Device.ManagementServer.PeriodicInformEnable": "false", ...values },
  },
  connectionRequest: { address: "127.0.0.1", port: 0, username: "u", password: "p" },
  store: "device.json",
});

/** The forced-Inform versions of the first Inform a device with `values` sends. */
const informedVersions = async (values: Record<string, string>, plugin?: unknown) => {
  const dir = await mkdtemp(join(tmpdir(), "cpekit-versions-"));
  dirs.push(dir);
  return Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const acs = yield* makeTestAcs();
        const file = join(dir, "device.yaml");
        const spec = Either.getOrThrow(
          Either.flatMap(decodeProfile({ ...profile(acs.url, values), plugin }, file), (l) =>
            deviceSpecOf(l, file),
          ),
        );
        yield* startDevice(spec, () => {});
        const { inform } = yield* acs.nextInform({ timeoutMs: 15_000 });
        const value = (name: string) => inform.parameterList.find((p) => p.name === name)?.value;
        return {
          software: value("Device.DeviceInfo.SoftwareVersion"),
          hardware: value("Device.DeviceInfo.HardwareVersion"),
        };
      }),
    ),
  );
};

describe("DeviceInfo versions of a generic device (forced Inform parameters, §1.5-ForcedInform)", () => {
  it("a profile without SoftwareVersion/HardwareVersion informs cpekit's version, not empty strings", async () => {
    const expected = `cpekit-${cpekitVersion()}`;
    expect(expected).toMatch(/^cpekit-\d+\.\d+\.\d+/);
    expect(await informedVersions({})).toEqual({ software: expected, hardware: expected });
  }, 30_000);

  it("the profile's own versions win over the default", async () => {
    expect(
      await informedVersions({
        "Device.DeviceInfo.SoftwareVersion": "4.2.0",
        "Device.DeviceInfo.HardwareVersion": "rev B",
      }),
    ).toEqual({ software: "4.2.0", hardware: "rev B" });
  }, 30_000);

  it("only the versions the profile leaves out are defaulted", () => {
    const file = "/x/d.yaml";
    const spec = Either.getOrThrow(
      Either.flatMap(
        decodeProfile(
          profile("http://127.0.0.1:9/acs", { "Device.DeviceInfo.SoftwareVersion": "1.0" }),
          file,
        ),
        (l) => deviceSpecOf(l, file),
      ),
    );
    expect(spec.versionDefaults).toEqual({
      "Device.DeviceInfo.HardwareVersion": `cpekit-${cpekitVersion()}`,
    });
  });

  it("a quecpython profile without them informs the module's own firmware and machine", async () => {
    const { software, hardware } = await informedVersions(
      {},
      { name: "quecpython", options: { simulate: true } },
    );
    // The simulated module's firmware string, as modem.getDevFwVersion() gives it.
    expect(software).toMatch(/QPY/);
    expect(hardware).not.toMatch(/^(|cpekit-.*)$/);
  }, 60_000);
});
