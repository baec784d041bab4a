import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { admit } from "./rate-limiter.js";

test.prop([
  fc.integer({ min: 1, max: 10 }),
  fc.integer({ min: 1, max: 1000 }),
  fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 100 }),
])(
  "C5: no window of windowMs ever holds more than max admitted events, and an event after a quiet window is admitted",
  (max, windowMs, gaps) => {
    const limit = { max, windowMs };
    let kept: readonly number[] = [];
    const admitted: number[] = [];
    let now = 0;
    for (const gap of gaps) {
      now += gap;
      const [ok, next] = admit(limit, kept, now);
      kept = next;
      if (ok) admitted.push(now);
      expect(kept.length).toBeLessThanOrEqual(max);
    }
    for (const t of admitted)
      expect(admitted.filter((u) => u >= t && u - t < windowMs).length).toBeLessThanOrEqual(max);
    expect(admit(limit, kept, now + windowMs)[0]).toBe(true);
  },
);
