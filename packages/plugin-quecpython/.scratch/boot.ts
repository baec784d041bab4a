import { MicroPythonInstance } from "../src/simulator/micropython-instance.js";

for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const m = await MicroPythonInstance.load({ line: () => {} });
  const t1 = performance.now();
  m.run("import gc\nx=[i for i in range(100)]");
  console.log("load", (t1 - t0).toFixed(1), "run", (performance.now() - t1).toFixed(1));
}
