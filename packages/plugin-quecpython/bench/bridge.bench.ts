/**
 * Bridge figures: generated source size, heap in use on the (simulated) module while serving
 * (`gc.mem_alloc()` inside MicroPython), and round trips per second through the simulator.
 */

import {
  BridgeLink,
  defaultBridgeMap,
  generateBridge,
  SimulatedModule,
} from "@cpekit/plugin-quecpython";
import { Either } from "effect";

const generated = generateBridge();
if (Either.isLeft(generated)) throw generated.left;
const keys = defaultBridgeMap.parameters.map((p) => p.key);

console.log(`bridge source: ${generated.right.bytes} bytes (budget 12288)`);

const sim = await SimulatedModule.start({ measureHeap: true });
const link = await BridgeLink.connect({ open: () => sim.open() });
for (let i = 0; i < 20; i++) await link.get(keys);
const heap = sim.heap();
console.log(
  `heap (gc.mem_alloc): fake modules ${heap.baseline} B; live with bridge ${heap.live} B ` +
    `(bridge ${heap.live - heap.baseline} B); peak while serving a ${keys.length}-key get ` +
    `${heap.peakServing} B (bridge ${heap.peakServing - heap.baseline} B, budget 32768)`,
);
await link.close();
sim.close();

const fast = await SimulatedModule.start();
const fastLink = await BridgeLink.connect({ open: () => fast.open() });
for (const [label, request] of [
  ["get 1 key", () => fastLink.get(["imei"])],
  [`get ${keys.length} keys`, () => fastLink.get(keys)],
  ["set apn", () => fastLink.set({ apn: "bench.apn" })],
] as const) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 1000) {
    await request();
    n++;
  }
  const s = (performance.now() - start) / 1000;
  console.log(
    `${label}: ${(n / s).toFixed(0)} round trips/s (${((s * 1000) / n).toFixed(2)} ms each)`,
  );
}
await fastLink.close();
fast.close();
