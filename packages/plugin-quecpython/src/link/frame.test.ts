import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { crc16 } from "./crc16.js";
import { encodeFrame, type Frame, FrameDecoder } from "./frame.js";

const bytesOf = (s: string) => new TextEncoder().encode(s);
const normal = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

const message = fc.record({ id: fc.nat({ max: 999_999 }), body: fc.jsonValue() });
/** Stray output: any bytes except the frame start marker. */
const noise = fc.uint8Array({ maxLength: 40 }).map((a) => a.map((b) => (b === 0x1e ? 0x41 : b)));

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const feedSplit = (bytes: Uint8Array, cuts: readonly number[]): Frame[] => {
  const dec = new FrameDecoder();
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const frames: Frame[] = [];
  let last = 0;
  for (const p of [...points, bytes.length]) {
    frames.push(...dec.push(bytes.subarray(last, p)));
    last = p;
  }
  return frames;
};

describe("crc16", () => {
  it("is CRC-16/CCITT-FALSE (check value 0x29B1)", () => {
    expect(crc16(bytesOf("123456789"))).toBe(0x29b1);
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });
});

describe("frame", () => {
  it("has the documented layout: RS id len crc json LF, ASCII only", () => {
    const f = new TextDecoder().decode(encodeFrame(7, { t: "get", k: ["é"] }));
    const json = '{"t":"get","k":["\\u00e9"]}';
    const crc = crc16(bytesOf(json)).toString(16).padStart(4, "0");
    expect(f).toBe(`\x1e7 ${json.length} ${crc} ${json}\n`);
    expect([...f.slice(1, -1)].every((c) => c >= " " && c <= "~")).toBe(true);
  });

  test.prop([
    fc.array(fc.tuple(message, noise), { maxLength: 8 }),
    noise,
    fc.array(fc.nat(), { maxLength: 12 }),
  ])(
    "any message survives encode/decode; stray bytes between frames are skipped; frames split at any byte boundary or merged are reassembled",
    (items, tail, cuts) => {
      const bytes = concat([...items.flatMap(([m, n]) => [n, encodeFrame(m.id, m.body)]), tail]);
      const frames = feedSplit(bytes, cuts);
      expect(frames).toEqual(items.map(([m]) => ({ id: m.id, body: normal(m.body) })));
    },
  );

  test.prop([message, message, fc.nat(), fc.integer({ min: 1, max: 255 })])(
    "a damaged frame is dropped and the next frame still decodes",
    (a, b, at, xor) => {
      const bad = encodeFrame(a.id, a.body);
      // Damage a byte of the header or body (not the start marker or the final LF).
      const i = 1 + (at % (bad.length - 2));
      const damaged = bad.slice();
      damaged[i] = damaged[i]! ^ xor;
      if (damaged[i] === 0x1e) return;
      const dec = new FrameDecoder();
      const frames = dec.push(concat([damaged, encodeFrame(b.id, b.body)]));
      expect(frames.at(-1)).toEqual({ id: b.id, body: normal(b.body) });
    },
  );

  it("resynchronises when stray output cuts a frame short, and tolerates CRLF", () => {
    const noiseSeen: string[] = [];
    const dec = new FrameDecoder({ onNoise: (b) => noiseSeen.push(Buffer.from(b).toString()) });
    const whole = encodeFrame(2, { ok: true });
    const crlf = concat([whole.subarray(0, whole.length - 1), bytesOf("\r\n")]);
    const frames = dec.push(
      concat([encodeFrame(1, { x: 1 }).subarray(0, 9), bytesOf("[log] hi"), crlf]),
    );
    expect(frames).toEqual([{ id: 2, body: { ok: true } }]);
    expect(dec.framesDropped).toBe(1);
    expect(noiseSeen.join("")).toContain("[log] hi");
  });

  it("drops a candidate longer than maxFrameBytes without holding it", () => {
    const dec = new FrameDecoder({ maxFrameBytes: 64 });
    expect(dec.push(concat([bytesOf("\x1e1 500 0000 "), new Uint8Array(100).fill(0x41)]))).toEqual(
      [],
    );
    expect(dec.push(encodeFrame(3, "ok"))).toEqual([{ id: 3, body: "ok" }]);
  });
});
