import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { compileSerialTemplate } from "./serial-template.js";

describe("serial numbers from a template", () => {
  it("pads {index:0N} with zeros and keeps the text around it", () => {
    const serial = Either.getOrThrow(compileSerialTemplate("CPE{index:06}"));
    expect(serial(0)).toBe("CPE000000");
    expect(serial(42)).toBe("CPE000042");
    expect(serial(1_234_567)).toBe("CPE1234567");
    const plain = Either.getOrThrow(compileSerialTemplate("box-{index}-x"));
    expect(plain(7)).toBe("box-7-x");
  });

  it("refuses a template without a placeholder, with space padding, with an unknown placeholder, or too long", () => {
    for (const bad of [
      "CPE",
      "CPE{index:6}",
      "CPE{serial}",
      "CPE{index:06}{",
      `${"x".repeat(60)}{index:06}`,
    ])
      expect(Either.isLeft(compileSerialTemplate(bad, 10)), bad).toBe(true);
  });

  test.prop([fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99_999 })])(
    "distinct indices give distinct serials, the same index the same serial",
    (a, b) => {
      const serial = Either.getOrThrow(compileSerialTemplate("CPE{index:06}"));
      expect(serial(a) === serial(b)).toBe(a === b);
    },
  );
});
