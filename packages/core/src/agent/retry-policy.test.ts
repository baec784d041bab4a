import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  defaultRetryParameters,
  nextRetryCount,
  retryWaitBounds,
  retryWaitSeconds,
} from "./retry-policy.js";

const params = fc.record({
  minimumWaitInterval: fc.integer({ min: 1, max: 65535 }),
  intervalMultiplier: fc.integer({ min: 1000, max: 65535 }),
});
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("retry policy (§1.6)", () => {
  test.prop([fc.integer({ min: 1, max: 12 }), params, unit])(
    "§1.6 every retry wait lies within [m*(k/1000)^(n-1), m*(k/1000)^n] with n capped at 10",
    (n, p, u) => {
      const wait = retryWaitSeconds(n, p, () => u);
      const e = Math.min(n, 10);
      const r = p.intervalMultiplier / 1000;
      const lo = p.minimumWaitInterval * r ** (e - 1);
      const hi = p.minimumWaitInterval * r ** e;
      expect(wait).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
      expect(wait).toBeLessThanOrEqual(hi * (1 + 1e-12));
    },
  );

  it("§1.6 defaults give the spec table 5-10, 10-20, ... 2560-5120 s, and #11, #12 as #10", () => {
    const table = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => retryWaitBounds(n));
    expect(table.map((b) => [b.min, b.max])).toEqual([
      [5, 10],
      [10, 20],
      [20, 40],
      [40, 80],
      [80, 160],
      [160, 320],
      [320, 640],
      [640, 1280],
      [1280, 2560],
      [2560, 5120],
      [2560, 5120],
      [2560, 5120],
    ]);
  });

  it("§1.6 the random source spans the whole interval (custom m=30, k=1500)", () => {
    const p = { minimumWaitInterval: 30, intervalMultiplier: 1500 };
    expect(retryWaitSeconds(2, p, () => 0)).toBe(45);
    expect(retryWaitSeconds(2, p, () => 0.999999)).toBeCloseTo(67.5, 3);
    expect(retryWaitSeconds(1, defaultRetryParameters, () => 0.5)).toBe(7.5);
  });

  it("§1.6 a 503 Retry-After is honoured: the wait is at least that long", () => {
    expect(retryWaitSeconds(1, defaultRetryParameters, () => 0, 60)).toBe(60);
    // A shorter Retry-After does not shorten the spec's wait.
    expect(retryWaitSeconds(3, defaultRetryParameters, () => 0, 1)).toBe(20);
  });

  it("§1.6 RetryCount increments on each failure and resets after a successful session", () => {
    const afterFailures = [1, 2, 3].reduce((c) => nextRetryCount(c, "failure"), 0);
    expect(afterFailures).toBe(3);
    expect(nextRetryCount(afterFailures, "success")).toBe(0);
  });
});
