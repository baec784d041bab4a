import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { compileXsdPattern } from "./xsd-pattern.js";

const matches = (pattern: string, value: string) =>
  Either.getOrThrow(compileXsdPattern(pattern)).test(value);

describe("XSD patterns", () => {
  it("match the whole value", () => {
    expect(matches("[0-9A-F]{6}", "00D09E")).toBe(true);
    expect(matches("[0-9A-F]{6}", "x00D09E")).toBe(false);
    expect(matches("a|b", "ab")).toBe(false);
  });

  it("treat ^ and $ as plain characters outside a class, and keep class negation", () => {
    expect(matches("a^b$", "a^b$")).toBe(true);
    expect(matches("[^0-9]+", "abc")).toBe(true);
    expect(matches("[^0-9]+", "a1")).toBe(false);
  });

  it("translate \\i, \\c and \\- escapes", () => {
    expect(matches("\\i\\c*", "_name-1.x")).toBe(true);
    expect(matches("\\i\\c*", "1name")).toBe(false);
    expect(matches("a\\-b", "a-b")).toBe(true);
  });

  it("report a pattern JavaScript cannot compile instead of throwing", () => {
    expect(Either.isLeft(compileXsdPattern("[a-z"))).toBe(true);
  });
});
