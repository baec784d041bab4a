/**
 * A fleet on virtual time against the acs-testkit ACS. The devices reach the ACS through the
 * testkit's in-process transport (`inProcessTransport`: the ACS's own session logic, without
 * sockets), because 25,000 sessions over real loopback HTTP would take minutes on this machine;
 * everything else (agents, stores, connection-request routing, timers) is what `cpekit fleet`
 * runs.
 */
import { type InformRecord, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import { DigestClient, parseAuthHeader, pickDigestChallenge } from "@cpekit/transport-http";
import { Effect, type Scope } from "effect";
import { describe, expect, it } from "vitest";
import { type Fleet, type FleetOptions, makeFleet } from "./fleet.js";
import { phaseOffsetSeconds } from "./periodic-phase.js";
import { crPasswordOf, crUser, fixtureFleet, memoryStores } from "./test-support/fleet-fixture.js";
import { VirtualClock } from "./virtual-clock.js";

const HOUR = 3_600_000;
// An hour boundary, so that a phase offset from the (hour-aligned) reference is the instant's
// offset within the hour.
const T0 = Date.parse("2026-03-01T00:00:00Z");

/** Starts the ACS and a fleet of `count` devices on `clock`, informing every `interval` s. */
const fleetOnVirtualTime = (
  clock: VirtualClock,
  count: number,
  extra: Partial<FleetOptions> = {},
): Effect.Effect<{ acs: TestAcsApi; fleet: Fleet }, unknown, Scope.Scope> =>
  Effect.gen(function* () {
    const acs = yield* makeTestAcs();
    const fleet = yield* makeFleet({
      ...fixtureFleet({
        count,
        acsUrl: acs.url,
        transport: acs.inProcessTransport,
        store: memoryStores().open,
        periodic: { enable: true, intervalSeconds: 3600 },
      }),
      connectionRequests: { listen: false },
      ...extra,
    }).pipe(Effect.withClock(clock.clock));
    return { acs, fleet };
  });

/** Advances `clock` to `target`, letting the fleet's sessions finish at every instant. */
const advance = (clock: VirtualClock, fleet: Fleet, target: number) =>
  Effect.promise(() => clock.advanceTo(target, () => fleet.settled(() => clock.activity)));

/** Every Inform the ACS received, grouped by device key. */
const takeInforms = (acs: TestAcsApi, total: number) =>
  Effect.gen(function* () {
    const byDevice = new Map<string, InformRecord[]>();
    for (let i = 0; i < total; i++) {
      const r = yield* acs.nextInform({ timeoutMs: 1_000 });
      const list = byDevice.get(r.deviceId) ?? [];
      list.push(r);
      byDevice.set(r.deviceId, list);
    }
    return byDevice;
  });

/**
 * How many devices the 24-hour run simulates: 300 in the everyday suite (25 sessions each cost
 * what the agent costs per session, so 1,000 devices take about 100 s of CPU today); set
 * CPEKIT_VIRTUAL_FLEET_DEVICES=1000 for the fleet issue's full figure.
 */
const VIRTUAL_DEVICES = Number(process.env.CPEKIT_VIRTUAL_FLEET_DEVICES ?? 300);

const codes = (r: InformRecord) => r.inform.event.map((e) => e.eventCode).join(",");

describe("a fleet on virtual time", () => {
  it(
    `§1.10 ${VIRTUAL_DEVICES.toLocaleString("en")} devices through 24 simulated hours: each informs 0 BOOTSTRAP once, then 2 PERIODIC every hour at its own phase from PeriodicInformTime, 24 times`,
    () =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const count = VIRTUAL_DEVICES;
            const clock = new VirtualClock(T0);
            const { acs, fleet } = yield* fleetOnVirtualTime(clock, count, { ramp: 200 });
            yield* advance(clock, fleet, T0 + 24 * HOUR);
            const snapshot = fleet.stats.snapshot();
            expect(snapshot.sessionsFailed).toBe(0);
            expect(snapshot.sessionsSucceeded).toBe(count * 25);
            const byDevice = yield* takeInforms(acs, count * 25);
            expect(byDevice.size).toBe(count);
            const wrong: string[] = [];
            for (const device of fleet.devices) {
              const key = `${device.spec.deviceId.oui}-${device.spec.deviceId.productClass}-${device.serial}`;
              const informs = byDevice.get(key) ?? [];
              const [boot, ...periodic] = informs;
              const phase = phaseOffsetSeconds(device.spec.index, count, 3600) * 1000;
              if (boot === undefined || codes(boot) !== "0 BOOTSTRAP,1 BOOT")
                wrong.push(`${key}: boot ${boot ? codes(boot) : "missing"}`);
              if (periodic.length !== 24) wrong.push(`${key}: ${periodic.length} periodic Informs`);
              for (const p of periodic) {
                const at = Date.parse(p.inform.currentTime);
                if (codes(p) !== "2 PERIODIC" || (at - T0) % HOUR !== phase)
                  wrong.push(`${key}: ${codes(p)} at ${p.inform.currentTime}`);
              }
            }
            expect(wrong.slice(0, 10)).toEqual([]);
          }),
        ),
      ),
    // Bounded, not timed: 25,000 sessions cost what the agent costs per session (see the README).
    600_000,
  );

  it("devices boot at the ramp's rate in index order: at 1/s device k's BOOTSTRAP Inform is at k s (CurrentTime); shard 1/3 of 30 runs devices 10-19 only", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const clock = new VirtualClock(T0);
          const { acs, fleet } = yield* fleetOnVirtualTime(clock, 30, {
            ramp: 1,
            shard: { index: 1, total: 3 },
          });
          yield* advance(clock, fleet, T0 + 60_000);
          const boots = [];
          for (let i = 0; i < 10; i++) boots.push(yield* acs.nextInform({ timeoutMs: 1_000 }));
          expect(boots.map((r) => r.inform.deviceId.serialNumber)).toEqual(
            Array.from({ length: 10 }, (_, k) => `FLT0000${10 + k}`),
          );
          expect(boots.map((r) => Date.parse(r.inform.currentTime) - T0).join()).toEqual(
            Array.from({ length: 10 }, (_, k) => k * 1000).join(),
          );
          expect(boots.every((r) => codes(r) === "0 BOOTSTRAP,1 BOOT")).toBe(true);
          expect(fleet.stats.snapshot()).toMatchObject({
            devices: 10,
            online: 10,
            sessionsSucceeded: 10,
          });
        }),
      ),
    ));

  it("C2 C4 connection requests answered in process (no socket): a Digest request with device 3's password wakes device 3 only; device 2's password at device 3's path is refused", () =>
    Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const clock = new VirtualClock(T0);
          const { acs, fleet } = yield* fleetOnVirtualTime(clock, 5);
          yield* advance(clock, fleet, T0 + 1_000);
          for (let i = 0; i < 5; i++) yield* acs.nextInform({ timeoutMs: 1_000 });
          const device = fleet.devices.find((d) => d.spec.index === 3);
          const path = new URL(device?.connectionRequestUrl ?? "").pathname;
          const request = (authorization: string | undefined) =>
            fleet.connectionRequests.handle({ method: "GET", target: path, authorization });
          const challenge = yield* request(undefined);
          expect(challenge?.status).toBe(401);
          const usable = pickDigestChallenge(
            parseAuthHeader(challenge?.headers["www-authenticate"] as string | string[]),
          );
          const as = (password: string) =>
            new DigestClient(usable!, { username: crUser, password }).authorization("GET", path);
          expect((yield* request(as(crPasswordOf(2))))?.status).toBe(401);
          expect((yield* request(as(crPasswordOf(3))))?.status).toBe(200);
          yield* advance(clock, fleet, T0 + 2_000);
          const woken = yield* acs.nextInform({ timeoutMs: 1_000 });
          expect(woken.inform.deviceId.serialNumber).toBe("FLT000003");
          expect(codes(woken)).toBe("6 CONNECTION REQUEST");
          expect(fleet.stats.snapshot().sessionsSucceeded).toBe(6);
        }),
      ),
    ));
});
