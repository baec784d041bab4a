/**
 * Host side of MicroPython's raw REPL over a Duplex, as QuecPython keeps it:
 * - interrupt: Ctrl-C a few times (a running `main.py` must let go of the port);
 * - raw REPL: Ctrl-A, then `raw REPL; CTRL-B to exit\r\n>`;
 * - raw-paste (preferred): `\x05A\x01` answered by `R\x01` and a 2-byte little-endian window
 *   size; the host sends at most a window ahead, each `\x01` from the module grants one more
 *   window, and `\x04` ends the code (acknowledged with `\x04`); `R\x00` means unsupported;
 * - plain raw (fallback): the code in small blocks, `\x04`, then `OK`;
 * - result: stdout, `\x04`, stderr (the traceback), `\x04`, then the `>` prompt.
 * A locked REPL answers `REPL refuse`, reported as a `Locked` {@link ReplError}.
 * @module
 */
import type { Duplex } from "node:stream";
import { ReplError } from "./repl-error.js";

const RAW_BANNER = "raw REPL; CTRL-B to exit\r\n>";
const REFUSE = "REPL refuse";

/** Options of {@link RawRepl.enter}. */
export interface RawReplOptions {
  /** Time limit of each step, in ms (default 3000). */
  readonly timeoutMs?: number;
  /** Ctrl-C count sent to stop a running program (default 3). */
  readonly interrupts?: number;
  /** Pause between interrupts, in ms (default 30). */
  readonly interruptGapMs?: number;
  /** Use raw-paste when the module offers it (default true). */
  readonly rawPaste?: boolean;
  /** Block size in plain raw mode (default 127, as Thonny's QuecPython backend uses). */
  readonly blockBytes?: number;
}

