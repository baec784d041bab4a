// §1.12: a SetParameterValues value outside its type's lexical form or value space is fault
// 9007 [R] A.3.2.1. Each case below is valid except for the one reason its name gives.
import { describe, expect, it } from "vitest";
import { isValidLexical, zeroValue } from "./value-check.js";

const dateTime = (v: string) => isValidLexical("dateTime", v);

describe("isValidLexical: dateTime (§1.12)", () => {
  it("§1.12 accepts the XSD forms: Z, an offset, no zone, fractions, a year beyond 9999", () => {
    for (const v of [
      "2024-06-15T12:30:45Z",
      "2024-06-15T12:30:45+05:30",
      "2024-06-15T12:30:45-14:00",
      "2024-06-15T12:30:45",
      "2024-06-15T12:30:45.123Z",
      "12024-06-15T12:30:45Z",
      "-0044-03-15T12:00:00Z",
      "0001-01-01T00:00:00Z",
    ])
      expect([v, dateTime(v)]).toEqual([v, true]);
  });

  it.each([
    ["month 00", "2024-00-15T12:30:45Z"],
    ["month 13", "2024-13-15T12:30:45Z"],
    ["day 00", "2024-06-00T12:30:45Z"],
    ["day 31 of June", "2024-06-31T12:30:45Z"],
    ["day 32 of January", "2024-01-32T12:30:45Z"],
    ["day 32 of December", "2024-12-32T12:30:45Z"],
    ["hour 25", "2024-06-15T25:00:00Z"],
    ["minute 60", "2024-06-15T12:60:45Z"],
    ["second 60", "2024-06-15T12:30:60Z"],
    ["24:01:00", "2024-06-15T24:01:00Z"],
    ["24:00:01", "2024-06-15T24:00:01Z"],
    ["24:00:00.5", "2024-06-15T24:00:00.5Z"],
    ["offset +14:01", "2024-06-15T12:30:45+14:01"],
    ["offset +15:00", "2024-06-15T12:30:45+15:00"],
    ["offset minutes 60", "2024-06-15T12:30:45+01:60"],
    ["year 0000", "0000-06-15T12:30:45Z"],
    ["a 3-digit year", "024-06-15T12:30:45Z"],
    ["a space for T", "2024-06-15 12:30:45Z"],
    ["a trailing character", "2024-06-15T12:30:45Zx"],
    ["a leading character", "x2024-06-15T12:30:45Z"],
    ["no seconds", "2024-06-15T12:30Z"],
  ])("§1.12 refuses a dateTime with %s", (_why, v) => {
    expect(dateTime(v)).toBe(false);
  });

  it("§1.12 the last day of each month is accepted and the day after is not (30-day months, December)", () => {
    const last = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    last.forEach((days, i) => {
      const month = String(i + 1).padStart(2, "0");
      expect([month, dateTime(`2023-${month}-${days}T00:00:00Z`)]).toEqual([month, true]);
      expect([month, dateTime(`2023-${month}-${days + 1}T00:00:00Z`)]).toEqual([month, false]);
    });
  });

  it("§1.12 February 29 follows the Gregorian rule: every 4th year, not every 100th, every 400th", () => {
    expect(dateTime("2024-02-29T00:00:00Z")).toBe(true);
    expect(dateTime("2023-02-29T00:00:00Z")).toBe(false);
    expect(dateTime("1900-02-29T00:00:00Z")).toBe(false);
    expect(dateTime("2000-02-29T00:00:00Z")).toBe(true);
    expect(dateTime("2100-02-29T00:00:00Z")).toBe(false);
    expect(dateTime("2024-02-30T00:00:00Z")).toBe(false);
  });

  it("§1.12 24:00:00 (end of the day) is a time; so are the largest values of each field", () => {
    expect(dateTime("2024-06-15T24:00:00Z")).toBe(true);
    expect(dateTime("2024-06-15T24:00:00.000Z")).toBe(true);
    expect(dateTime("2024-06-15T23:59:59Z")).toBe(true);
    expect(dateTime("2024-06-15T12:30:45+14:00")).toBe(true);
    expect(dateTime("2024-06-15T12:30:45+13:59")).toBe(true);
  });
});

