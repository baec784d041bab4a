import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { PHASE_REFERENCE, periodicInformTimeFor, phaseOffsetSeconds } from "./periodic-phase.js";

describe("each device's periodic phase", () => {
  test.prop([fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 86_400 })], {
    numRuns: 50,
  })(
    "§1.10 phases lie within one interval, grow with the index, and consecutive devices are at most ceil(interval/count) s apart",
    (count, interval) => {
      let previous = 0;
      const bad: number[] = [];
      for (let index = 0; index < count; index++) {
        const offset = phaseOffsetSeconds(index, count, interval);
        const ok =
          offset >= previous &&
          offset < interval &&
          offset - previous <= Math.ceil(interval / count);
        if (!ok) bad.push(index);
        previous = offset;
      }
      expect(bad).toEqual([]);
    },
  );

  test.prop([fc.integer({ min: 0, max: 9_999 }), fc.integer({ min: 60, max: 86_400 })])(
    "§1.10 PeriodicInformTime is an xsd:dateTime in UTC at the device's offset from the reference",
    (index, interval) => {
      const time = periodicInformTimeFor(index, 10_000, interval);
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect((Date.parse(time) - Date.parse(PHASE_REFERENCE)) / 1000).toBe(
        phaseOffsetSeconds(index, 10_000, interval),
      );
    },
  );
});
