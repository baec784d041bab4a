import { makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import { compileSchema } from "@cpekit/core";
import { loadIgd1Schema, selectProfile } from "@cpekit/datamodel-tr181";
import { AcsClient } from "@cpekit/transport-http";
import { type Duration, Effect, Either, Exit, Scope } from "effect";
import { describe, expect, it } from "vitest";
import { type Fleet, makeFleet } from "./fleet.js";
import { kindOfIndex } from "./profile-mix.js";
import {
  crPasswordOf,
  crUser,
  deviceKeyOfSerial,
  fixtureFleet,
  memoryStores,
} from "./test-support/fleet-fixture.js";

const CR_URL = "Device.ManagementServer.ConnectionRequestURL";

interface World {
  readonly acs: TestAcsApi;
  readonly stores: ReturnType<typeof memoryStores>;
  /** Starts a fleet of `count` devices in its own scope (returned, to stop it). */
  readonly start: (
    count: number,
    port?: number,
    rateLimit?: { readonly max: number; readonly window: Duration.DurationInput },
  ) => Effect.Effect<
    { readonly fleet: Fleet; readonly scope: Scope.CloseableScope },
    unknown,
    Scope.Scope
  >;
}

/** Runs a test against a fresh ACS over loopback HTTP, bounded to 15 s. */
const inWorld = (body: (world: World) => Effect.Effect<void, unknown, Scope.Scope>) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const acs = yield* makeTestAcs({ sessionTimeoutMs: 10_000 });
        const stores = memoryStores();
        const start: World["start"] = (count, port = 0, rateLimit) =>
          Effect.gen(function* () {
            const scope = yield* Scope.make();
            const fleet = yield* Scope.extend(
              makeFleet({
                ...fixtureFleet({
                  count,
                  acsUrl: acs.url,
                  transport: AcsClient.make({ requestTimeout: "5 seconds" }),
                  store: stores.open,
                }),
                connectionRequests: {
                  host: "127.0.0.1",
                  port,
                  ...(rateLimit === undefined ? {} : { rateLimit }),
                },
              }),
              scope,
            );
            yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void));
            return { fleet, scope };
          });
        yield* body({ acs, stores, start });
      }),
    ).pipe(Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("timed out") })),
  );

/** Takes the boot Informs of `count` devices (and waits for their sessions to end). */
const bootInforms = (acs: TestAcsApi, count: number) =>
  Effect.gen(function* () {
    const informs = [];
    for (let i = 0; i < count; i++) informs.push(yield* acs.nextInform({ timeoutMs: 5_000 }));
    for (let i = 0; i < count; i++) yield* acs.nextSession({ timeoutMs: 5_000 });
    return informs;
  });

const urlOf = (inform: { inform: { parameterList: readonly { name: string; value: string }[] } }) =>
  inform.inform.parameterList.find((p) => p.name === CR_URL)?.value ?? "";

const codes = (inform: { inform: { event: readonly { eventCode: string }[] } }) =>
  inform.inform.event.map((e) => e.eventCode);

