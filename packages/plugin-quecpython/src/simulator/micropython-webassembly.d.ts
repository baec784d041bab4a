/**
 * Types for the parts of `@micropython/micropython-webassembly-pyscript` (which ships none)
 * that the simulator uses.
 */
declare module "@micropython/micropython-webassembly-pyscript" {
  /** Options of `loadMicroPython`. */
  export interface LoadMicroPythonOptions {
    pystack?: number;
    heapsize?: number;
    linebuffer?: boolean;
    stdout?: (line: string) => void;
    stderr?: (line: string) => void;
  }
  /** The emscripten file system (subset). */
  export interface MicroPythonFs {
    mkdir(path: string): void;
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string, opts?: { encoding?: "utf8" }): string | Uint8Array;
    readdir(path: string): string[];
    stat(path: string): { mode: number };
    isDir(mode: number): boolean;
  }
  /** A loaded interpreter (subset). */
  export interface MicroPython {
    readonly _module: object;
    readonly FS: MicroPythonFs;
    runPython(code: string): unknown;
  }
  /** Loads a new interpreter. */
  export function loadMicroPython(options?: LoadMicroPythonOptions): Promise<MicroPython>;
}
