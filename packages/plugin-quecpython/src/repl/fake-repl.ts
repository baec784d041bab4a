/**
 * Test support: a fake module REPL on a Duplex that follows MicroPython's byte protocol as
 * QuecPython keeps it (friendly REPL, Ctrl-C, raw REPL with its banner, raw-paste with window
 * credits, OK / stdout / 0x04 / stderr / 0x04 / `>`), a running `main.py` that must be
 * interrupted, and a locked mode answering `REPL refuse`. Code is run by the `exec` function
 * given to it (for instance real MicroPython, see `microPythonExec`).
 * @module
 */
import { Duplex } from "node:stream";
import { MicroPythonInstance } from "../simulator/micropython-instance.js";

/** What running code printed; `running` for code that does not return (the bridge loop). */
export type FakeExecResult = { readonly stdout: string; readonly stderr: string } | "running";

/** Options of {@link FakeRepl}. */
export interface FakeReplOptions {
  /** Runs code sent through the raw REPL. */
  readonly exec: (code: string) => FakeExecResult;
  /** Offer raw-paste (default true). */
  readonly rawPaste?: boolean;
  /** Raw-paste window in bytes (default 128, QuecPython's 256-byte stdin buffer / 2). */
  readonly window?: number;
  /** Answer everything with `REPL refuse` (REPL protection on). */
  readonly locked?: boolean;
  /** A `main.py` is running and must be interrupted first (default false). */
  readonly runningMain?: boolean;
  /** Delay before each window credit, in ms, so the host must really wait (default 1). */
  readonly creditDelayMs?: number;
}

type Mode = "running" | "friendly" | "raw" | "paste" | "program";

/** The fake REPL. */
export class FakeRepl extends Duplex {
  private mode: Mode;
  private code: number[] = [];
  private received = 0;
  private credits = 0;
  /** Raw-paste bytes sent beyond the granted windows (must stay 0). */
  windowViolations = 0;
  /** Code executed, in order. */
  readonly executed: string[] = [];
  /** Raw-paste sessions used. */
  pastes = 0;

  constructor(private readonly options: FakeReplOptions) {
    super();
    this.mode = options.runningMain ? "running" : "friendly";
    if (options.runningMain) this.out("main.py: app started\r\n");
  }

  override _read(): void {}

  override _write(chunk: Buffer, _e: BufferEncoding, callback: () => void): void {
    for (const b of chunk) this.byte(b);
    callback();
  }

  private out(text: string | Buffer): void {
    this.push(typeof text === "string" ? Buffer.from(text, "latin1") : text);
  }

  private byte(b: number): void {
    if (this.options.locked) {
      if (b === 0x0d || b === 0x0a || b === 0x01 || b === 0x03) this.out(`REPL refuse\r\n`);
      return;
    }
    switch (this.mode) {
      case "running":
      case "program":
        if (b === 0x03) {
          this.out("Traceback (most recent call last):\r\nKeyboardInterrupt: \r\n>>> ");
          this.mode = "friendly";
        } else if (this.mode === "running") this.out("main.py: tick\r\n");
        return;
      case "friendly":
        if (b === 0x01) {
          this.out("\r\nraw REPL; CTRL-B to exit\r\n>");
          this.mode = "raw";
          this.code = [];
        } else if (b === 0x03) this.out("\r\n>>> ");
        return;
      case "raw":
        this.rawByte(b);
        return;
      case "paste":
        this.pasteByte(b);
        return;
    }
  }

  private rawByte(b: number): void {
    const c = this.code;
    if (b === 0x01 && c.length === 2 && c[0] === 0x05 && c[1] === 0x41) {
      // \x05A\x01: the raw-paste request.
      this.code = [];
      if (!(this.options.rawPaste ?? true)) {
        this.out("R\x00");
        return;
      }
      const w = this.window();
      this.out(Buffer.from([0x52, 0x01, w & 0xff, w >> 8]));
      this.mode = "paste";
      this.pastes++;
      this.received = 0;
      this.credits = 0;
    } else if (b === 0x02) {
      this.mode = "friendly";
      this.out("\r\n>>> ");
    } else if (b === 0x01 || b === 0x03) this.code = [];
    else if (b === 0x04) {
      this.out("OK");
      this.run();
    } else c.push(b);
  }

  private pasteByte(b: number): void {
    if (b === 0x04) {
      this.out("\x04");
      this.run();
      return;
    }
    this.code.push(b);
    this.received++;
    const w = this.window();
    if (this.received > w * (1 + this.credits)) this.windowViolations++;
    if (this.received % w === 0) {
      // The module grants the next window once it has consumed this one.
      setTimeout(() => {
        this.credits++;
        if (this.mode === "paste") this.out("\x01");
      }, this.options.creditDelayMs ?? 1);
    }
  }

  private window(): number {
    return this.options.window ?? 128;
  }

  private run(): void {
    const code = Buffer.from(this.code).toString("utf8");
    this.code = [];
    this.executed.push(code);
    const result = this.options.exec(code);
    if (result === "running") {
      this.mode = "program";
      return;
    }
    const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");
    this.out(`${crlf(result.stdout)}\x04${crlf(result.stderr)}\x04>`);
    this.mode = "raw";
  }
}

/**
 * An `exec` for {@link FakeRepl} backed by a real MicroPython interpreter (with `/usr`), so
 * uploaded files are really written and read back; code ending in a `B.main()` statement (the
 * bridge's start code) is reported as running instead of being run.
 */
export const microPythonExec = async (): Promise<{
  readonly exec: (code: string) => FakeExecResult;
  readonly readFile: (path: string) => string;
}> => {
  let lines: string[] = [];
  const instance = await MicroPythonInstance.load({ line: (t) => lines.push(t) });
  instance.writeFile("/usr", ".keep", "");
  return {
    exec: (code) => {
      if (/(^|\n)B\.main\(\)\s*$/.test(code)) return "running";
      lines = [];
      const failure = instance.run(code);
      return { stdout: lines.map((l) => `${l}\n`).join(""), stderr: failure?.message ?? "" };
    },
    readFile: (path) => {
      lines = [];
      instance.run(
        `import ubinascii\nprint(ubinascii.hexlify(open(${JSON.stringify(path)},'rb').read()).decode())`,
      );
      return Buffer.from(lines.join(""), "hex").toString("utf8");
    },
  };
};
