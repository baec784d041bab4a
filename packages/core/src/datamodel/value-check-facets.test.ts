// §1.12: SetParameterValues checks a value against the data-model facets of its parameter
// (fault 9007) and its xsi:type against the parameter's type (fault 9006) [R] A.3.2.1. Each
// refused value below breaks exactly one facet; the accepted ones sit on the facet's edge.
import { describe, expect, it } from "vitest";
import type { StandardValueType } from "../cwmp/value.js";
import type { ParameterSchema } from "./schema.js";
import { isTypeCompatible, isValidValue } from "./value-check.js";
import { compileXsdPattern } from "./xsd-pattern.js";

const param = (
  type: StandardValueType,
  facets: Partial<ParameterSchema> = {},
): ParameterSchema => ({
  path: "Device.X.P",
  type,
  access: "readWrite",
  ...facets,
});

const valid = (p: ParameterSchema, value: string, patterns?: readonly string[]) =>
  isValidValue(
    p,
    value,
    patterns?.map((s) => {
      const r = compileXsdPattern(s);
      if (r._tag === "Left") throw new Error(r.left);
      return r.right;
    }),
  );

const verdicts = (p: ParameterSchema, values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v, valid(p, v)]));

describe("isValidValue: ranges (§1.12)", () => {
  it("§1.12 an integer range includes both bounds", () => {
    const p = param("int", { ranges: [{ min: "-5", max: "10" }] });
    expect(verdicts(p, ["-6", "-5", "10", "11"])).toEqual({
      "-6": false,
      "-5": true,
      "10": true,
      "11": false,
    });
  });

  it("§1.12 a range with one bound leaves the other side open (type limits still apply)", () => {
    expect(verdicts(param("int", { ranges: [{ min: "3" }] }), ["2", "3", "2147483647"])).toEqual({
      "2": false,
      "3": true,
      "2147483647": true,
    });
    expect(verdicts(param("int", { ranges: [{ max: "3" }] }), ["4", "3", "-2147483648"])).toEqual({
      "4": false,
      "3": true,
      "-2147483648": true,
    });
  });

  it("§1.12 several ranges: a value in any one of them is accepted", () => {
    const p = param("unsignedInt", {
      ranges: [
        { min: "1", max: "3" },
        { min: "10", max: "12" },
      ],
    });
    expect(verdicts(p, ["0", "1", "3", "4", "9", "10", "12", "13"])).toEqual({
      "0": false,
      "1": true,
      "3": true,
      "4": false,
      "9": false,
      "10": true,
      "12": true,
      "13": false,
    });
  });

  it("§1.12 a step counts from the range's minimum, not from zero", () => {
    const p = param("unsignedInt", { ranges: [{ min: "3", max: "30", step: "5" }] });
    expect(verdicts(p, ["3", "8", "28", "5", "10", "4"])).toEqual({
      "3": true,
      "8": true,
      "28": true,
      "5": false,
      "10": false,
      "4": false,
    });
  });

  it("§1.12 a step without a minimum counts from zero; a step of 0 constrains nothing", () => {
    expect(verdicts(param("int", { ranges: [{ step: "5" }] }), ["-10", "0", "15", "7"])).toEqual({
      "-10": true,
      "0": true,
      "15": true,
      "7": false,
    });
    expect(verdicts(param("int", { ranges: [{ min: "0", step: "0" }] }), ["7"])).toEqual({
      "7": true,
    });
  });

  it("§1.12 64-bit bounds compare exactly (no floating-point rounding)", () => {
    const p = param("unsignedLong", { ranges: [{ max: "18446744073709551614" }] });
    expect(verdicts(p, ["18446744073709551614", "18446744073709551615"])).toEqual({
      "18446744073709551614": true,
      "18446744073709551615": false,
    });
  });

  it("§1.12 decimal ranges include both bounds and compare as numbers", () => {
    const p = param("decimal", { ranges: [{ min: "-1.5", max: "2.25" }] });
    expect(verdicts(p, ["-1.6", "-1.5", "0", "2.25", "2.26", "10"])).toEqual({
      "-1.6": false,
      "-1.5": true,
      "0": true,
      "2.25": true,
      "2.26": false,
      "10": false,
    });
    expect(verdicts(param("decimal", { ranges: [{ min: "1" }] }), ["0.5", "1000"])).toEqual({
      "0.5": false,
      "1000": true,
    });
    expect(verdicts(param("decimal", { ranges: [{ max: "1" }] }), ["1.5", "-1000"])).toEqual({
      "1.5": false,
      "-1000": true,
    });
  });

  it("§1.12 ranges apply to numeric types only; an empty range list constrains nothing", () => {
    expect(valid(param("string", { ranges: [{ min: "1", max: "2" }] }), "zzz")).toBe(true);
    expect(valid(param("int", { ranges: [] }), "-99")).toBe(true);
  });

  it("§1.12 the lexical check comes first: 1.5abc is not a decimal in any range", () => {
    expect(valid(param("decimal", { ranges: [{ min: "0", max: "10" }] }), "1.5abc")).toBe(false);
    expect(valid(param("int", { ranges: [{ min: "0", max: "10" }] }), "5.0")).toBe(false);
  });
});

