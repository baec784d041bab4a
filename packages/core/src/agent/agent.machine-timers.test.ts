/**
 * The agent machine's timers when the ACS changes their settings in the middle of a day, and
 * when the times a session reports are already near or past: periodic Informs and heartbeats
 * (§1.10), ScheduleInform wake-ups (§1.5) and ScheduleReboot / DelayReboot (§1.10).
 */
import { describe, expect, it } from "vitest";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import { type AgentTimingConfig, defaultAgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";
import type { HeartbeatSettings } from "./heartbeat-policy.js";
import type { PeriodicInformSettings } from "./periodic-schedule.js";
import { ok, startAgentMachine } from "./test-support/agent-machine-harness.js";

const midnight = "1970-01-01T00:00:00Z";
/** The harness's default timing (periodic Inform off). */
const defaultTiming: AgentTimingConfig = {
  ...defaultAgentTimingConfig,
  periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
};
const every60: PeriodicInformSettings = { enable: true, intervalSeconds: 60, time: midnight };
const beat60: HeartbeatSettings = {
  enable: true,
  reportingIntervalSeconds: 60,
  initiationTime: midnight,
};

/**
 * Boots with `config`, then runs a connection-request session at `atMs` that ends with the
 * ACS's `changed` settings; returns the harness with the clock at `atMs`.
 */
const changeAt = async (
  config: Partial<AgentTimingConfig>,
  atMs: number,
  changed: (before: AgentTimingConfig) => AgentTimingConfig,
  random?: () => number,
) => {
  const a = startAgentMachine({ config, ...(random === undefined ? {} : { random }) });
  await a.send({ type: "BOOT" });
  await a.end(ok);
  await a.advance(atMs);
  await a.send({ type: "CONNECTION_REQUEST" });
  await a.end({ ...ok, config: changed(a.snapshot().context.config) });
  expect(a.state()).toBe("idle");
  return a;
};

/** The times of the periodic sessions (their only event is `2 PERIODIC`). */
const periodicTimes = (a: ReturnType<typeof startAgentMachine>) =>
  a
    .normal()
    .filter((s) => s.input?.events.map((e) => e.eventCode).join() === EventCode.Periodic)
    .map((s) => s.at);

/** Advances `ms` in steps of `step`, ending every session that starts meanwhile. */
const run = async (a: ReturnType<typeof startAgentMachine>, ms: number, step = 1_000) => {
  for (let t = 0; t < ms; t += step) {
    await a.advance(step);
    if (a.state() === "inSession" || a.state() === "inHeartbeat") await a.end(ok);
  }
};

describe("agent machine periodic Inform settings changed by the ACS (§1.10)", () => {
  it("§1.10 PeriodicInformEnable turned on arms the next aligned instant after the session", async () => {
    const a = await changeAt({ periodic: { ...every60, enable: false } }, 10_000, (c) => ({
      ...c,
      periodic: every60,
    }));
    await a.advance(49_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(periodicTimes(a)).toEqual([60_000]);
  });

  it("§1.10 PeriodicInformEnable turned off stops the periodic Informs", async () => {
    const a = await changeAt({ periodic: every60 }, 10_000, (c) => ({
      ...c,
      periodic: { ...every60, enable: false },
    }));
    await run(a, 300_000);
    expect(periodicTimes(a)).toEqual([]);
  });

  it("§1.10 a PeriodicInformTime changed alone moves the instants", async () => {
    const a = await changeAt({ periodic: every60 }, 10_000, (c) => ({
      ...c,
      periodic: { ...every60, time: "1970-01-01T00:00:30Z" },
    }));
    await run(a, 110_000);
    expect(periodicTimes(a)).toEqual([30_000, 90_000]);
  });

  it("§1.10 a PeriodicInformInterval lengthened drops the instant armed with the old one", async () => {
    const a = await changeAt({ periodic: every60 }, 10_000, (c) => ({
      ...c,
      periodic: { ...every60, intervalSeconds: 300 },
    }));
    await run(a, 300_000);
    expect(periodicTimes(a)).toEqual([300_000]);
  });

  it("§1.10 periodic settings changed twice before the first new instant: only the latest apply", async () => {
    const a = await changeAt({ periodic: every60 }, 10_000, (c) => ({
      ...c,
      periodic: { ...every60, time: "1970-01-01T00:00:30Z" },
    }));
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({
      ...ok,
      config: { ...a.snapshot().context.config, periodic: { ...every60, intervalSeconds: 300 } },
    });
    await run(a, 280_000);
    expect(periodicTimes(a)).toEqual([300_000]);
  });

  it("§1.10 with PeriodicInformEnable false no periodic Inform comes, over several intervals", async () => {
    const a = startAgentMachine({ config: { periodic: { ...every60, enable: false } } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await run(a, 600_000, 10_000);
    expect(a.normal()).toHaveLength(1);
  });
});

describe("agent machine settings read at boot (§1.10)", () => {
  it("§1.10 periodic settings the boot reads, other than the machine's input, arm their first aligned instant", async () => {
    const a = startAgentMachine({
      config: { periodic: { ...every60, enable: false } },
      bootResult: () => ({ config: { ...defaultTiming, periodic: every60 } }),
    });
    await a.advance(10_000);
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await run(a, 110_000);
    expect(periodicTimes(a)).toEqual([60_000, 120_000]);
  });

  it("§1.10-Heartbeat a heartbeat policy the boot reads, other than the machine's input, arms its first instant", async () => {
    const a = startAgentMachine({
      bootResult: () => ({ config: { ...defaultTiming, heartbeat: beat60 } }),
    });
    await a.advance(10_000);
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await run(a, 110_000);
    expect(a.heartbeats().map((s) => s.at)).toEqual([60_000, 120_000]);
  });

  it("§1.10 periodic settings the boot reads turned off: no periodic Inform", async () => {
    const a = startAgentMachine({
      config: { periodic: every60 },
      bootResult: () => ({ config: { ...defaultTiming, periodic: { ...every60, enable: false } } }),
    });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await run(a, 300_000, 10_000);
    expect(periodicTimes(a)).toEqual([]);
  });
});

describe("agent machine heartbeat settings changed by the ACS (§1.10-Heartbeat)", () => {
  it("§1.10-Heartbeat settings changed twice before the first new instant: only the latest apply", async () => {
    const a = await changeAt({ heartbeat: beat60 }, 10_000, (c) => ({
      ...c,
      heartbeat: { ...beat60, reportingIntervalSeconds: 45 },
    }));
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({
      ...ok,
      config: {
        ...a.snapshot().context.config,
        heartbeat: { ...beat60, reportingIntervalSeconds: 300 },
      },
    });
    await run(a, 280_000);
    expect(a.heartbeats().map((s) => s.at)).toEqual([300_000]);
  });

  it("§1.10-Heartbeat a ReportingInterval changed mid-interval arms the next instant of the new one", async () => {
    const a = await changeAt({ heartbeat: beat60 }, 10_000, (c) => ({
      ...c,
      heartbeat: { ...beat60, reportingIntervalSeconds: 45 },
    }));
    await a.advance(34_999);
    expect(a.heartbeats()).toEqual([]);
    await a.advance(1);
    expect(a.heartbeats().map((s) => s.at)).toEqual([45_000]);
    await a.end(ok);
    await run(a, 60_000);
    // The instant the old interval armed (60 s) does not come.
    expect(a.heartbeats().map((s) => s.at)).toEqual([45_000, 90_000]);
  });

  it("§1.10-Heartbeat a policy removed from the settings stops the heartbeat", async () => {
    const a = await changeAt({ heartbeat: beat60 }, 10_000, (c) => {
      const { heartbeat: _, ...rest } = c;
      return rest;
    });
    await run(a, 300_000, 10_000);
    expect(a.heartbeats()).toEqual([]);
  });

  it("§1.10-Heartbeat a policy set where the settings had none arms it", async () => {
    const a = await changeAt({}, 10_000, (c) => ({ ...c, heartbeat: beat60 }));
    await run(a, 60_000);
    expect(a.heartbeats().map((s) => s.at)).toEqual([60_000]);
  });

  it("§1.10-Heartbeat unchanged settings keep the random reference and the armed instant", async () => {
    let draws = 0;
    const random = () => {
      draws++;
      return 0.25;
    };
    const a = await changeAt(
      { heartbeat: { ...beat60, initiationTime: UNKNOWN_TIME } },
      10_000,
      (c) => ({ ...c }),
      random,
    );
    // Both drawn at the start (the periodic phase, then the heartbeat's), neither again.
    expect(draws).toBe(2);
    await run(a, 70_000);
    expect(a.heartbeats().map((s) => s.at)).toEqual([15_000, 75_000]);
  });

  it("§1.10 settings without a heartbeat on either side leave the agent running normally", async () => {
    const a = await changeAt({}, 10_000, (c) => ({ ...c, activeNotificationThrottleSeconds: 5 }));
    await run(a, 300_000, 10_000);
    expect(a.sessions.map((s) => s.kind)).toEqual(["session", "session"]);
  });
});

describe("agent machine wake-ups and reboot timers reported late in a day", () => {
  it("§1.5 a ScheduleInform accepted at 10 s for 25 s wakes the agent at 25 s", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, wakeAt: [25_000] });
    await a.advance(14_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.normal()).toHaveLength(3);
  });

  it("§1.5 a ScheduleInform whose time passed while the session ran wakes the agent at once", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, wakeAt: [5_000] });
    await a.advance(1); // a timer's shortest delay
    expect(a.normal()).toHaveLength(3);
  });

  it("§1.5 ScheduleInforms pending from before the restart (boot result) wake the agent at their times", async () => {
    const a = startAgentMachine({ bootResult: (now) => ({ wakeAt: [now + 20_000] }) });
    await a.advance(10_000);
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(19_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.10 a DelayReboot set at 10 s for 25 s reboots at 25 s", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, delayRebootAt: 25_000 });
    await a.advance(14_999);
    expect(a.afterSessions).toEqual([]);
    await a.advance(1);
    expect(a.afterSessions.map((s) => s.input)).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 a ScheduleReboot whose time passed while the session ran reboots at once", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(10_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, scheduleRebootAt: 5_000 });
    await a.advance(1); // a timer's shortest delay
    expect(a.afterSessions.map((s) => s.input)).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 DelayReboot and ScheduleReboot cancelled by a later session never fire", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: 20_000, scheduleRebootAt: 30_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, delayRebootAt: "cancel", scheduleRebootAt: "cancel" });
    await run(a, 60_000);
    expect(a.afterSessions).toEqual([]);
    expect(a.state()).toBe("idle");
  });

  it("§1.10 a DelayReboot set again replaces the earlier time; the ScheduleReboot stays armed beside it", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: 20_000, scheduleRebootAt: 50_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, delayRebootAt: 40_000 });
    await a.advance(39_999);
    expect(a.afterSessions).toEqual([]);
    await a.advance(1);
    expect(a.afterSessions).toHaveLength(1);
    a.afterSessions[0]!.reject(new Error("refused"));
    await a.advance(9_999);
    expect(a.afterSessions).toHaveLength(1);
    await a.advance(1);
    expect(a.afterSessions).toHaveLength(2);
  });
});
