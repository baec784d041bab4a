import { startTestAcs } from "@cpekit/acs-testkit";
import { bundleAgentChild } from "./src/durability/agent-child-bundle.ts";
import { startAgentProcess } from "./src/durability/agent-process.ts";
const child = await bundleAgentChild("/tmp/durdbg/agent-child.cjs");
const acs = await startTestAcs({ sessionTimeoutMs: 3000 });
const t0 = performance.now();
const procs = [1, 2, 3, 4].map((i) => {
  const p = startAgentProcess(child, { storePath: `/tmp/durdbg/D${i}/device.json`, acsUrl: acs.url, serialNumber: `D${i}`, run: 1, periodicInformSeconds: 1, applyDelayMs: 40 });
  p.onReport((r) => console.log(Math.round(performance.now() - t0), `D${i}`, JSON.stringify(r)));
  p.exited.then((e) => console.log(`D${i} exit`, e.code, e.signal, e.stderr));
  return p;
});
await new Promise((r) => setTimeout(r, 6000));
for (const p of procs) await p.kill();
console.log(acs.transcript.entries().map((e) => `${e.deviceId} ${e.request.message} ${e.response.status} ${e.request.headers["user-agent"]}`).join("\n"));
await acs.stop();
