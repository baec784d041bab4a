import type { Either } from "effect";
import { generateBridge } from "../src/bridge/generate-bridge.js";
import { FakeRepl, microPythonExec } from "../src/repl/fake-repl.js";
import { deployBridge } from "../src/repl/upload.js";

const mp = await microPythonExec();
const src = (generateBridge() as Either.Right<never, { source: string }>).right.source;
const repl = new FakeRepl({ exec: mp.exec, window: 128, runningMain: true });
const log: string[] = [];
repl.on("data", (d: Buffer) => {
  log.push(JSON.stringify(d.toString("latin1").slice(0, 40)));
});
try {
  await deployBridge(repl, src, { installMainHook: true, timeoutMs: 2000 });
  console.log("ok");
} catch (e) {
  console.log("ERR", String(e));
  console.log(log.slice(-12));
  console.log(repl.executed.map((c) => c.slice(0, 60)).slice(-4));
}
