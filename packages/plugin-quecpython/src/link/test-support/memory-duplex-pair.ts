/**
 * Test support: two connected in-memory Duplex ends (what one writes, the other reads).
 * Destroying one end ends the other, as a vanished serial port does.
 * @module
 */
import { Duplex } from "node:stream";

class End extends Duplex {
  peer: End | undefined;
  override _read(): void {}
  override _write(chunk: Buffer, _e: BufferEncoding, callback: () => void): void {
    this.peer?.push(chunk);
    callback();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) {
      peer.peer = undefined;
      peer.destroy();
    }
    callback(error);
  }
}

/** A connected pair of in-memory Duplex ends. */
export const memoryDuplexPair = (): [Duplex, Duplex] => {
  const a = new End();
  const b = new End();
  a.peer = b;
  b.peer = a;
  return [a, b];
};
