import { encodeFrame, FrameDecoder } from "../src/link/frame.js";
import { SimulatedModule } from "../src/simulator/simulated-module.js";

const t0 = performance.now();
const sim = await SimulatedModule.start({ measureHeap: true });
console.log("boot ms", performance.now() - t0);
const port = await sim.open();
const dec = new FrameDecoder({
  onNoise: (b) => console.log("noise", JSON.stringify(Buffer.from(b).toString())),
});
port.on("data", (d: Buffer) => {
  for (const f of dec.push(d)) console.log("frame", JSON.stringify(f).slice(0, 600));
});
port.on("close", () => console.log("port closed"));
port.write(encodeFrame(1, { t: "hello" }));
port.write(
  encodeFrame(2, {
    t: "get",
    k: [
      "imei",
      "sn",
      "model",
      "fwVersion",
      "manufacturer",
      "hwVersion",
      "qpyVersion",
      "uptime",
      "imsi",
      "iccid",
      "msisdn",
      "simStatus",
      "rssi",
      "rsrp",
      "rsrq",
      "csq",
      "regState",
      "rat",
      "lac",
      "cellId",
      "operator",
      "mcc",
      "mnc",
      "dataState",
      "ipv4",
      "dns1",
      "dns2",
      "apn",
      "apnUser",
      "apnPassword",
      "apnAuth",
      "powerOnReason",
      "vbat",
      "nope",
    ],
  }),
);
port.write(encodeFrame(3, { t: "set", v: { apn: "iot.example", apnUser: "u", bad: 1 } }));
port.write(encodeFrame(4, { t: "get", k: ["apn", "apnUser"] }));
port.write(Buffer.from("garbage\n\x1e5 3 0000 abc\n"));
port.write(encodeFrame(6, { t: "act", a: "ping", p: { echo: "x" } }));
sim.setDataCall(false);
await new Promise((r) => setTimeout(r, 20));
console.log(sim.heap(), sim.roundTrips, sim.apiCalls());
port.write(encodeFrame(7, { t: "act", a: "reboot" }));
await new Promise((r) => setTimeout(r, 10));
await sim.whenBooted();
console.log("booted", sim.bootCount, performance.now() - t0);
const p2 = await sim.open();
const dec2 = new FrameDecoder();
p2.on("data", (d: Buffer) => {
  for (const f of dec2.push(d)) console.log("frame2", JSON.stringify(f).slice(0, 300));
});
p2.write(encodeFrame(8, { t: "get", k: ["apn", "uptime", "powerOnReason"] }));
await new Promise((r) => setTimeout(r, 20));
sim.close();
