/**
 * The bridge's frame format, shared by the host link and the generated MicroPython bridge:
 *
 * ```
 * RS <id> SP <len> SP <crc16 hex, 4 digits> SP <json> LF
 * ```
 *
 * `RS` is 0x1E. `<id>` is a decimal request id (0 for messages the bridge sends on its own),
 * `<len>` the byte length of `<json>`, `<crc16>` its CRC-16/CCITT-FALSE. A frame holds no byte
 * below 0x20 besides its RS and its LF (JSON escapes control characters), and in particular no
 * 0x03, which the REPL port turns into a KeyboardInterrupt. Anything outside a frame (stray
 * `print` or `log` output on the same port) is skipped, a CR before the LF is tolerated (USB CDC
 * line translation), and a frame cut short by stray output is dropped at the next RS.
 * @module
 */
import { crc16 } from "./crc16.js";

/** Marks the start of a frame. */
export const FRAME_START = 0x1e;
/** Ends a frame. */
export const FRAME_END = 0x0a;

/** A decoded frame: the request id and the JSON body. */
export interface Frame {
  readonly id: number;
  readonly body: unknown;
}

const encoder = new TextEncoder();

/**
 * JSON text with every character above 0x7E escaped, so the text is ASCII: its byte length is
 * its character count on both sides, whatever MicroPython's unicode build does.
 */
export const asciiJson = (value: unknown): string =>
  (JSON.stringify(value) ?? "null").replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** Encodes one frame; `id` must be a non-negative integer. */
export const encodeFrame = (id: number, body: unknown): Uint8Array => {
  const json = encoder.encode(asciiJson(body));
  const head = `\x1e${id} ${json.length} ${crc16(json).toString(16).padStart(4, "0")} `;
  const out = new Uint8Array(head.length + json.length + 1);
  out.set(encoder.encode(head), 0);
  out.set(json, head.length);
  out[out.length - 1] = FRAME_END;
  return out;
};

/** Options of a {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Longest frame accepted, in bytes; longer candidates are dropped. Default 256 KiB. */
  readonly maxFrameBytes?: number;
  /** Receives bytes that are not part of a valid frame (stray output, damaged frames). */
  readonly onNoise?: (bytes: Uint8Array) => void;
}

const headerPattern = /^(\d{1,10}) (\d{1,7}) ([0-9a-fA-F]{4}) /;
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Incremental frame decoder: feed it chunks as they arrive, in any split, and it returns the
 * complete valid frames. It holds at most one partial frame.
 */
export class FrameDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private readonly maxFrameBytes: number;
  private readonly onNoise: ((bytes: Uint8Array) => void) | undefined;
  /** Frames decoded so far. */
  framesDecoded = 0;
  /** Candidate frames dropped (bad length, checksum, JSON or size). */
  framesDropped = 0;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 256 * 1024;
    this.onNoise = options.onNoise;
  }

  /** Feeds bytes; returns the frames completed by them, in order. */
  push(chunk: Uint8Array): Frame[] {
    let buf = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const frames: Frame[] = [];
    for (;;) {
      const start = buf.indexOf(FRAME_START);
      if (start < 0) {
        this.noise(buf);
        buf = new Uint8Array(0);
        break;
      }
      if (start > 0) this.noise(buf.subarray(0, start));
      buf = buf.subarray(start);
      const end = buf.indexOf(FRAME_END);
      const restart = buf.indexOf(FRAME_START, 1);
      if (restart > 0 && (end < 0 || restart < end)) {
        // Stray output cut this frame short: resynchronise on the later start marker.
        this.drop(buf.subarray(0, restart));
        buf = buf.subarray(restart);
        continue;
      }
      if (end < 0) {
        if (buf.length > this.maxFrameBytes) {
          this.drop(buf);
          buf = new Uint8Array(0);
        }
        break;
      }
      const frame = this.parse(buf.subarray(1, end));
      if (frame) {
        this.framesDecoded++;
        frames.push(frame);
      } else this.drop(buf.subarray(0, end + 1));
      buf = buf.subarray(end + 1);
    }
    this.pending = buf.length === 0 ? new Uint8Array(0) : buf.slice();
    return frames;
  }

  private parse(raw: Uint8Array): Frame | undefined {
    const text = raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    if (text.length > this.maxFrameBytes) return undefined;
    const head = String.fromCharCode(...text.subarray(0, Math.min(32, text.length)));
    const m = headerPattern.exec(head);
    if (!m) return undefined;
    const json = text.subarray(m[0].length);
    if (json.length !== Number(m[2]) || crc16(json) !== Number.parseInt(m[3]!, 16))
      return undefined;
    try {
      return { id: Number(m[1]), body: JSON.parse(decoder.decode(json)) };
    } catch {
      return undefined;
    }
  }

  private drop(bytes: Uint8Array): void {
    this.framesDropped++;
    this.noise(bytes);
  }

  private noise(bytes: Uint8Array): void {
    if (bytes.length > 0) this.onNoise?.(bytes);
  }
}

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};
