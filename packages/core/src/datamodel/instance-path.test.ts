/** Unit and property tests of instance-path parsing (§1.12, alias-based addressing, wildcards). */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  isAliasSegment,
  isInstanceNumber,
  isValidAlias,
  tableOfInstance,
  toSchemaPath,
} from "./instance-path.js";

/** A TR-069 name segment: starts with a letter, no dots. */
const nameSegment = fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,11}$/);
/** A valid Alias value. */
const alias = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_:-]{0,20}$/);
const instanceNumber = fc.integer({ min: 1, max: 4_294_967_295 }).map(String);

/** A segment that designates instances, and what its schema path has there. */
const instanceSegment = fc.oneof(
  instanceNumber,
  alias.map((a) => `[${a}]`),
  fc.constant("*"),
);

describe("instance paths (§1.12)", () => {
  it("§1.12-Alias an [alias] segment needs its brackets and one character inside", () => {
    expect(isAliasSegment("[a]")).toBe(true);
    expect(isAliasSegment("[]")).toBe(false);
    expect(isAliasSegment("[a")).toBe(false);
    expect(isAliasSegment("a]")).toBe(false);
    expect(isAliasSegment("a")).toBe(false);
  });

  it("§1.12-Alias valid aliases start with a letter, hold no . [ ] *, at most 64 characters", () => {
    expect(isValidAlias("cpe-1")).toBe(true);
    expect(isValidAlias("a".repeat(64))).toBe(true);
    for (const bad of ["", "1a", "-a", "a.b", "a[b", "a]b", "a*", "a".repeat(65)])
      expect(isValidAlias(bad), bad).toBe(false);
  });

  it("§1.12 instance numbers are 1..10 digits without a leading zero", () => {
    expect(isInstanceNumber("1")).toBe(true);
    expect(isInstanceNumber("4294967295")).toBe(true);
    for (const bad of ["0", "01", "12345678901", "a", "", "[1]"])
      expect(isInstanceNumber(bad), bad).toBe(false);
  });

  it("§1.12-Alias tableOfInstance of a name ending in a number or an [alias], else undefined", () => {
    expect(tableOfInstance("Device.A.T.3.")).toBe("Device.A.T.");
    expect(tableOfInstance("Device.A.T.[x].")).toBe("Device.A.T.");
    expect(tableOfInstance("Device.A.T.")).toBeUndefined();
    expect(tableOfInstance("Device.A.T.*.")).toBeUndefined();
    expect(tableOfInstance("Device.A.T.3")).toBeUndefined();
  });

  test.prop([fc.array(fc.oneof(nameSegment, instanceSegment), { minLength: 1, maxLength: 8 })])(
    "§1.12-Alias §1.12-Wildcards toSchemaPath turns every instance number, [alias] and * into {i} and keeps every name segment",
    (segments) => {
      const path = ["Device", ...segments].join(".");
      const schema = toSchemaPath(path).split(".");
      expect(schema.length).toBe(segments.length + 1);
      segments.forEach((s, i) => {
        const isInstance = s === "*" || isInstanceNumber(s) || isAliasSegment(s);
        expect(schema[i + 1]).toBe(isInstance ? "{i}" : s);
      });
    },
  );

  test.prop([fc.array(nameSegment, { minLength: 1, maxLength: 4 }), alias])(
    "§1.12-Alias every valid alias makes an [alias] segment whose table is the path before it",
    (tableSegments, a) => {
      expect(isValidAlias(a)).toBe(true);
      expect(isAliasSegment(`[${a}]`)).toBe(true);
      const table = `Device.${tableSegments.join(".")}.`;
      expect(tableOfInstance(`${table}[${a}].`)).toBe(table);
    },
  );

  test.prop([fc.string({ maxLength: 70 })])(
    "§1.12-Alias an alias isValidAlias accepts never contains a character that splits a path",
    (text) => {
      if (isValidAlias(text)) expect(/[.[\]*]/.test(text) || text.length > 64).toBe(false);
    },
  );
});