describe("isValidValue: sizes, enumerations and patterns (§1.12)", () => {
  it("§1.12 a string size counts characters (a code point is one), both bounds included", () => {
    const p = param("string", { sizes: [{ minLength: 2, maxLength: 4 }] });
    expect(verdicts(p, ["a", "ab", "abcd", "abcde", "é😀", "😀😀😀😀", "😀😀😀😀😀"])).toEqual({
      a: false,
      ab: true,
      abcd: true,
      abcde: false,
      "é😀": true,
      "😀😀😀😀": true,
      "😀😀😀😀😀": false,
    });
  });

  it("§1.12 a size with one bound leaves the other open; several sizes accept any fit", () => {
    expect(verdicts(param("string", { sizes: [{ maxLength: 2 }] }), ["", "ab", "abc"])).toEqual({
      "": true,
      ab: true,
      abc: false,
    });
    expect(verdicts(param("string", { sizes: [{ minLength: 2 }] }), ["a", "abcdefgh"])).toEqual({
      a: false,
      abcdefgh: true,
    });
    const p = param("string", { sizes: [{ maxLength: 1 }, { minLength: 3, maxLength: 3 }] });
    expect(verdicts(p, ["a", "ab", "abc", "abcd"])).toEqual({
      a: true,
      ab: false,
      abc: true,
      abcd: false,
    });
    expect(valid(param("string", { sizes: [] }), "anything")).toBe(true);
  });

  it("§1.12 binary sizes count bytes: two hex digits or a base64 quad less its padding", () => {
    const hex = param("hexBinary", { sizes: [{ minLength: 2, maxLength: 2 }] });
    expect(verdicts(hex, ["00", "0011", "001122"])).toEqual({
      "00": false,
      "0011": true,
      "001122": false,
    });
    const b64 = (n: number) => param("base64", { sizes: [{ minLength: n, maxLength: n }] });
    // "AAAA" is 3 bytes, "AAE=" 2, "AA==" 1, "AAAA AA==" 4 (whitespace is not data).
    expect(valid(b64(3), "AAAA")).toBe(true);
    expect(valid(b64(2), "AAE=")).toBe(true);
    expect(valid(b64(3), "AAE=")).toBe(false);
    expect(valid(b64(1), "AA==")).toBe(true);
    expect(valid(b64(2), "AA==")).toBe(false);
    expect(valid(b64(4), "AAAA AA==")).toBe(true);
    expect(valid(b64(4), "AAAA\nAA==")).toBe(true);
  });

  it("§1.12 an enumeration accepts its members only; an empty one constrains nothing", () => {
    const p = param("string", { enumerations: ["Up", "Down"] });
    expect(verdicts(p, ["Up", "Down", "up", ""])).toEqual({
      Up: true,
      Down: true,
      up: false,
      "": false,
    });
    expect(valid(param("string", { enumerations: [] }), "x")).toBe(true);
  });

  it("§1.12 patterns match the whole value; any one of several is enough", () => {
    const p = param("string");
    expect(valid(p, "AB12", ["[A-Z]{2}[0-9]{2}"])).toBe(true);
    expect(valid(p, "AB123", ["[A-Z]{2}[0-9]{2}"])).toBe(false);
    expect(valid(p, "123", ["[A-Z]{2}[0-9]{2}", "[0-9]+"])).toBe(true);
    expect(valid(p, "x", ["[A-Z]{2}[0-9]{2}", "[0-9]+"])).toBe(false);
    // No compiled pattern list: nothing to match.
    expect(valid(p, "x")).toBe(true);
  });
});

