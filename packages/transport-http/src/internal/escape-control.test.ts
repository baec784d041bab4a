import { describe, expect, it } from "vitest";
import { escapeControl } from "./escape-control.js";

describe("escapeControl", () => {
  it("writes C0, DEL and C1 characters as \\uXXXX and leaves the rest as it is", () => {
    expect(escapeControl("a\u0000\t\u001f\u007f\u0085\u009f é\u00a0~")).toBe(
      "a\\u0000\\u0009\\u001f\\u007f\\u0085\\u009f é\u00a0~",
    );
  });
});
