import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { parseRamp, rampDelayMs } from "./ramp.js";

describe("the boot ramp", () => {
  it("parses rates per second, minute and hour, and none", () => {
    expect(parseRamp("200/s")).toEqual(Either.right(200));
    expect(parseRamp("200")).toEqual(Either.right(200));
    expect(parseRamp("600/min")).toEqual(Either.right(10));
    expect(parseRamp("3600/h")).toEqual(Either.right(1));
    expect(parseRamp("none")).toEqual(Either.right(Number.POSITIVE_INFINITY));
    for (const bad of ["0/s", "-5/s", "fast", "10/fortnight", ""])
      expect(Either.isLeft(parseRamp(bad)), bad).toBe(true);
  });

  test.prop([fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 5_000 })])(
    "at a rate r, the devices booted by any instant t number at most r*t + 1, and device k boots by k/r seconds",
    (k, rate) => {
      const at = rampDelayMs(k, rate);
      expect(at).toBeLessThanOrEqual((k * 1000) / rate);
      expect(at).toBeGreaterThan((k * 1000) / rate - 1);
      expect(rampDelayMs(k + 1, rate)).toBeGreaterThanOrEqual(at);
      // Devices 0..k all booted by `at`: k+1 devices in at/1000 seconds.
      expect(k + 1).toBeLessThanOrEqual((rate * (at + 1)) / 1000 + 1);
    },
  );

  it("without a rate every device boots at once", () => {
    expect(rampDelayMs(9_999, Number.POSITIVE_INFINITY)).toBe(0);
  });
});
