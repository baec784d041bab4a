/**
 * Runs the host-parameters example against the acs-testkit ACS: values read over CWMP are the
 * host's own, read live; the writable HostName is validated by the provider.
 */
import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deviceKeyOf, makeTestAcs, type TestAcsApi } from "@cpekit/acs-testkit";
import type { Agent, CwmpMessage } from "@cpekit/core";
import { Effect, Fiber, type Scope } from "effect";
import { describe, expect, it } from "vitest";
import { deviceId, startHostAgent } from "./host-parameters-agent.js";
import type { HostOs, HostProviderOptions } from "./host-provider.js";

const key = deviceKeyOf(deviceId);
const wait = { timeoutMs: 10_000 };

/** The ACS, and the agent started against it with a store in a temporary folder. */
const world = (host?: HostProviderOptions) =>
  Effect.gen(function* () {
    const acs = yield* makeTestAcs();
    const dir = yield* Effect.acquireRelease(
      Effect.promise(() => mkdtemp(join(tmpdir(), "example-host-parameters-"))),
      (d) => Effect.promise(() => rm(d, { recursive: true, force: true })),
    );
    const agent = yield* startHostAgent({
      acsUrl: acs.url,
      storePath: join(dir, "device.json"),
      ...(host === undefined ? {} : { host }),
    });
    yield* acs.nextInform({ deviceId: key, ...wait });
    return { acs, agent };
  });

/** Sends `message` and wakes the device up, so the call goes out whatever the timing. */
const ask = (acs: TestAcsApi, agent: Agent, message: CwmpMessage) =>
  Effect.gen(function* () {
    const answer = yield* Effect.fork(acs.call(key, message, wait));
    yield* agent.connectionRequest;
    return yield* Fiber.join(answer);
  });

/** GetParameterValues, as a name → value record. */
const values = (acs: TestAcsApi, agent: Agent, names: readonly string[]) =>
  Effect.map(ask(acs, agent, { _tag: "GetParameterValues", parameterNames: names }), (m) => {
    if (m._tag !== "GetParameterValuesResponse") throw new Error(`got ${JSON.stringify(m)}`);
    return Object.fromEntries(m.parameterList.map((p) => [p.name, p.value]));
  });

const setHostName = (acs: TestAcsApi, agent: Agent, value: string) =>
  ask(acs, agent, {
    _tag: "SetParameterValues",
    parameterList: [{ name: "Device.DeviceInfo.HostName", value, type: "xsd:string" }],
    parameterKey: `set-${value.length}`,
  });

const run = <A, E>(body: Effect.Effect<A, E, Scope.Scope>): Promise<A> =>
  Effect.runPromise(Effect.scoped(body));

/** A host whose values the test controls; its uptime advances 7 s per read. */
const fakeHost = (): HostOs => {
  let uptime = 1000;
  return {
    uptime: () => (uptime += 7),
    totalmem: () => 512 * 1024 * 1024,
    freemem: () => 100 * 1024 * 1024,
    hostname: () => "fake-host",
    networkInterfaces: () => ({
      lo: [
        {
          address: "127.0.0.1",
          netmask: "255.0.0.0",
          family: "IPv4",
          mac: "00:00:00:00:00:00",
          internal: true,
          cidr: "127.0.0.1/8",
        },
      ],
      eth0: [
        {
          address: "192.0.2.10",
          netmask: "255.255.255.0",
          family: "IPv4",
          mac: "02:00:00:00:00:01",
          internal: false,
          cidr: "192.0.2.10/24",
        },
      ],
    }),
  };
};

describe("example: live host parameters", () => {
  it("§1.12: DeviceInfo UpTime, MemoryStatus and HostName are this host's (node:os)", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world();
        const before = Math.floor(os.uptime());
        const v = yield* values(acs, agent, ["Device.DeviceInfo."]);
        const after = Math.ceil(os.uptime());
        const upTime = Number(v["Device.DeviceInfo.UpTime"]);
        expect(upTime).toBeGreaterThanOrEqual(before);
        expect(upTime).toBeLessThanOrEqual(after);
        expect(v["Device.DeviceInfo.MemoryStatus.Total"]).toBe(
          String(Math.floor(os.totalmem() / 1024)),
        );
        const free = Number(v["Device.DeviceInfo.MemoryStatus.Free"]);
        expect(free).toBeGreaterThan(0);
        expect(free).toBeLessThanOrEqual(Number(v["Device.DeviceInfo.MemoryStatus.Total"]));
        expect(v["Device.DeviceInfo.HostName"]).toBe(os.hostname());
      }),
    ));

  it("values are read live at each request, never from the store", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world({ os: fakeHost() });
        const name = "Device.DeviceInfo.UpTime";
        const first = Number((yield* values(acs, agent, [name]))[name]);
        const second = Number((yield* values(acs, agent, [name]))[name]);
        expect(second).toBeGreaterThan(first);
      }),
    ));

  it("§1.12: Device.IP.Interface.1 is the host's external interface, with its IPv4 address", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world({ os: fakeHost() });
        const v = yield* values(acs, agent, ["Device.IP.Interface.1."]);
        expect(v).toMatchObject({
          "Device.IP.Interface.1.Name": "eth0",
          "Device.IP.Interface.1.Status": "Up",
          "Device.IP.Interface.1.IPv4Address.1.IPAddress": "192.0.2.10",
        });
      }),
    ));

  it("§1.14-9007: an invalid HostName is refused with 9007 and the name is unchanged; a valid one is applied", () =>
    run(
      Effect.gen(function* () {
        const applied: string[] = [];
        const { acs, agent } = yield* world({
          os: fakeHost(),
          onHostName: (n) => applied.push(n),
        });
        const bad = yield* setHostName(acs, agent, "not_a host!");
        expect(bad._tag === "Fault" && bad.detail?.faultCode).toBe(9007);
        const name = "Device.DeviceInfo.HostName";
        expect((yield* values(acs, agent, [name]))[name]).toBe("fake-host");
        expect(applied).toEqual([]);

        const good = yield* setHostName(acs, agent, "cpe-42.example.net");
        expect(good).toMatchObject({ _tag: "SetParameterValuesResponse", status: 0 });
        expect((yield* values(acs, agent, [name]))[name]).toBe("cpe-42.example.net");
        expect(applied).toEqual(["cpe-42.example.net"]);
      }),
    ));

  it("§1.14-9008: a read-only host value (UpTime) is refused by the schema with 9003/9008", () =>
    run(
      Effect.gen(function* () {
        const { acs, agent } = yield* world({ os: fakeHost() });
        const answer = yield* ask(acs, agent, {
          _tag: "SetParameterValues",
          parameterList: [
            { name: "Device.DeviceInfo.UpTime", value: "5", type: "xsd:unsignedInt" },
          ],
          parameterKey: "k",
        });
        expect(answer._tag === "Fault" && answer.detail).toMatchObject({
          faultCode: 9003,
          setParameterValuesFaults: [
            { parameterName: "Device.DeviceInfo.UpTime", faultCode: 9008 },
          ],
        });
      }),
    ));
});