/** What a piece of code printed. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw-REPL session on a stream. */
export class RawRepl {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  private pasteSupported: boolean;
  private readonly onData = (chunk: Buffer) => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.wake?.();
  };

  private constructor(
    private readonly stream: Duplex,
    private readonly options: RawReplOptions,
  ) {
    this.pasteSupported = options.rawPaste ?? true;
    stream.on("data", this.onData);
    stream.on("close", this.onEnd);
    stream.on("end", this.onEnd);
  }

  /** Stops a running program and enters the raw REPL. */
  static async enter(stream: Duplex, options: RawReplOptions = {}): Promise<RawRepl> {
    const repl = new RawRepl(stream, options);
    try {
      for (let i = 0; i < (options.interrupts ?? 3); i++) {
        stream.write(i === 0 ? "\r\x03" : "\x03");
        await sleep(options.interruptGapMs ?? 30);
      }
      repl.buffer = Buffer.alloc(0);
      stream.write("\x01");
      await repl.readUntil(RAW_BANNER, "NoPrompt");
      return repl;
    } catch (e) {
      repl.release();
      throw e;
    }
  }

  /** Whether this session uses raw-paste; false once the module refused it (plain raw mode then). */
  get usesRawPaste(): boolean {
    return this.pasteSupported;
  }

  /** Runs `code` and returns what it printed; a traceback fails with reason `Exception`. */
  async exec(code: string): Promise<ExecResult> {
    await this.send(code);
    const stdout = await this.readUntil("\x04", "Timeout");
    const stderr = await this.readUntil("\x04", "Timeout");
    await this.readUntil(">", "Timeout");
    const result = { stdout: stdout.slice(0, -1), stderr: stderr.slice(0, -1) };
    if (result.stderr.length > 0)
      throw new ReplError({ reason: "Exception", detail: result.stderr.trim() });
    return result;
  }

  /** Starts `code` that does not return (the bridge's loop); resolves once it is running. */
  async start(code: string): Promise<void> {
    await this.send(code);
  }

  /** Leaves the raw REPL (Ctrl-B) and releases the stream. */
  exit(): void {
    this.stream.write("\x02");
    this.release();
  }

  /** Stops reading the stream (so another reader, such as the bridge link, can take it). */
  release(): void {
    this.stream.off("data", this.onData);
    this.stream.off("close", this.onEnd);
    this.stream.off("end", this.onEnd);
  }

  /** Sends code, in raw-paste mode when possible, and waits until the module has it. */
  private async send(code: string): Promise<void> {
    const bytes = Buffer.from(code, "utf8");
    if (this.pasteSupported) {
      this.stream.write("\x05A\x01");
      const answer = await this.readBytes(2);
      if (answer === "R\x01") {
        const window = await this.readBytes(2);
        await this.pasteWrite(bytes, window.charCodeAt(0) | (window.charCodeAt(1) << 8));
        return;
      }
      this.pasteSupported = false;
      // R\x00: known but disabled. Anything else: an old REPL that re-printed its banner.
      if (answer !== "R\x00") await this.readUntil(RAW_BANNER, "Protocol");
    }
    const block = this.options.blockBytes ?? 127;
    for (let i = 0; i < bytes.length; i += block) {
      this.stream.write(bytes.subarray(i, i + block));
      await sleep(2);
    }
    this.stream.write("\x04");
    const ok = await this.readBytes(2);
    if (ok !== "OK")
      throw new ReplError({ reason: "Protocol", detail: `expected OK, got ${JSON.stringify(ok)}` });
  }

  private async pasteWrite(bytes: Buffer, window: number): Promise<void> {
    if (window <= 0) throw new ReplError({ reason: "Protocol", detail: "raw-paste window of 0" });
    let credit = window;
    let sent = 0;
    while (sent < bytes.length) {
      while (credit === 0 || this.buffer.length > 0) {
        const c = await this.readBytes(1);
        if (c === "\x01") credit += window;
        else if (c === "\x04") {
          // The module ended the paste early (e.g. out of memory): acknowledge, then report.
          this.stream.write("\x04");
          throw new ReplError({ reason: "Protocol", detail: "module aborted the raw-paste" });
        } else
          throw new ReplError({
            reason: "Protocol",
            detail: `unexpected byte ${JSON.stringify(c)} during raw-paste`,
          });
      }
      const n = Math.min(credit, bytes.length - sent);
      this.stream.write(bytes.subarray(sent, sent + n));
      sent += n;
      credit -= n;
    }
    this.stream.write("\x04");
    // Credits may still arrive before the acknowledgement.
    const ack = await this.readUntil("\x04", "Timeout");
    if ([...ack].some((c) => c !== "\x01" && c !== "\x04"))
      throw new ReplError({
        reason: "Protocol",
        detail: `bad raw-paste end ${JSON.stringify(ack)}`,
      });
  }

  private async readBytes(n: number): Promise<string> {
    await this.waitFor(() => this.buffer.length >= n, "Timeout");
    const out = this.buffer.subarray(0, n).toString("latin1");
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  private async readUntil(
    marker: string,
    reason: "NoPrompt" | "Timeout" | "Protocol",
  ): Promise<string> {
    const m = Buffer.from(marker, "latin1");
    let at = -1;
    await this.waitFor(() => {
      at = this.buffer.indexOf(m);
      return at >= 0;
    }, reason);
    const out = this.buffer.subarray(0, at + m.length).toString("utf8");
    this.buffer = this.buffer.subarray(at + m.length);
    return out;
  }

  private async waitFor(
    ready: () => boolean,
    reason: "NoPrompt" | "Timeout" | "Protocol",
  ): Promise<void> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 3000);
    for (;;) {
      if (ready()) return;
      if (this.buffer.includes(REFUSE))
        throw new ReplError({ reason: "Locked", detail: "the module answered REPL refuse" });
      if (this.ended) throw new ReplError({ reason: "Closed", detail: "the port closed" });
      const left = deadline - Date.now();
      if (left <= 0)
        throw new ReplError({
          reason,
          detail: `no answer in ${this.options.timeoutMs ?? 3000} ms (got ${JSON.stringify(this.buffer.subarray(-80).toString("latin1"))})`,
        });
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = undefined;
          resolve();
        };
      });
    }
  }
}
