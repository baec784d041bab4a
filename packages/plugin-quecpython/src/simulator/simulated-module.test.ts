import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBridgeMap } from "../bridge/bridge-map.js";
import { BridgeLink, type LinkNotice } from "../link/bridge-link.js";
import { isBridgeLinkError } from "../link/bridge-link-error.js";
import { SimulatedModule } from "./simulated-module.js";

const allKeys = defaultBridgeMap.parameters.map((p) => p.key);

const connect = async (sim: SimulatedModule) =>
  BridgeLink.connect({
    open: () => sim.open(),
    reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    requestTimeoutMs: 2000,
  });

/** Waits until the link has gone down and come back. */
const reconnected = (link: BridgeLink) =>
  new Promise<void>((resolve) => {
    let down = false;
    const off = link.subscribe((n: LinkNotice) => {
      if (n.kind !== "state") return;
      if (n.state === "reconnecting") down = true;
      if (n.state === "connected" && down) {
        off();
        resolve();
      }
    });
  });

describe("simulated module running the generated bridge in MicroPython", () => {
  let sim: SimulatedModule;
  let link: BridgeLink;
  beforeAll(async () => {
    sim = await SimulatedModule.start({
      measureHeap: true,
      bootDelayMs: 20,
      files: { "config.json": "{}", "app.py": "print(1)\n" },
    });
    link = await connect(sim);
  });
  afterAll(async () => {
    await link.close();
    sim.close();
  });

  it("answers hello with its version and capabilities", async () => {
    const hello = await link.hello();
    expect(hello.v).toBe("1");
    expect([...hello.keys].sort()).toEqual([...allKeys].sort());
    expect([...hello.set].sort()).toEqual(["apn", "apnAuth", "apnPassword", "apnUser"]);
    expect([...hello.act].sort()).toEqual([
      "appFota",
      "duCommit",
      "duList",
      "duPut",
      "duRemove",
      "euStart",
      "euStop",
      "factoryReset",
      "fota",
      "ipPing",
      "ping",
      "reboot",
    ]);
  });

  it("reads every key in ONE round trip, calling each shared API once", async () => {
    const before = sim.roundTrips;
    const callsBefore = sim.apiCalls();
    const reply = await link.get(allKeys);
    expect(sim.roundTrips - before).toBe(1);
    expect(reply.e).toEqual({});
    expect(Object.keys(reply.v).sort()).toEqual([...allKeys].sort());
    expect(reply.v).toMatchObject({
      imei: "866327040830317",
      imsi: "460011234567890",
      model: "EC600N",
      manufacturer: "Quectel",
      hwVersion: "EC600N with QCX212",
      qpyVersion: "V0003",
      simStatus: 1,
      regState: 1,
      rat: 7,
      operator: "CHN-UNICOM",
      ipv4: "10.64.12.34",
      apn: "cmnet",
    });
    expect(reply.v.rssi).toBeTypeOf("number");
    const calls = sim.apiCalls();
    for (const api of [
      "net.getSignal",
      "net.getState",
      "dataCall.getPDPContext",
      "dataCall.getInfo",
    ])
      expect((calls[api] ?? 0) - (callsBefore[api] ?? 0)).toBe(1);
  });

  it("keeps the heap in use while serving within 32 KB (gc.mem_alloc in MicroPython)", async () => {
    await link.get(allKeys);
    const heap = sim.heap();
    expect(heap.peakServing).toBeGreaterThan(heap.baseline);
    // Even counting the interpreter and the fake modules, and the request's garbage.
    expect(heap.peakServing).toBeLessThanOrEqual(32 * 1024);
    // The bridge's own share: everything above the fake modules' baseline.
    expect(heap.peakServing - heap.baseline).toBeLessThanOrEqual(16 * 1024);
    expect(heap.live - heap.baseline).toBeLessThanOrEqual(32 * 1024);
  });

  it("turns -1 into a per-key error and 99/255 into null", async () => {
    sim.configure({ simStatus: 0, noSignal: true });
    const reply = await link.get(["imsi", "iccid", "simStatus", "rssi", "rsrp", "csq", "imei"]);
    sim.configure({ simStatus: 1, noSignal: false });
    expect(reply.e).toEqual({ imsi: "failed", iccid: "failed" });
    expect(reply.v).toEqual({
      simStatus: 0,
      rssi: null,
      rsrp: null,
      csq: null,
      imei: "866327040830317",
    });
    const unknown = await link.get(["nope"]);
    expect(unknown.e).toEqual({ nope: "unknown key" });
  });

  it("sets the APN through setPDPContext, reads it back, and reports a refused value per key", async () => {
    const before = sim.apiCalls()["dataCall.setPDPContext"] ?? 0;
    const set = await link.set({ apn: "iot.example", apnUser: "user1", imei: "1" });
    expect(set.e).toEqual({ imei: "not writable" });
    expect((sim.apiCalls()["dataCall.setPDPContext"] ?? 0) - before).toBe(1);
    expect((await link.get(["apn", "apnUser"])).v).toEqual({
      apn: "iot.example",
      apnUser: "user1",
    });
    const refused = await link.set({ apn: "x".repeat(80) });
    expect(refused.e).toEqual({ apn: "failed" });
    expect((await link.get(["apn"])).v).toEqual({ apn: "iot.example" });
  });

  it("pushes a data event when the data call goes down (dataCall.setCallback)", async () => {
    const event = new Promise<LinkNotice>((resolve) => {
      const off = link.subscribe((n) => {
        if (n.kind === "event") {
          off();
          resolve(n);
        }
      });
    });
    sim.setDataCall(false);
    expect(await event).toEqual({ kind: "event", event: { t: "ev", n: "data", p: [1, 0] } });
    expect((await link.get(["ipv4", "dataState"])).v).toEqual({ ipv4: null, dataState: 0 });
    sim.setDataCall(true);
  });

  it("reboot restarts the module: uptime resets, the link reconnects, the APN persists", async () => {
    sim.advanceClock(90_000);
    expect((await link.get(["uptime"])).v.uptime).toBeGreaterThanOrEqual(90);
    const boots = sim.bootCount;
    const back = reconnected(link);
    expect(await link.action("reboot")).toBe(0);
    await back;
    expect(sim.bootCount).toBe(boots + 1);
    const after = await link.get(["uptime", "apn", "powerOnReason"]);
    expect(after.v.uptime).toBeLessThan(90);
    expect(after.v.apn).toBe("iot.example");
    expect(after.v.powerOnReason).toBe(2);
  });

  it("a request in flight when the module resets fails with Disconnected, and the link recovers", async () => {
    const back = reconnected(link);
    // The module is busy in a long call when the power is cut.
    sim.setStalled(true);
    const pending = link.get(["imei"]);
    void sim.restart();
    const err = await pending.catch((e: unknown) => e);
    expect(isBridgeLinkError(err) && err.reason).toBe("Disconnected");
    await back;
    expect((await link.get(["imei"])).v.imei).toBe("866327040830317");
  });

  it("fota success changes the firmware version after the restart", async () => {
    sim.setFotaOutcome({ ok: true, version: "EC600NCNLCR01A02M16_OCPU_QPY" });
    const back = reconnected(link);
    expect(await link.action("fota", { url: "http://127.0.0.1:1/fw.bin" })).toBe(0);
    await back;
    expect((await link.get(["fwVersion"])).v.fwVersion).toBe("EC600NCNLCR01A02M16_OCPU_QPY");
    expect(sim.persistedState().fw).toBe("EC600NCNLCR01A02M16_OCPU_QPY");
  });

  it("fota failure reports the error code and does not restart", async () => {
    sim.setFotaOutcome({ ok: false, code: 504 });
    const boots = sim.bootCount;
    const err = await link
      .action("fota", { url: "http://127.0.0.1:1/fw.bin" })
      .catch((e: unknown) => e);
    expect(isBridgeLinkError(err) && err.reason).toBe("Remote");
    expect(String((err as Error).message)).toContain("fota error 504");
    expect(sim.bootCount).toBe(boots);
    expect((await link.get(["fwVersion"])).v.fwVersion).toBe("EC600NCNLCR01A02M16_OCPU_QPY");
  });

  it("pushes a net event (net.setCallback) and answers ping with the heap in use", async () => {
    const event = new Promise<LinkNotice>((resolve) => {
      const off = link.subscribe((n) => {
        if (n.kind === "event") {
          off();
          resolve(n);
        }
      });
    });
    sim.pushNetworkEvent([1, 0, 0, 1]);
    expect(await event).toEqual({ kind: "event", event: { t: "ev", n: "net", p: [1, 0, 0, 1] } });
    const pong = (await link.action("ping", { echo: "hi" })) as { echo: string; mem: number };
    expect(pong.echo).toBe("hi");
    expect(pong.mem).toBeGreaterThan(0);
  });

  it("appFota downloads, sets the update flag and restarts", async () => {
    const back = reconnected(link);
    expect(
      await link.action("appFota", { url: "http://127.0.0.1:1/app.py", file: "/usr/app.py" }),
    ).toBe(0);
    await back;
    expect(sim.persistedState().appFlag).toBe(1);
    expect(sim.apiCalls()["app_fota.download"]).toBe(1);
  });

  it("factoryReset removes the user files but keeps the bridge, then restarts", async () => {
    expect(sim.userFiles()).toEqual(["app.py", "config.json"]);
    const back = reconnected(link);
    expect(await link.action("factoryReset")).toBe(0);
    await back;
    expect(sim.userFiles()).toEqual([]);
    expect((await link.hello()).v).toBe("1");
  });
});

describe("several simulated modules in one process", () => {
  it("keeps each interpreter's state apart (fleet use)", async () => {
    const a = await SimulatedModule.start({ config: { imei: "111111111111111" } });
    const b = await SimulatedModule.start({ config: { imei: "222222222222222" } });
    const la = await connect(a);
    const lb = await connect(b);
    try {
      await la.set({ apn: "apn.a" });
      await lb.set({ apn: "apn.b" });
      for (let i = 0; i < 3; i++) {
        expect((await la.get(["imei", "apn"])).v).toEqual({
          imei: "111111111111111",
          apn: "apn.a",
        });
        expect((await lb.get(["imei", "apn"])).v).toEqual({
          imei: "222222222222222",
          apn: "apn.b",
        });
      }
    } finally {
      await la.close();
      await lb.close();
      a.close();
      b.close();
    }
  });

  it("reports a bridge that fails to start", async () => {
    const sim = await SimulatedModule.start({ bridgeSource: "import nosuchmodule\n" });
    expect(sim.bridgeFailure).toContain("nosuchmodule");
    sim.close();
  });
});
