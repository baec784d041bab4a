import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { decodeProfile } from "../profile/load-profile.js";
import {
  type FleetCommandOptions,
  fleetDeviceSpecOf,
  fleetPlanOf,
  type MixedProfile,
} from "./fleet-plan.js";

const MS = "Device.ManagementServer.";
const profile = (fleet?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  acs: { url: "http://127.0.0.1:7547/acs" },
  device: { manufacturer: "cpekit", oui: "A1B2C3", productClass: "Box" },
  dataModel: { root: "Device", profile: "cellular-module" },
  connectionRequest: { username: "cr", password: "pw-{serial}" },
  store: "./state/device.json",
  ...(fleet === undefined ? {} : { fleet }),
  ...extra,
});
const cli: FleetCommandOptions = { metricsHost: "127.0.0.1", grace: "10" };

const plan = (
  value: unknown,
  options: Partial<FleetCommandOptions> = {},
  mixed: readonly MixedProfile[] = [],
) =>
  Either.flatMap(decodeProfile(value, "/profiles/fleet.yaml"), (l) =>
    fleetPlanOf(l, "/profiles/fleet.yaml", { ...cli, ...options }, mixed),
  );

const gateway = (productClass = "Gw") =>
  Either.getOrThrow(
    decodeProfile(
      {
        ...profile(),
        device: { manufacturer: "cpekit", oui: "A1B2C3", productClass },
        dataModel: { root: "InternetGatewayDevice", profile: "home-gateway" },
      },
      "/profiles/gateway.yaml",
    ),
  );

