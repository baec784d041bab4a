import { describe, expect, it } from "vitest";
import { diagnosticsDateTime } from "./diagnostics-time.js";

describe("diagnosticsDateTime", () => {
  it("§1.12-Diagnostics formats epoch milliseconds with six fraction digits (TR-143 microseconds)", () => {
    expect(diagnosticsDateTime(Date.UTC(2026, 11, 7, 5, 6, 7, 89) + 0.012)).toBe(
      "2026-12-07T05:06:07.089012Z",
    );
    expect(diagnosticsDateTime(Date.UTC(2026, 0, 1, 0, 0, 0, 0))).toBe(
      "2026-01-01T00:00:00.000000Z",
    );
    // A fraction that rounds up carries into the next second.
    expect(diagnosticsDateTime(Date.UTC(2026, 0, 1, 0, 0, 0, 999) + 0.9996)).toBe(
      "2026-01-01T00:00:01.000000Z",
    );
  });

  it("§1.12-Diagnostics an unknown time (negative, not finite) is the TR-106 unknown time", () => {
    expect(diagnosticsDateTime(-1)).toBe("0001-01-01T00:00:00Z");
    expect(diagnosticsDateTime(Number.NaN)).toBe("0001-01-01T00:00:00Z");
  });
});
