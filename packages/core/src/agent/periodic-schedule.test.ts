import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import { EventCode } from "./event-codes.js";
import { addScheduledInform, emptyEventQueue, promoteDueScheduledInforms } from "./event-queue.js";
import {
  millisUntilPeriodicInform,
  nextPeriodicInformAt,
  periodicPhase,
  scheduleInformDueAt,
} from "./periodic-schedule.js";

const epochMs = fc.integer({ min: 0, max: 4_000_000_000_000 });

describe("periodic Inform (§1.10)", () => {
  test.prop([
    epochMs,
    fc.integer({ min: -62_000_000_000_000, max: 4_000_000_000_000 }),
    fc.integer({ min: 1, max: 10_000_000 }),
  ])(
    "§1.10 the next periodic Inform is the first instant PeriodicInformTime + k*interval strictly after now",
    (now, t0, intervalSeconds) => {
      const time = new Date(t0).toISOString();
      const phase = periodicPhase({ enable: true, intervalSeconds, time }, () => 0.5);
      const next = nextPeriodicInformAt(phase, now);
      const intervalMs = intervalSeconds * 1000;
      expect(next).toBeGreaterThan(now);
      expect(next - intervalMs).toBeLessThanOrEqual(now);
      expect(Math.abs(next - t0) % intervalMs).toBe(0);
    },
  );

  test.prop([unit(), fc.integer({ min: 1, max: 1_000_000 })])(
    "§1.10 Unknown Time PeriodicInformTime gives a random phase within [0, interval)",
    (u, intervalSeconds) => {
      const phase = periodicPhase({ enable: true, intervalSeconds, time: UNKNOWN_TIME }, () => u);
      expect(phase.phaseMs).toBeGreaterThanOrEqual(0);
      expect(phase.phaseMs).toBeLessThan(intervalSeconds * 1000);
      expect(phase.phaseMs).toBe(Math.floor(u * intervalSeconds * 1000));
    },
  );

  it("§1.10 a future PeriodicInformTime still sets the phase of earlier instants", () => {
    const phase = periodicPhase(
      { enable: true, intervalSeconds: 60, time: "2030-01-01T00:00:30Z" },
      () => 0,
    );
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(new Date(nextPeriodicInformAt(phase, now)).toISOString()).toBe(
      "2026-01-01T00:00:30.000Z",
    );
  });

  it("§1.10 PeriodicInformEnable false schedules nothing", () => {
    const settings = { enable: false, intervalSeconds: 60, time: UNKNOWN_TIME };
    expect(
      millisUntilPeriodicInform(
        settings,
        periodicPhase(settings, () => 0),
        0,
      ),
    ).toBe(undefined);
  });

  it("§1.5 ScheduleInform DelaySeconds gives 3 SCHEDULED + M ScheduleInform with its CommandKey when due", () => {
    const dueAt = scheduleInformDueAt(1_000, 30);
    expect(dueAt).toBe(31_000);
    const q = addScheduledInform(emptyEventQueue("http://acs"), { commandKey: "ck1", dueAt });
    expect(promoteDueScheduledInforms(q, 30_999).events).toEqual([]);
    const due = promoteDueScheduledInforms(q, 31_000);
    expect(due.events.map((e) => [e.eventCode, e.commandKey])).toEqual([
      [EventCode.Scheduled, ""],
      [EventCode.MScheduleInform, "ck1"],
    ]);
    expect(due.scheduledInforms).toEqual([]);
  });
});

function unit() {
  return fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
}
