import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.js";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  it("reads delay-seconds and IMF-fixdate, rounding up and never negative", () => {
    expect(parseRetryAfter("60", now)).toBe(60);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Fri, 27 Nov 2026 12:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("Fri, 27 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores what is neither", () => {
    for (const v of [undefined, "", "1.5", "-3", "soon", "2026-11-27"])
      expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});
