import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  devicePrefix,
  deviceRange,
  manifestKey,
  sectionKey,
  sectionOf,
  sectionRange,
} from "./fleet-store-keys.js";

const inRange = (key: Buffer, range: { start: Buffer; end: Buffer }) =>
  Buffer.compare(key, range.start) >= 0 && Buffer.compare(key, range.end) < 0;

const anyString = fc.string({ unit: "binary" });

describe("fleet store keys", () => {
  test.prop([anyString, anyString, anyString])(
    "a device's ranges hold its own section and manifest keys and no key of another device",
    (a, b, section) => {
      fc.pre(a !== b);
      const pa = devicePrefix(a);
      const pb = devicePrefix(b);
      expect(inRange(sectionKey(pa, section), sectionRange(pa))).toBe(true);
      expect(inRange(sectionKey(pa, section), deviceRange(pa))).toBe(true);
      expect(inRange(manifestKey(pa), deviceRange(pa))).toBe(true);
      expect(inRange(manifestKey(pa), sectionRange(pa))).toBe(false);
      expect(inRange(sectionKey(pb, section), deviceRange(pa))).toBe(false);
      expect(inRange(manifestKey(pb), deviceRange(pa))).toBe(false);
    },
  );

  test.prop([anyString, anyString])(
    "a section key decodes back to its section name",
    (device, section) => {
      const prefix = devicePrefix(device);
      expect(sectionOf(prefix, sectionKey(prefix, section))).toBe(section);
    },
  );
});
