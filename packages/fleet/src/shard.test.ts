import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import { parseShard, shardRange } from "./shard.js";

describe("shards of a fleet's index range", () => {
  test.prop([fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 500 })])(
    "the ranges of shards 0..n-1 are disjoint, in order, and cover [0, count) exactly",
    (count, n) => {
      let next = 0;
      const bad: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = shardRange(count, { index: i, total: n });
        // Each starts where the previous ended: no gap, no overlap.
        if (r.start !== next || r.end < r.start) bad.push(i);
        next = r.end;
      }
      expect(bad).toEqual([]);
      expect(next).toBe(count);
    },
  );

  test.prop([fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 500 })])(
    "shard sizes differ by at most one device",
    (count, n) => {
      const sizes = Array.from({ length: n }, (_, i) => {
        const r = shardRange(count, { index: i, total: n });
        return r.end - r.start;
      });
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    },
  );

  it("parses i/n and refuses what is not a shard", () => {
    expect(parseShard("2/5")).toEqual(Either.right({ index: 2, total: 5 }));
    expect(parseShard(" 0 / 1 ")).toEqual(Either.right({ index: 0, total: 1 }));
    for (const bad of ["5/5", "1/0", "-1/3", "a/b", "1", "1/2/3", ""])
      expect(Either.isLeft(parseShard(bad)), bad).toBe(true);
  });
});
