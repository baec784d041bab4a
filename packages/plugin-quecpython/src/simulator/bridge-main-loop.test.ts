import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { generateBridge } from "../bridge/generate-bridge.js";
import { encodeFrame, FrameDecoder } from "../link/frame.js";
import { fakeQuecPythonSource } from "./fake-quecpython.js";
import { MicroPythonInstance, pythonString } from "./micropython-instance.js";
import { defaultSimulatedModuleConfig } from "./simulated-module.js";

describe("the bridge's serial loop (main), as it runs on a module", () => {
  it("reads frames line by line from its stream, skips junk lines, and answers each", async () => {
    const r = generateBridge();
    if (Either.isLeft(r)) throw r.left;
    const lines: string[] = [];
    const mp = await MicroPythonInstance.load({ line: (t) => lines.push(t) });
    mp.writeFile("/qsim", "_qsim.py", fakeQuecPythonSource);
    mp.writeFile("/usr", "cpekit_bridge.py", r.right.source);
    const input = [
      "junk typed on the console\r\n",
      new TextDecoder().decode(encodeFrame(1, { t: "get", k: ["imei", "apn"] })),
      new TextDecoder().decode(encodeFrame(2, { t: "set", v: { apn: "loop.apn" } })),
      new TextDecoder().decode(encodeFrame(3, { t: "get", k: ["apn"] })),
    ];
    const failure = mp.run(
      [
        "import sys,json",
        "sys.path.insert(0,'/qsim')",
        "import _qsim",
        `_qsim.init(json.loads(${pythonString(JSON.stringify(defaultSimulatedModuleConfig))}))`,
        "sys.path.insert(0,'/usr')",
        "import cpekit_bridge as B",
        "class Stop(Exception):pass",
        "class In:",
        ` def __init__(s):s.l=json.loads(${pythonString(JSON.stringify(input))})`,
        " def readline(s):",
        "  if not s.l:raise Stop()",
        "  return s.l.pop(0)",
        "try:B.main(In())",
        "except Stop:pass",
      ].join("\n"),
    );
    expect(failure).toBeUndefined();
    const frames = new FrameDecoder().push(
      new TextEncoder().encode(lines.map((l) => `${l}\n`).join("")),
    );
    expect(frames.map((f) => f.id)).toEqual([0, 1, 2, 3]);
    expect(frames[0]?.body).toMatchObject({ t: "hello", v: "1" });
    expect(frames[1]?.body).toEqual({
      t: "get",
      v: { imei: "866327040830317", apn: "cmnet" },
      e: {},
    });
    expect(frames[2]?.body).toEqual({ t: "set", e: {} });
    expect(frames[3]?.body).toEqual({ t: "get", v: { apn: "loop.apn" }, e: {} });
  });
});
