import { fc } from "@fast-check/vitest";
import { Either } from "effect";
import { beforeAll, describe, expect, it } from "vitest";
import { generateBridge } from "../bridge/generate-bridge.js";
import { type FakeExecResult, FakeRepl, microPythonExec } from "./fake-repl.js";
import { RawRepl } from "./raw-repl.js";
import { isReplError } from "./repl-error.js";
import {
  BRIDGE_PATH,
  bridgeStartCode,
  deployBridge,
  pythonBytesLiteral,
  uploadFile,
} from "./upload.js";

const bridge = (() => {
  const r = generateBridge();
  if (Either.isLeft(r)) throw r.left;
  return r.right.source;
})();

let mp: Awaited<ReturnType<typeof microPythonExec>>;
beforeAll(async () => {
  mp = await microPythonExec();
});

const replError = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (isReplError(e)) return e;
    throw e;
  }
  throw new Error("expected a ReplError");
};

describe("raw-REPL deployment", () => {
  it("interrupts main.py, uploads the bridge in raw-paste mode honouring window credits, and starts it", async () => {
    const repl = new FakeRepl({ exec: mp.exec, runningMain: true, window: 128 });
    await deployBridge(repl, bridge, { installMainHook: true, timeoutMs: 2000 });
    expect(mp.readFile(BRIDGE_PATH)).toBe(bridge);
    expect(mp.readFile("/usr/main.py")).toBe(bridgeStartCode());
    expect(repl.pastes).toBeGreaterThan(5);
    expect(repl.windowViolations).toBe(0);
    expect(repl.executed.at(-1)).toBe(bridgeStartCode());
  });

  it("falls back to plain raw mode when raw-paste is refused (R\\x00)", async () => {
    const repl = new FakeRepl({ exec: mp.exec, rawPaste: false });
    const source = `${bridge}\n_x='\\\\ \\' \u00e9'\n`;
    await deployBridge(repl, source, { path: "/usr/b2.py", start: false, chunkBytes: 300 });
    expect(mp.readFile("/usr/b2.py")).toBe(source);
    expect(repl.pastes).toBe(0);
    expect(repl.executed.some((c) => c.includes("B.main()"))).toBe(false);
  });

  it("fails with a Locked error naming REPL refuse when the REPL is locked", async () => {
    const repl = new FakeRepl({ exec: mp.exec, locked: true });
    const err = await replError(deployBridge(repl, bridge, { timeoutMs: 500 }));
    expect(err.reason).toBe("Locked");
    expect(err.message).toContain("REPL refuse");
  });

  it("reports a traceback as an Exception error and keeps the session usable", async () => {
    const repl = new FakeRepl({ exec: mp.exec });
    const session = await RawRepl.enter(repl, { timeoutMs: 1000 });
    const err = await replError(session.exec("raise ValueError('bad thing')"));
    expect(err.reason).toBe("Exception");
    expect(err.detail).toContain("ValueError: bad thing");
    expect((await session.exec("print(6*7)")).stdout.trim()).toBe("42");
    session.exit();
  });

  it("detects an upload whose size differs on the module", async () => {
    const lying = (code: string): FakeExecResult =>
      code.includes("uos.stat") ? { stdout: "3\n", stderr: "" } : mp.exec(code);
    const repl = new FakeRepl({ exec: lying });
    const session = await RawRepl.enter(repl, { timeoutMs: 1000 });
    const err = await replError(uploadFile(session, "/usr/x.bin", new Uint8Array([1, 2, 3, 4])));
    expect(err.reason).toBe("UploadMismatch");
    session.release();
  });

  it("times out with NoPrompt on a port that is not a REPL", async () => {
    const silent = new FakeRepl({ exec: mp.exec, locked: false, runningMain: true });
    // A running program that ignores Ctrl-C never shows the raw banner.
    silent.write = ((chunk: unknown, cb?: unknown) => {
      void chunk;
      if (typeof cb === "function") cb();
      return true;
    }) as typeof silent.write;
    const err = await replError(RawRepl.enter(silent, { timeoutMs: 100, interruptGapMs: 1 }));
    expect(err.reason).toBe("NoPrompt");
  });

  it("property: any bytes survive pythonBytesLiteral through the MicroPython parser", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const literal = pythonBytesLiteral(bytes);
        expect(/^[\x20-\x7e]*$/.test(literal)).toBe(true);
        const out = mp.exec(`import ubinascii\nprint(ubinascii.hexlify(${literal}).decode())`);
        expect(out).toEqual({ stdout: `${Buffer.from(bytes).toString("hex")}\n`, stderr: "" });
      }),
      { numRuns: 50 },
    );
  });
});
