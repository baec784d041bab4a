import type { Either } from "effect";
import { generateBridge } from "../src/bridge/generate-bridge.js";
import { FakeRepl, microPythonExec } from "../src/repl/fake-repl.js";
import { RawRepl } from "../src/repl/raw-repl.js";
import { uploadFile } from "../src/repl/upload.js";

const mp = await microPythonExec();
const src = (generateBridge() as Either.Right<never, { source: string }>).right.source;
const repl = new FakeRepl({ exec: mp.exec, window: 128 });
repl.on("data", (d: Buffer) => {
  if (d.length < 20) console.log("<<", JSON.stringify(d.toString("latin1")));
  else console.log("<< len", d.length);
});
const s = await RawRepl.enter(repl, { timeoutMs: 1000 });
try {
  await uploadFile(s, "/usr/a.py", new TextEncoder().encode(src));
} catch (e) {
  console.log("ERR", String(e));
  console.log(repl.executed.map((c) => c.slice(0, 60)));
}
