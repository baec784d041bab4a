import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import { cwmpDateTime } from "./cwmp-date-time.js";

describe("cwmpDateTime", () => {
  it("§1.13 an unknown or unrepresentable time is the Unknown Time, never a RangeError", () => {
    expect(cwmpDateTime(undefined)).toBe(UNKNOWN_TIME);
    expect(cwmpDateTime(Number.NaN)).toBe(UNKNOWN_TIME);
    expect(cwmpDateTime(9e15)).toBe(UNKNOWN_TIME);
  });

  test.prop([fc.integer({ min: 0, max: 4_000_000_000_000 })])(
    "§1.13 a known time is written in whole UTC seconds and reads back to the same second",
    (ms) => {
      const text = cwmpDateTime(ms);
      expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(text)).toBe(Math.floor(ms / 1000) * 1000);
    },
  );
});
