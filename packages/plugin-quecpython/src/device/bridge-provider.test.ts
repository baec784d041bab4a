import { type ParameterChange, ProviderError } from "@cpekit/core";
import { Chunk, Effect, Either, Fiber, Stream } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeLink } from "../link/bridge-link.js";
import { SimulatedModule } from "../simulator/simulated-module.js";
import { makeBridgeProvider } from "./bridge-provider.js";
import { quecPythonMapping } from "./tr181-mapping.js";

const cellularPaths = quecPythonMapping
  .map((m) => m.path)
  .filter((p) => p.startsWith("Device.Cellular."));

describe("the QuecPython provider over a simulated module (real MicroPython)", () => {
  let sim: SimulatedModule;
  let link: BridgeLink;
  beforeAll(async () => {
    sim = await SimulatedModule.start({ bootDelayMs: 20 });
    link = await BridgeLink.connect({
      open: () => sim.open(),
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      requestTimeoutMs: 2000,
    });
  });
  afterAll(async () => {
    await link.close();
    sim.close();
  });
  const provider = () =>
    makeBridgeProvider(link, { manufacturerOui: "00A0C6", reconnectWaitMs: 3000 });

  it("reads every Cellular value in ONE bridge round trip, in TR-181 form", async () => {
    const before = sim.roundTrips;
    const values = await Effect.runPromise(provider().get(cellularPaths));
    expect(sim.roundTrips - before).toBe(1);
    expect(Object.fromEntries(values)).toMatchObject({
      "Device.Cellular.RoamingStatus": "Home",
      "Device.Cellular.Interface.1.Status": "Up",
      "Device.Cellular.Interface.1.IMEI": "866327040830317",
      "Device.Cellular.Interface.1.CurrentAccessTechnology": "LTE",
      "Device.Cellular.Interface.1.NetworkInUse": "CHN-UNICOM",
      "Device.Cellular.Interface.1.USIM.Status": "Valid",
      "Device.Cellular.Interface.1.USIM.IMSI": "460011234567890",
      "Device.Cellular.Interface.1.USIM.MSISDN": "8613800000000",
      "Device.Cellular.AccessPoint.1.APN": "cmnet",
    });
    expect(Number(values.get("Device.Cellular.Interface.1.RSRP"))).toBeLessThan(0);
  });

  it("writes APN and Username with ONE setPDPContext and reads them back", async () => {
    const p = provider();
    const before = sim.apiCalls()["dataCall.setPDPContext"] ?? 0;
    const status = await Effect.runPromise(
      p.set([
        { path: "Device.Cellular.AccessPoint.1.APN", value: "iot.example" },
        { path: "Device.Cellular.AccessPoint.1.Username", value: "u1" },
      ]),
    );
    expect(status.status).toBe(0);
    expect((sim.apiCalls()["dataCall.setPDPContext"] ?? 0) - before).toBe(1);
    const back = await Effect.runPromise(
      p.get(["Device.Cellular.AccessPoint.1.APN", "Device.Cellular.AccessPoint.1.Username"]),
    );
    expect([...back.values()]).toEqual(["iot.example", "u1"]);
  });

  it("refuses a value the module rejects with 9007 and a module-owned parameter with 9008", async () => {
    const p = provider();
    const refused = await Effect.runPromise(
      Effect.either(p.set([{ path: "Device.Cellular.AccessPoint.1.APN", value: "x".repeat(63) }])),
    );
    expect(Either.isLeft(refused) && refused.left.faultCode).toBe(9007);
    const readOnly = await Effect.runPromise(
      Effect.either(
        p.set([{ path: "Device.IP.Interface.1.IPv4Address.1.IPAddress", value: "10.0.0.1" }]),
      ),
    );
    expect(Either.isLeft(readOnly) && readOnly.left.faultCode).toBe(9008);
    expect(Either.isLeft(readOnly) && readOnly.left).toBeInstanceOf(ProviderError);
  });

  it("§1.11 a data call going down pushes the new IP address and interface status on changes", async () => {
    const p = provider();
    const changes = p.changes;
    if (changes === undefined) throw new Error("the provider has no changes stream");
    const fiber = Effect.runFork(
      Stream.runCollect(Stream.take(changes, 1)).pipe(Effect.timeout("3 seconds")),
    );
    // Let the stream subscribe before the event.
    await new Promise((r) => setTimeout(r, 30));
    sim.setDataCall(false);
    const got = await Effect.runPromise(Fiber.join(fiber));
    sim.setDataCall(true);
    const first = Chunk.toReadonlyArray(got)[0] as readonly ParameterChange[];
    const byPath = Object.fromEntries(first.map((c) => [c.path, c.value]));
    expect(byPath["Device.IP.Interface.1.IPv4Address.1.IPAddress"]).toBe("");
    expect(byPath["Device.IP.Interface.1.Status"]).toBe("Down");
  });

  it("a read made while the module restarts waits for it and answers from the restarted module", async () => {
    const p = provider();
    const boots = sim.bootCount;
    const restarting = sim.restart();
    const values = await Effect.runPromise(p.get(["Device.DeviceInfo.UpTime"]));
    await restarting;
    expect(sim.bootCount).toBe(boots + 1);
    expect(Number(values.get("Device.DeviceInfo.UpTime"))).toBeLessThan(5);
  });
});