describe("isValidValue: lists (§1.12)", () => {
  const list = (l: ParameterSchema["list"], facets: Partial<ParameterSchema> = {}) =>
    param("unsignedInt", { list: l, ...facets });

  it("§1.12 the empty string is the empty list; minItems then decides", () => {
    expect(valid(list({}), "")).toBe(true);
    expect(valid(list({ minItems: 1 }), "")).toBe(false);
    expect(valid(list({ minItems: 0 }), "")).toBe(true);
  });

  it("§1.12 minItems and maxItems include their bounds", () => {
    const l = list({ minItems: 2, maxItems: 3 });
    expect(verdicts(l, ["1", "1,2", "1,2,3", "1,2,3,4"])).toEqual({
      "1": false,
      "1,2": true,
      "1,2,3": true,
      "1,2,3,4": false,
    });
  });

  it("§1.12 a list's maxLength bounds the whole text in characters", () => {
    const l = list({ maxLength: 5 });
    expect(verdicts(l, ["1,2,3", "1,2,34"])).toEqual({ "1,2,3": true, "1,2,34": false });
    const s = param("string", { list: { maxLength: 3 } });
    expect(verdicts(s, ["😀,😀", "😀,😀,"])).toEqual({ "😀,😀": true, "😀,😀,": false });
  });

  it("§1.12 every item is checked against the type and facets; spaces after commas are ignored", () => {
    const l = list({}, { ranges: [{ max: "10" }] });
    expect(verdicts(l, ["1, 2,  10", "1,11", "1,x", "1,,2"])).toEqual({
      "1, 2,  10": true,
      "1,11": false,
      "1,x": false,
      "1,,2": false,
    });
    const sized = param("string", { list: {}, sizes: [{ maxLength: 2 }] });
    expect(verdicts(sized, ["ab, cd", "ab,cde"])).toEqual({ "ab, cd": true, "ab,cde": false });
  });

  it("§1.12 a list item must be a whole member of the enumeration", () => {
    const l = param("string", { list: {}, enumerations: ["A", "B"] });
    expect(verdicts(l, ["A,B", "A, B", "A,C", "AB"])).toEqual({
      "A,B": true,
      "A, B": true,
      "A,C": false,
      AB: false,
    });
  });
});

describe("isTypeCompatible: xsi:type against the parameter (§1.12, fault 9006)", () => {
  it("§1.12 an SPV without xsi:type is accepted for any parameter (the value check decides)", () => {
    expect(isTypeCompatible("", param("int"))).toBe(true);
    expect(isTypeCompatible("", param("boolean"))).toBe(true);
  });

  it("§1.12 the same type with or without a namespace prefix matches; another standard type does not", () => {
    expect(isTypeCompatible("xsd:boolean", param("boolean"))).toBe(true);
    expect(isTypeCompatible("boolean", param("boolean"))).toBe(true);
    expect(isTypeCompatible("xsd:dateTime", param("boolean"))).toBe(false);
    expect(isTypeCompatible("xsd:boolean", param("int"))).toBe(false);
    // A standard type other than string is not accepted on a string parameter.
    expect(isTypeCompatible("xsd:int", param("string"))).toBe(false);
  });

  it("§1.12 the integer types match each other, not other numeric types", () => {
    for (const given of ["int", "unsignedInt", "long", "unsignedLong"])
      expect([given, isTypeCompatible(`xsd:${given}`, param("unsignedInt"))]).toEqual([
        given,
        true,
      ]);
    expect(isTypeCompatible("xsd:decimal", param("int"))).toBe(false);
    expect(isTypeCompatible("xsd:int", param("decimal"))).toBe(false);
  });

  it("§1.12 xsd:string matches every type", () => {
    for (const type of ["int", "boolean", "dateTime", "hexBinary"] as const)
      expect([type, isTypeCompatible("xsd:string", param(type))]).toEqual([type, true]);
  });

  it("§1.12 a named data type matches a parameter declared with it, or a string parameter", () => {
    expect(isTypeCompatible("cwmp:IPAddress", param("string", { dataType: "IPAddress" }))).toBe(
      true,
    );
    expect(isTypeCompatible("cwmp:IPAddress", param("string"))).toBe(true);
    expect(isTypeCompatible("cwmp:IPAddress", param("int", { dataType: "IPAddress" }))).toBe(true);
    expect(isTypeCompatible("cwmp:IPAddress", param("int"))).toBe(false);
    expect(isTypeCompatible("cwmp:MACAddress", param("int", { dataType: "IPAddress" }))).toBe(
      false,
    );
    // Without a prefix it is the same name.
    expect(isTypeCompatible("IPAddress", param("unsignedInt", { dataType: "IPAddress" }))).toBe(
      true,
    );
  });
});
