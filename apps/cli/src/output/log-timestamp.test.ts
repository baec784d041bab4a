import { describe, expect, it } from "vitest";
import { makeLogTimestamp } from "./log-timestamp.js";

describe("makeLogTimestamp", () => {
  it("gives the ISO time of the clock's millisecond, and a new one when the clock moves", () => {
    let clock = Date.UTC(2026, 11, 7, 17, 0, 0, 5);
    const timestamp = makeLogTimestamp(() => clock);
    expect(timestamp()).toBe("2026-12-07T17:00:00.005Z");
    expect(timestamp()).toBe("2026-12-07T17:00:00.005Z");
    clock += 1;
    expect(timestamp()).toBe("2026-12-07T17:00:00.006Z");
    clock -= 1_000;
    expect(timestamp()).toBe("2026-12-07T16:59:59.006Z");
  });

  it("reads the wall clock by default", () => {
    const before = Date.now();
    const at = Date.parse(makeLogTimestamp()());
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });
});
