/**
 * One MicroPython interpreter (the WebAssembly port) with its output split in two: lines for
 * the simulated serial port, and side-channel lines (starting with 0x1F) that the fake modules
 * use to answer the simulator.
 *
 * The package's JS glue keeps the current interpreter in `globalThis.Module` and resolves
 * proxies through it, so with several interpreters in one process each call must make its own
 * interpreter current first. Calls are synchronous, so setting it right before each call is
 * enough. Only strings cross the boundary (code in, stdout lines out): no Python object proxies
 * are kept, because their finalizers would also go through the shared global.
 * @module
 */
import type { MicroPython } from "@micropython/micropython-webassembly-pyscript";

/** A Python exception raised by code run in the interpreter. */
export interface PythonFailure {
  /** Exception class name (`SystemExit`, `ValueError`, ...). */
  readonly type: string;
  /** The traceback text. */
  readonly message: string;
}

const SIDE = "\x1fSIM ";

/** Where an instance's output goes. */
export interface MicroPythonOutput {
  /** A stdout line (without its LF) meant for the serial port. */
  readonly line: (text: string) => void;
}

/** A MicroPython interpreter. */
export class MicroPythonInstance {
  private side: unknown[] = [];

  private constructor(
    private readonly mp: MicroPython,
    private readonly output: { sink: MicroPythonOutput },
  ) {}

  /** Loads a fresh interpreter whose stdout lines go to `output`. */
  static async load(output: MicroPythonOutput): Promise<MicroPythonInstance> {
    const holder: { sink: MicroPythonOutput; self?: MicroPythonInstance } = { sink: output };
    const route = (text: string) => {
      if (text.startsWith(SIDE) && holder.self) {
        holder.self.side.push(JSON.parse(text.slice(SIDE.length)));
      } else holder.sink.line(text);
    };
    // Loaded on use: a device that never simulates a module need not load the interpreter.
    const { loadMicroPython } = await import("@micropython/micropython-webassembly-pyscript");
    const mp = await loadMicroPython({ stdout: route, stderr: route, linebuffer: true });
    const self = new MicroPythonInstance(mp, holder);
    holder.self = self;
    return self;
  }

  /** Writes a file into the interpreter's file system, creating its directory. */
  writeFile(dir: string, name: string, text: string): void {
    try {
      this.mp.FS.mkdir(dir);
    } catch {
      // The directory exists already.
    }
    this.mp.FS.writeFile(`${dir}/${name}`, text);
  }

  /** Writes a file at an absolute path, creating its directories. */
  writeBytes(path: string, data: Uint8Array): void {
    const parts = path.split("/").filter((p) => p !== "");
    let dir = "";
    for (const part of parts.slice(0, -1)) {
      dir += `/${part}`;
      try {
        this.mp.FS.mkdir(dir);
      } catch {
        // The directory exists already.
      }
    }
    this.mp.FS.writeFile(`/${parts.join("/")}`, data);
  }

  /**
   * The files under directory `dir`, by path relative to it (none when it does not exist).
   * Read from the file system directly, so it costs the interpreter nothing.
   */
  readTree(dir: string): Record<string, Uint8Array> {
    const out: Record<string, Uint8Array> = {};
    const walk = (path: string, rel: string) => {
      for (const name of this.mp.FS.readdir(path)) {
        if (name === "." || name === "..") continue;
        const full = `${path}/${name}`;
        const relative = rel === "" ? name : `${rel}/${name}`;
        if (this.mp.FS.isDir(this.mp.FS.stat(full).mode)) walk(full, relative);
        else out[relative] = this.mp.FS.readFile(full) as Uint8Array;
      }
    };
    try {
      if (!this.mp.FS.isDir(this.mp.FS.stat(dir).mode)) return out;
    } catch {
      return out;
    }
    walk(dir, "");
    return out;
  }

  /** Runs code; returns the Python exception it raised, if any. */
  run(code: string): PythonFailure | undefined {
    (globalThis as { Module?: object }).Module = this.mp._module;
    try {
      this.mp.runPython(code);
      return undefined;
    } catch (e) {
      const err = e as { name?: string; type?: string; message?: string };
      if (err.name !== "PythonError") throw e;
      return { type: err.type ?? "Exception", message: err.message ?? "" };
    }
  }

  /**
   * Runs code that answers through `_qsim.out(...)`; returns the answers in order, or the
   * Python exception.
   */
  query(code: string): { readonly answers: unknown[]; readonly failure?: PythonFailure } {
    this.side = [];
    const failure = this.run(code);
    const answers = this.side;
    this.side = [];
    return failure ? { answers, failure } : { answers };
  }

  /** Sends later stdout lines to `sink` instead. */
  redirect(sink: MicroPythonOutput): void {
    this.output.sink = sink;
  }
}

/** A Python string literal for `text` (ASCII only: everything else is escaped). */
export const pythonString = (text: string): string =>
  JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
