/**
 * Writes files to a module through the raw REPL and deploys the bridge.
 * @module
 */
import type { Duplex } from "node:stream";
import { RawRepl, type RawReplOptions } from "./raw-repl.js";
import { ReplError } from "./repl-error.js";

/** Where the bridge lives on the module. */
export const BRIDGE_PATH = "/usr/cpekit_bridge.py";

/**
 * A MicroPython bytes literal for `bytes`: printable ASCII as is, everything else escaped, so
 * the code sent through the REPL is plain ASCII with no control bytes.
 */
export const pythonBytesLiteral = (bytes: Uint8Array): string => {
  let out = "b'";
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x27) out += "\\'";
    else if (b === 0x0a) out += "\\n";
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `${out}'`;
};

/** Options of {@link uploadFile}. */
export interface UploadOptions {
  /** Raw bytes per `f.write` call (default 512). */
  readonly chunkBytes?: number;
}

/**
 * Writes `data` to `path` on the module (`f=open(path,'wb')`, chunked `f.write(b'...')`,
 * `f.close()`), then checks the size with `uos.stat`.
 */
export const uploadFile = async (
  repl: RawRepl,
  path: string,
  data: Uint8Array,
  options: UploadOptions = {},
): Promise<void> => {
  const chunk = options.chunkBytes ?? 512;
  const p = pythonBytesLiteral(new TextEncoder().encode(path)).slice(1);
  await repl.exec(`f=open(${p},'wb')\nw=f.write`);
  try {
    for (let i = 0; i < data.length; i += chunk)
      await repl.exec(`w(${pythonBytesLiteral(data.subarray(i, i + chunk))})`);
  } catch (e) {
    // Close the file if the REPL still answers, but report the first failure.
    await repl.exec("f.close()").catch(() => undefined);
    throw e;
  }
  await repl.exec("f.close()\ndel f,w");
  const { stdout } = await repl.exec(`import uos\nprint(uos.stat(${p})[6])`);
  const size = Number(stdout.trim());
  if (size !== data.length)
    throw new ReplError({
      reason: "UploadMismatch",
      detail: `${path} has ${stdout.trim()} bytes on the module, ${data.length} were sent`,
    });
};

/** The code that starts the bridge (also the content of the optional `main.py` hook). */
export const bridgeStartCode = (path = BRIDGE_PATH): string => {
  const name = path.replace(/^.*\//, "").replace(/\.py$/, "");
  return [
    `try:from usr import ${name} as B`,
    "except ImportError:",
    " import sys",
    " if '/usr' not in sys.path:sys.path.append('/usr')",
    ` import ${name} as B`,
    "B.main()",
    "",
  ].join("\n");
};

/** Options of {@link deployBridge}. */
export interface DeployOptions extends RawReplOptions, UploadOptions {
  /** Where to write the bridge (default {@link BRIDGE_PATH}). */
  readonly path?: string;
  /** Also write `/usr/main.py` so the module starts the bridge at boot. */
  readonly installMainHook?: boolean;
  /** Start the bridge after the upload (default true). */
  readonly start?: boolean;
}

/**
 * Deploys the bridge over a REPL stream: interrupts whatever runs, enters the raw REPL, writes
 * the bridge, optionally the `main.py` hook, and starts it. On return the stream carries bridge
 * frames and can be handed to a `BridgeLink` (the REPL reader is released).
 */
export const deployBridge = async (
  stream: Duplex,
  source: string,
  options: DeployOptions = {},
): Promise<void> => {
  const repl = await RawRepl.enter(stream, options);
  try {
    const path = options.path ?? BRIDGE_PATH;
    await uploadFile(repl, path, new TextEncoder().encode(source), options);
    if (options.installMainHook)
      await uploadFile(
        repl,
        "/usr/main.py",
        new TextEncoder().encode(bridgeStartCode(path)),
        options,
      );
    if (options.start ?? true) await repl.start(bridgeStartCode(path));
  } finally {
    repl.release();
  }
};
