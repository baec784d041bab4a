/**
 * The simulated module's serial port: a Node Duplex that hands each complete line written to
 * it to the module (as a UART read loop would) and carries the module's output back. It ends
 * when the module restarts, as a USB port vanishes when a real module reboots.
 * @module
 */
import { Duplex } from "node:stream";

/** What the port needs from its module. */
export interface PortOwner {
  /** Handles one line written by the host (without its LF). */
  readonly line: (text: string) => void;
  /** The host closed the port. */
  readonly detached: (port: SimulatedPort) => void;
}

/** One opened port of a simulated module. */
export class SimulatedPort extends Duplex {
  private partial = "";

  constructor(private readonly owner: PortOwner) {
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Output is pushed as the module produces it.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    // latin1 maps each byte to one char, so a line reaches the module byte for byte.
    const text = this.partial + chunk.toString("latin1");
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    // A line that never ends is the host's problem; keep memory bounded all the same.
    if (this.partial.length > 64 * 1024) this.partial = "";
    for (const line of lines) this.owner.line(line);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.owner.detached(this);
    callback(error);
  }

  /** Module output: one line. */
  emitLine(text: string): void {
    if (!this.destroyed) this.push(Buffer.from(`${text}\n`, "utf8"));
  }
}
