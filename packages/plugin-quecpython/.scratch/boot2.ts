import { SimulatedModule } from "../src/simulator/simulated-module.js";

let t0 = performance.now();
const sim = await SimulatedModule.start({});
console.log("start", performance.now() - t0);
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  await sim.restart();
  console.log("restart", performance.now() - t0);
}
sim.close();
