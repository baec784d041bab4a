import { describe, expect, it } from "vitest";
import { makeRequestCompression } from "./request-compression.js";

const A = "http://127.0.0.1:1";
const B = "http://127.0.0.1:2";

describe("request compression choice (H8)", () => {
  it("H8 auto: plain until an answer of that origin shows gzip (Content-Encoding or Accept-Encoding)", () => {
    const c = makeRequestCompression("auto");
    expect(c.gzipFor(A)).toBe(false);
    c.learn(A, undefined, undefined);
    c.learn(A, "deflate", "deflate, identity");
    expect(c.gzipFor(A)).toBe(false);
    c.learn(A, "gzip", undefined);
    expect(c.gzipFor(A)).toBe(true);
    expect(c.gzipFor(B)).toBe(false);
    c.learn(B, undefined, "identity, GZIP;q=0.5");
    expect(c.gzipFor(B)).toBe(true);
  });

  it("H8 auto: gzip;q=0 is a refusal, x-gzip an acceptance", () => {
    const c = makeRequestCompression("auto");
    c.learn(A, undefined, "gzip;q=0");
    expect(c.gzipFor(A)).toBe(false);
    c.learn(B, "x-gzip", undefined);
    expect(c.gzipFor(B)).toBe(true);
  });

  it("H8 a 415 turns gzip off for that origin for good, in auto and gzip modes", () => {
    for (const mode of ["auto", "gzip"] as const) {
      const c = makeRequestCompression(mode);
      c.learn(A, "gzip", undefined);
      expect(c.gzipFor(A), mode).toBe(true);
      c.refused(A);
      c.learn(A, "gzip", "gzip");
      expect(c.gzipFor(A), mode).toBe(false);
      expect(c.gzipFor(B), mode).toBe(mode === "gzip");
    }
  });

  it("H8 none never compresses, whatever the ACS says", () => {
    const c = makeRequestCompression("none");
    c.learn(A, "gzip", "gzip");
    expect(c.gzipFor(A)).toBe(false);
  });
});