describe("isValidLexical: integers (§1.12)", () => {
  it.each([
    ["int", "-2147483648", "2147483647", "-2147483649", "2147483648"],
    ["unsignedInt", "0", "4294967295", "-1", "4294967296"],
    [
      "long",
      "-9223372036854775808",
      "9223372036854775807",
      "-9223372036854775809",
      "9223372036854775808",
    ],
    ["unsignedLong", "0", "18446744073709551615", "-1", "18446744073709551616"],
  ] as const)(
    "§1.12 %s accepts its limits and refuses one past either",
    (type, lo, hi, below, above) => {
      expect(isValidLexical(type, lo)).toBe(true);
      expect(isValidLexical(type, hi)).toBe(true);
      expect(isValidLexical(type, below)).toBe(false);
      expect(isValidLexical(type, above)).toBe(false);
    },
  );

  it("§1.12 an integer may carry a sign but no fraction, exponent, space or other text", () => {
    expect(isValidLexical("int", "+7")).toBe(true);
    expect(isValidLexical("int", "007")).toBe(true);
    for (const v of ["1.0", "1e3", " 1", "1 ", "0x10", "", "-", "1a", "a1"])
      expect([v, isValidLexical("int", v)]).toEqual([v, false]);
  });
});

describe("isValidLexical: other types (§1.12)", () => {
  it("§1.12 decimal: digits with an optional sign and fraction, anchored at both ends", () => {
    for (const v of ["1", "-1.5", "+.5", "-.125", "1.", "0.000"])
      expect([v, isValidLexical("decimal", v)]).toEqual([v, true]);
    for (const v of ["1.5abc", "abc1.5", ".", "", "1e3", "1.2.3", "- 1"])
      expect([v, isValidLexical("decimal", v)]).toEqual([v, false]);
  });

  it("§1.12 boolean: true, false, 1 and 0 only", () => {
    for (const v of ["true", "false", "1", "0"])
      expect([v, isValidLexical("boolean", v)]).toEqual([v, true]);
    for (const v of ["TRUE", "yes", "2", "", " true"])
      expect([v, isValidLexical("boolean", v)]).toEqual([v, false]);
  });

  it("§1.12 base64: whole quads, optional padding, whitespace ignored", () => {
    for (const v of ["", "AAAA", "AAE=", "AA==", "AAEC\nAwQF", "AA EC"])
      expect([v, isValidLexical("base64", v)]).toEqual([v, true]);
    for (const v of ["A", "AAA", "A===", "AA=A", "AAAA=", "AA*=", "=AAA"])
      expect([v, isValidLexical("base64", v)]).toEqual([v, false]);
  });

  it("§1.12 hexBinary: pairs of hex digits", () => {
    for (const v of ["", "0aFF", "00"])
      expect([v, isValidLexical("hexBinary", v)]).toEqual([v, true]);
    for (const v of ["0", "0g", "abc", " 00", "00 "])
      expect([v, isValidLexical("hexBinary", v)]).toEqual([v, false]);
  });

  it("§1.12 string takes any text", () => {
    expect(isValidLexical("string", "any thing, even 1.5abc")).toBe(true);
  });
});

describe("zeroValue: what an unset parameter without default reads as", () => {
  it.each([
    ["boolean", "false"],
    ["dateTime", "0001-01-01T00:00:00Z"],
    ["string", ""],
    ["base64", ""],
    ["hexBinary", ""],
    ["int", "0"],
    ["unsignedInt", "0"],
    ["long", "0"],
    ["unsignedLong", "0"],
    ["decimal", "0"],
  ] as const)("%s reads as %j, a valid value of its type", (type, zero) => {
    expect(zeroValue(type)).toBe(zero);
    expect(isValidLexical(type, zero)).toBe(true);
  });
});
