import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { kindOfIndex } from "./profile-mix.js";

describe("a mix of device kinds by weight", () => {
  test.prop([
    fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 6 }),
    fc.integer({ min: 0, max: 100_000 }),
  ])(
    "any run of sum(weights) consecutive indices holds each kind exactly its weight times",
    (weights, start) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const counts = weights.map(() => 0);
      for (let i = start; i < start + total; i++) {
        const k = kindOfIndex(weights, i);
        counts[k] = (counts[k] ?? 0) + 1;
      }
      expect(counts).toEqual(weights);
    },
  );
});
