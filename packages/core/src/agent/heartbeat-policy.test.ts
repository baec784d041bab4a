import { fc, test } from "@fast-check/vitest";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import {
  heartbeatOff,
  heartbeatPhase,
  MIN_HEARTBEAT_INTERVAL_SECONDS,
  readHeartbeatPolicy,
} from "./heartbeat-policy.js";
import { nextPeriodicInformAt } from "./periodic-schedule.js";

const MS = "Device.ManagementServer.";

/** A model answering from `values`; a missing name fails as the data model does (9005). */
const model = (values: Readonly<Record<string, string>>) => ({
  getParameterValues: (names: readonly string[]) =>
    names.every((n) => n in values)
      ? Effect.succeed(names.map((n) => ({ name: n, value: values[n] as string, type: "string" })))
      : Effect.fail({ code: 9005 }),
});

const read = (values: Readonly<Record<string, string>>) =>
  Effect.runSync(readHeartbeatPolicy(model(values) as never, MS));

describe("HeartbeatPolicy (Annex O, §1.10-Heartbeat)", () => {
  it("§1.10-Heartbeat reads Enable, ReportingInterval and InitiationTime; a model without the object has no heartbeat", () => {
    expect(
      read({
        [`${MS}HeartbeatPolicy.Enable`]: "1",
        [`${MS}HeartbeatPolicy.ReportingInterval`]: "120",
        [`${MS}HeartbeatPolicy.InitiationTime`]: "2026-01-01T00:00:00Z",
      }),
    ).toEqual({
      enable: true,
      reportingIntervalSeconds: 120,
      initiationTime: "2026-01-01T00:00:00Z",
    });
    expect(read({})).toBeUndefined();
    // Unset values (the schema gives none) read as off, Unknown Time.
    expect(
      read({
        [`${MS}HeartbeatPolicy.Enable`]: "",
        [`${MS}HeartbeatPolicy.ReportingInterval`]: "",
        [`${MS}HeartbeatPolicy.InitiationTime`]: "",
      }),
    ).toEqual(heartbeatOff);
  });

  test.prop([
    fc.integer({ min: 0, max: 4_000_000_000_000 }),
    fc.integer({ min: -62_000_000_000_000, max: 4_000_000_000_000 }),
    fc.integer({ min: 0, max: 1_000_000 }),
  ])(
    "§1.10-Heartbeat the next heartbeat is InitiationTime + k*max(30 s, ReportingInterval) strictly after now",
    (now, t0, interval) => {
      const phase = heartbeatPhase(
        {
          enable: true,
          reportingIntervalSeconds: interval,
          initiationTime: new Date(t0).toISOString(),
        },
        () => 0.5,
      );
      const step = Math.max(MIN_HEARTBEAT_INTERVAL_SECONDS, interval) * 1000;
      const next = nextPeriodicInformAt(phase, now);
      expect(next).toBeGreaterThan(now);
      expect(next - step).toBeLessThanOrEqual(now);
      expect(Math.abs(next - t0) % step).toBe(0);
    },
  );

  it("§1.10-Heartbeat Unknown Time: a random reference within one interval; no draw while off", () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.25;
    };
    const on = { enable: true, reportingIntervalSeconds: 60, initiationTime: UNKNOWN_TIME };
    expect(heartbeatPhase(on, random)).toEqual({ phaseMs: 15_000, intervalMs: 60_000 });
    expect(draws).toBe(1);
    heartbeatPhase({ ...on, enable: false }, random);
    expect(draws).toBe(1);
  });
});