describe("a fleet against the acs-testkit ACS over loopback HTTP", () => {
  it("§1.5 C1 every device informs with its own DeviceId and its own ConnectionRequestURL, all on one port", () =>
    inWorld(({ acs, start }) =>
      Effect.gen(function* () {
        const { fleet } = yield* start(5);
        const informs = yield* bootInforms(acs, 5);
        const keys = informs.map((i) => i.deviceId).sort();
        expect(keys).toEqual([0, 1, 2, 3, 4].map((i) => deviceKeyOfSerial(`FLT00000${i}`)));
        for (const i of informs) expect(codes(i)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
        const urls = informs.map(urlOf);
        expect(new Set(urls).size).toBe(5);
        const origins = new Set(urls.map((u) => new URL(u).origin));
        expect(origins.size).toBe(1);
        expect([...origins][0]).toBe(fleet.connectionRequests.origin);
        for (const i of informs)
          expect(new URL(urlOf(i)).pathname).toBe(`/cr/${i.inform.deviceId.serialNumber}`);
        yield* Effect.promise(() => fleet.settled());
        expect(fleet.stats.snapshot()).toMatchObject({
          devices: 5,
          online: 5,
          sessionsSucceeded: 5,
          sessionsFailed: 0,
        });
      }),
    ));

  it("C2 C4 a connection request reaches the device of its path only; a password valid for device A does not open device B", () =>
    inWorld(({ acs, start }) =>
      Effect.gen(function* () {
        const { fleet } = yield* start(4);
        const informs = yield* bootInforms(acs, 4);
        const url = (i: number) =>
          urlOf(
            informs.find((r) => r.inform.deviceId.serialNumber === `FLT00000${i}`) ?? informs[0]!,
          );
        // Device 1's credentials at device 2's path: refused, no session anywhere.
        expect(yield* acs.connectionRequest(url(2), crUser, crPasswordOf(1))).toBe(401);
        // Device 2's own: accepted, and device 2 (only) informs 6 CONNECTION REQUEST.
        expect(yield* acs.connectionRequest(url(2), crUser, crPasswordOf(2))).toBe(200);
        const inform = yield* acs.nextInform({ timeoutMs: 5_000 });
        expect(inform.deviceId).toBe(deviceKeyOfSerial("FLT000002"));
        expect(codes(inform)).toEqual(["6 CONNECTION REQUEST"]);
        yield* acs.nextSession({ timeoutMs: 5_000 });
        // A path no device has: 404.
        const unknown = `${fleet.connectionRequests.origin}/cr/NOPE`;
        expect(yield* acs.connectionRequest(unknown, crUser, crPasswordOf(0))).toBe(404);
        const stray = yield* Effect.either(acs.nextInform({ timeoutMs: 300 }));
        expect(Either.isLeft(stray)).toBe(true);
        yield* Effect.promise(() => fleet.settled());
        expect(fleet.stats.snapshot().sessionsSucceeded).toBe(5);
      }),
    ));

  it("§1.5 stopping the fleet closes the port and ends no session midway; restarted over the same stores the devices keep their identities and inform 1 BOOT", () =>
    inWorld(({ acs, start }) =>
      Effect.gen(function* () {
        const first = yield* start(3);
        const before = yield* bootInforms(acs, 3);
        yield* first.fleet.sessionsDone;
        yield* Scope.close(first.scope, Exit.void);
        expect(acs.openSessions()).toBe(0);
        const refused = yield* Effect.either(
          acs.connectionRequest(urlOf(before[0]!), crUser, crPasswordOf(0)),
        );
        expect(Either.isLeft(refused)).toBe(true);

        // Same port: the same URLs, so no value change to report (C7).
        yield* start(3, Number(new URL(urlOf(before[0]!)).port));
        const after = yield* bootInforms(acs, 3);
        expect(after.map((i) => i.deviceId).sort()).toEqual(before.map((i) => i.deviceId).sort());
        for (const i of after) expect(codes(i)).toEqual(["1 BOOT"]);
      }),
    ));

  it("C5 the connection-request rate limit is per device: beyond its limit a device answers 503, another device still 200", () =>
    inWorld(({ acs, start }) =>
      Effect.gen(function* () {
        yield* start(2, 0, { max: 2, window: "1 hour" });
        const informs = yield* bootInforms(acs, 2);
        const url = (serial: string) =>
          urlOf(informs.find((r) => r.inform.deviceId.serialNumber === serial) ?? informs[0]!);
        const a = url("FLT000000");
        expect(yield* acs.connectionRequest(a, crUser, crPasswordOf(0))).toBe(200);
        expect(yield* acs.connectionRequest(a, crUser, crPasswordOf(0))).toBe(200);
        expect(yield* acs.connectionRequest(a, crUser, crPasswordOf(0))).toBe(503);
        expect(yield* acs.connectionRequest(url("FLT000001"), crUser, crPasswordOf(1))).toBe(200);
      }),
    ));

  it("§1.5 a power cycle restarts one device only, over its kept state: it informs 1 BOOT, the others nothing", () =>
    inWorld(({ acs, start }) =>
      Effect.gen(function* () {
        const { fleet } = yield* start(3);
        yield* bootInforms(acs, 3);
        yield* fleet.sessionsDone;
        const device = fleet.devices.find((d) => d.serial === "FLT000001");
        yield* device!.powerCycle;
        const inform = yield* acs.nextInform({ timeoutMs: 5_000 });
        expect(inform.deviceId).toBe(deviceKeyOfSerial("FLT000001"));
        expect(codes(inform)).toEqual(["1 BOOT"]);
        yield* acs.nextSession({ timeoutMs: 5_000 });
        const stray = yield* Effect.either(acs.nextInform({ timeoutMs: 300 }));
        expect(Either.isLeft(stray)).toBe(true);
        expect(fleet.stats.snapshot()).toMatchObject({ online: 3, starts: 4 });
      }),
    ));

  it("§1.5 C1 a fleet mixing Device:2 modules and InternetGatewayDevice:1 gateways: each informs with its own root's parameters and ConnectionRequestURL, and a connection request reaches a gateway", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const acs = yield* makeTestAcs({ sessionTimeoutMs: 10_000 });
          const base = fixtureFleet({
            count: 4,
            acsUrl: acs.url,
            transport: AcsClient.make({ requestTimeout: "5 seconds" }),
            store: memoryStores().open,
          });
          const igd = compileSchema(selectProfile(loadIgd1Schema(), "home-gateway"));
          const IGD = "InternetGatewayDevice.";
          const fleet = yield* makeFleet({
            ...base,
            connectionRequests: { host: "127.0.0.1", port: 0 },
            // One gateway for every module.
            spec: (index) => {
              const module = base.spec(index);
              if (kindOfIndex([1, 1], index) === 0) return module;
              const serial = module.deviceId.serialNumber;
              return {
                ...module,
                deviceId: { ...module.deviceId, productClass: "Gateway" },
                values: {
                  [`${IGD}DeviceInfo.Manufacturer`]: "cpekit",
                  [`${IGD}DeviceInfo.ManufacturerOUI`]: module.deviceId.oui,
                  [`${IGD}DeviceInfo.ProductClass`]: "Gateway",
                  [`${IGD}DeviceInfo.SerialNumber`]: serial,
                  [`${IGD}ManagementServer.URL`]: acs.url,
                  [`${IGD}ManagementServer.PeriodicInformEnable`]: "false",
                },
                dataModel: { schema: igd, managementServerPrefix: `${IGD}ManagementServer.` },
              };
            },
          });
          const informs = yield* bootInforms(acs, 4);
          const gateways = informs.filter((r) => r.inform.deviceId.productClass === "Gateway");
          expect(gateways.map((r) => r.inform.deviceId.serialNumber).sort()).toEqual([
            "FLT000001",
            "FLT000003",
          ]);
          const url = (r: (typeof informs)[number], root: string) =>
            r.inform.parameterList.find(
              (p) => p.name === `${root}ManagementServer.ConnectionRequestURL`,
            )?.value ?? "";
          for (const r of informs) {
            const root = r.inform.deviceId.productClass === "Gateway" ? IGD : "Device.";
            expect(new URL(url(r, root)).pathname).toBe(`/cr/${r.inform.deviceId.serialNumber}`);
            expect(new URL(url(r, root)).origin).toBe(fleet.connectionRequests.origin);
          }
          const gw = gateways[0]!;
          const index = Number(gw.inform.deviceId.serialNumber.slice(3));
          expect(yield* acs.connectionRequest(url(gw, IGD), crUser, crPasswordOf(index))).toBe(200);
          const woken = yield* acs.nextInform({ timeoutMs: 5_000 });
          expect(woken.deviceId).toBe(gw.deviceId);
          expect(codes(woken)).toEqual(["6 CONNECTION REQUEST"]);
        }),
      ).pipe(
        Effect.timeoutFail({ duration: "15 seconds", onTimeout: () => new Error("timed out") }),
      ),
    ));
});