describe("the fleet a profile and the command line describe", () => {
  it("takes count, serials, ramp, shard and rate limit from the fleet: section; the command line wins", () => {
    const p = Either.getOrThrow(
      plan({
        ...profile({
          count: 100,
          serialTemplate: "BOX{index:04}",
          ramp: "50/s",
          shard: "1/4",
          connectionRequestRateLimit: { max: 3, windowSeconds: 2 },
        }),
      }),
    );
    expect(p.count).toBe(100);
    expect(p.serialOf(7)).toBe("BOX0007");
    expect(p.ramp).toBe(50);
    expect(p.shard).toEqual({ index: 1, total: 4 });
    expect(p.rateLimit?.max).toBe(3);
    expect(p.store).toEqual({ kind: "lmdb", dir: "/profiles/state/device-fleet" });
    const overridden = Either.getOrThrow(
      plan(profile({ count: 100 }), { count: "8", ramp: "none", shard: "0/2", store: "memory" }),
    );
    expect(overridden).toMatchObject({
      count: 8,
      ramp: Number.POSITIVE_INFINITY,
      shard: { index: 0, total: 2 },
    });
    expect(overridden.store).toEqual({ kind: "memory" });
    expect(overridden.serialOf(3)).toBe("CPE000003");
  });

  it("takes the cap on open sessions from fleet.maxOpenSessions or --max-sessions (which wins); unset leaves the fleet's default", () => {
    const fromProfile = Either.getOrThrow(plan(profile({ count: 10, maxOpenSessions: 64 })));
    expect(fromProfile.maxOpenSessions).toBe(64);
    const fromCli = Either.getOrThrow(
      plan(profile({ count: 10, maxOpenSessions: 64 }), { maxSessions: "8" }),
    );
    expect(fromCli.maxOpenSessions).toBe(8);
    expect("maxOpenSessions" in Either.getOrThrow(plan(profile({ count: 10 })))).toBe(false);
    for (const bad of ["0", "1.5", "ten", "-3", ""]) {
      const refused = plan(profile({ count: 10 }), { maxSessions: bad });
      expect(Either.isLeft(refused) && refused.left.problems.join()).toMatch(
        `--max-sessions: expected a whole number of sessions (at least 1), got "${bad}"`,
      );
    }
    const badProfile = plan(profile({ count: 10, maxOpenSessions: 0 }));
    expect(Either.isLeft(badProfile) && badProfile.left.problems.join()).toMatch(/maxOpenSessions/);
  });

  it("refuses bad values before anything starts, one problem per field", () => {
    const bad = plan(profile({ serialTemplate: "FIXED" }), {
      count: "0",
      ramp: "fast",
      shard: "4/4",
    });
    expect(Either.isLeft(bad)).toBe(true);
    const problems = Either.isLeft(bad) ? bad.left.problems.join("\n") : "";
    expect(problems).toMatch(/--count/);
    expect(problems).toMatch(/fleet.serialTemplate/);
    expect(problems).toMatch(/--ramp/);
    expect(problems).toMatch(/--shard/);
    const noCount = plan(profile());
    expect(Either.isLeft(noCount) && noCount.left.problems.join()).toMatch(/fleet.count/);
    const quec = plan(profile({ count: 2 }, { plugin: { name: "quecpython" } }));
    expect(Either.isLeft(quec) && quec.left.problems.join()).toMatch(/generic devices/);
  });

  it("§1.10 C2 each device has its own serial, its own connection-request password and its own periodic phase", () => {
    const p = Either.getOrThrow(plan(profile({ count: 4 })));
    const a = fleetDeviceSpecOf(p, 1);
    const b = fleetDeviceSpecOf(p, 2);
    expect(a.deviceId.serialNumber).toBe("CPE000001");
    expect(a.values["Device.DeviceInfo.SerialNumber"]).toBe("CPE000001");
    expect(a.connectionRequest).toEqual({ username: "cr", password: "pw-CPE000001" });
    expect(a.values[`${MS}ConnectionRequestPassword`]).toBe("pw-CPE000001");
    expect(b.connectionRequest.password).toBe("pw-CPE000002");
    // Four devices, one hour: 15 minutes apart.
    expect(a.values[`${MS}PeriodicInformTime`]).toBe("2000-01-01T00:15:00Z");
    expect(b.values[`${MS}PeriodicInformTime`]).toBe("2000-01-01T00:30:00Z");
    // A phase fixed by the profile is everyone's.
    const fixed = Either.getOrThrow(
      plan(
        profile(
          { count: 4 },
          {
            dataModel: {
              root: "Device",
              profile: "cellular-module",
              values: { [`${MS}PeriodicInformTime`]: "2026-01-01T00:00:07Z" },
            },
          },
        ),
      ),
    );
    expect(fleetDeviceSpecOf(fixed, 3).values[`${MS}PeriodicInformTime`]).toBe(
      "2026-01-01T00:00:07Z",
    );
  });

  it("mixes kinds of device by weight: 3 of the profile's for 1 gateway (InternetGatewayDevice), each with its kind's identity and data model", () => {
    const p = Either.getOrThrow(
      plan(profile({ count: 8, weight: 3 }), {}, [
        { loaded: gateway(), file: "/profiles/gateway.yaml", weight: 1 },
      ]),
    );
    const kinds = Array.from(
      { length: 8 },
      (_, i) => fleetDeviceSpecOf(p, i).deviceId.productClass,
    );
    expect(kinds).toEqual(["Box", "Box", "Box", "Gw", "Box", "Box", "Box", "Gw"]);
    const gw = fleetDeviceSpecOf(p, 3);
    expect(gw.deviceId.serialNumber).toBe("CPE000003");
    expect(gw.values["InternetGatewayDevice.DeviceInfo.SerialNumber"]).toBe("CPE000003");
    expect(gw.dataModel?.managementServerPrefix).toBe("InternetGatewayDevice.ManagementServer.");
    expect(fleetDeviceSpecOf(p, 0).dataModel?.managementServerPrefix).toBe(
      "Device.ManagementServer.",
    );
    // A mixed-in profile that cannot run in a fleet is refused, naming its file.
    const bad = plan(profile({ count: 8 }), {}, [
      {
        loaded: Either.getOrThrow(
          decodeProfile({ ...profile(), plugin: { name: "quecpython" } }, "/profiles/q.yaml"),
        ),
        file: "/profiles/q.yaml",
        weight: 1,
      },
    ]);
    expect(Either.isLeft(bad) && bad.left.problems.join()).toMatch(/fleet.mix \/profiles\/q.yaml/);
  });
});
