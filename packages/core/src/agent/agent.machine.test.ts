/**
 * The agent machine's main paths: the boot session, triggers during a session, retries (§1.6),
 * the active-notification throttle and periodic Informs (§1.10), and the reboots a session asks
 * for or schedules (§1.5, §1.10). The other `agent.machine-*.test.ts` files take each of these
 * further; all of them drive the machine through `test-support/agent-machine-harness.ts`.
 */
import { describe, expect, it } from "vitest";
import { defaultAgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";
import {
  fail,
  flush,
  type AgentMachineHarness as Harness,
  ok,
  startAgentMachine,
} from "./test-support/agent-machine-harness.js";

/** The RetryCount of the `i`-th normal session. */
const retryCountOf = (a: Harness, i: number) => a.normal()[i]?.input?.retryCount;

/** What the after-session actions were asked, in order. */
const afterSessionInputs = (a: Harness) => a.afterSessions.map((s) => s.input);

describe("agent machine", () => {
  it("§1.5 BOOT starts a session at once", async () => {
    const a = startAgentMachine();
    expect(a.state()).toBe("off");
    await a.send({ type: "BOOT" });
    expect(a.state()).toBe("inSession");
    expect(a.normal()).toHaveLength(1);
    await a.end(ok);
    expect(a.state()).toBe("idle");
  });

  it("§1.7 C5 triggers during a session start ONE new session after it, carrying their events", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.send(
      { type: "CONNECTION_REQUEST" },
      { type: "CONNECTION_REQUEST" },
      { type: "VALUE_CHANGE" },
    );
    await a.end(ok);
    expect(a.state()).toBe("inSession");
    expect(a.normal()).toHaveLength(2);
    expect(a.codesOf(1)).toEqual([
      EventCode.ConnectionRequest,
      EventCode.ConnectionRequest,
      EventCode.ValueChange,
    ]);
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.5 leftover queued events (pendingWork) start another session", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "success", pendingWork: true });
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.6 a failed session is retried after a wait within [m, m*k/1000], then [m*k/1000, m*(k/1000)^2], with RetryCount", async () => {
    const a = startAgentMachine({ random: () => 0.5 });
    await a.send({ type: "BOOT" });
    expect(retryCountOf(a, 0)).toBe(0);
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    await a.advance(7_499); // retry 1: 5..10 s, u=0.5 -> 7.5 s
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
    expect(retryCountOf(a, 1)).toBe(1);
    await a.end(fail);
    await a.advance(14_999); // retry 2: 10..20 s -> 15 s
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(retryCountOf(a, 2)).toBe(2);
    await a.end(ok);
    await a.send({ type: "CONNECTION_REQUEST" });
    expect(retryCountOf(a, 3)).toBe(0);
  });

  it("§1.6 custom CWMPRetryMinimumWaitInterval / CWMPRetryIntervalMultiplier drive the wait", async () => {
    const a = startAgentMachine({
      config: { retry: { minimumWaitInterval: 30, intervalMultiplier: 3000 } },
      random: () => 0,
    });
    await a.send({ type: "BOOT" });
    await a.end(fail);
    await a.advance(29_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.6 a new trigger during the retry wait retries at once", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("inSession");
    expect(retryCountOf(a, 1)).toBe(1);
  });

  it("§1.6 a connection request that arrived during a session that then fails retries at once, carrying its 6 CONNECTION REQUEST", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(fail);
    expect(a.state()).toBe("inSession");
    expect(a.normal()).toHaveLength(2);
    expect(retryCountOf(a, 1)).toBe(1);
    expect(a.codesOf(1)).toEqual([EventCode.ConnectionRequest]);
    // With no new trigger, the next failure waits the drawn interval again.
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.6 a 503 Retry-After longer than the drawn wait is honoured", async () => {
    const a = startAgentMachine({ random: () => 0 });
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "failure", reason: "HttpStatus", retryAfter: 60 });
    await a.advance(59_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.10 DefaultActiveNotificationThrottle delays a session only for active notification", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
    await a.send({ type: "BOOT" });
    await a.end(ok); // session ends at t=0
    a.clock.increment(10_000);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("throttled");
    await a.advance(19_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 the throttle does not hold other triggers: a connection request goes at once", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.send({ type: "VALUE_CHANGE" }, { type: "CONNECTION_REQUEST" });
    expect(a.state()).toBe("inSession");
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange, EventCode.ConnectionRequest]);
  });

  it("§1.10 a value change after the throttle has passed starts a session at once", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    a.clock.increment(30_000);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("inSession");
  });

  it("§1.10 with no throttle, a value change raised during a session starts the next session at once", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 0 } });
    await a.send({ type: "BOOT" });
    await a.send({ type: "VALUE_CHANGE" });
    await a.end(ok);
    await flush();
    expect(a.state()).toBe("inSession");
    expect(a.normal()).toHaveLength(2);
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 periodic Informs fire at PeriodicInformTime + k*PeriodicInformInterval with 2 PERIODIC", async () => {
    const a = startAgentMachine({
      config: { periodic: { enable: true, intervalSeconds: 60, time: "1970-01-01T00:00:10Z" } },
    });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(9_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
    expect(a.codesOf(1)).toEqual([EventCode.Periodic]);
    await a.end(ok);
    await a.advance(60_000);
    expect(a.normal()).toHaveLength(3);
  });

  it("§1.10 a periodic timer that fires before its instant by the wall clock informs once for that instant, not twice", async () => {
    const a = startAgentMachine({
      config: { periodic: { enable: true, intervalSeconds: 2, time: "1970-01-01T00:00:01.5Z" } },
    });
    // Node counts a timer from the event loop's cached time, which lags the wall clock while a
    // long tick runs: the timer armed now fires 8 ms before 1.5 s by the wall clock.
    a.wall.aheadMs = 8;
    await a.send({ type: "BOOT" });
    await a.end(ok);
    a.wall.aheadMs = 0;
    // Over 6 s of the timers' clock, 1 ms at a time: the instants 1.5, 3.5 and 5.5 s.
    for (let t = 1; t <= 6_000; t += 1) {
      await a.advance(1);
      if (a.state() === "inSession") await a.end(ok);
    }
    expect(a.normal().map((_, i) => a.codesOf(i))).toEqual([
      [], // the boot session
      ...Array(3).fill([EventCode.Periodic]),
    ]);
  });

  it("§1.5 a ScheduleInform accepted in a session wakes the agent at its time", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "success", wakeAt: [5_000] });
    await a.advance(4_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.5 a ScheduleInform answered in a session that then fails still wakes the agent at its time", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "failure", reason: "ConnectionLost", wakeAt: [60_000] });
    await a.advance(7_500); // the retry (5..10 s, u=0.5)
    expect(a.normal()).toHaveLength(2);
    await a.end(ok);
    await a.advance(52_499);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.normal()).toHaveLength(3);
  });

  it("§1.5 a Reboot asked in a session runs after it, with its CommandKey, and ends the machine", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "success", afterSession: { reboot: { commandKey: "rb1" } } });
    a.afterSessions[0]?.resolve();
    await flush();
    expect(afterSessionInputs(a)).toEqual([{ reboot: { commandKey: "rb1" } }]);
    expect(a.state()).toBe("rebooting");
    expect(a.snapshot().output).toEqual({ reason: "reboot" });
  });

  it("emits sessionEnded after each session (transfers wait for it)", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(fail);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(ok);
    expect(a.emitted.filter((e) => e.type === "sessionEnded")).toEqual([
      { type: "sessionEnded", outcome: "failure" },
      { type: "sessionEnded", outcome: "success" },
    ]);
  });
});

describe("agent machine configuration", () => {
  it("§1.10 a PeriodicInformInterval changed by the ACS takes effect after the session", async () => {
    const a = startAgentMachine({
      config: { periodic: { enable: true, intervalSeconds: 3600, time: "1970-01-01T00:00:00Z" } },
    });
    await a.send({ type: "BOOT" });
    await a.end({
      outcome: "success",
      config: {
        ...defaultAgentTimingConfig,
        periodic: { enable: true, intervalSeconds: 60, time: "1970-01-01T00:00:00Z" },
      },
    });
    await a.advance(59_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()).toHaveLength(2);
    expect(a.codesOf(1)).toEqual([EventCode.Periodic]);
  });

  it("§1.10 an unchanged Unknown-Time configuration keeps its random phase across sessions", async () => {
    let draws = 0;
    const config = {
      ...defaultAgentTimingConfig,
      periodic: { enable: true, intervalSeconds: 100, time: "0001-01-01T00:00:00Z" },
    };
    const a = startAgentMachine({
      config,
      random: () => {
        draws++;
        return 0.5;
      },
    });
    await a.send({ type: "BOOT" });
    await a.end({ outcome: "success", config });
    expect(draws).toBe(1);
    await a.advance(50_000); // phase 0.5 * 100 s
    expect(a.normal()).toHaveLength(2);
  });

  it("§1.10 DelayReboot: the reboot comes when the timer the session reported fires, as a scheduled reboot (no M Reboot)", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 5_000 });
    expect(a.state()).toBe("idle");
    await a.advance(4_999);
    expect(a.afterSessions).toEqual([]);
    await a.advance(1);
    expect(afterSessionInputs(a)).toEqual([{ scheduledReboot: true }]);
    a.afterSessions[0]?.resolve();
    await flush();
    expect(a.snapshot().status).toBe("done");
    expect(a.snapshot().output).toEqual({ reason: "reboot" });
  });

  it("§1.10 ScheduleReboot due during a session waits for the session's end", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, scheduleRebootAt: a.clock.now() + 1_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    expect(a.state()).toBe("inSession");
    await a.advance(2_000);
    expect(a.state()).toBe("inSession");
    expect(a.afterSessions).toEqual([]);
    await a.end({ ...ok, scheduleRebootAt: "cancel" });
    expect(afterSessionInputs(a)).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 DelayReboot: a later session leaving it alone does not push the reboot back", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 5_000 });
    a.clock.increment(3_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(ok);
    await a.advance(2_000);
    expect(afterSessionInputs(a)).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 DelayReboot set back to -1 (cancel) and ScheduleReboot back to the Unknown Time stop their timers", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({
      ...ok,
      delayRebootAt: a.clock.now() + 5_000,
      scheduleRebootAt: a.clock.now() + 8_000,
    });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, delayRebootAt: "cancel", scheduleRebootAt: "cancel" });
    await a.advance(60_000);
    expect(a.afterSessions).toEqual([]);
    expect(a.state()).toBe("idle");
  });

  it("§1.10 a ScheduleReboot pending from before the restart (boot result) is armed again", async () => {
    const a = startAgentMachine({ bootResult: (now) => ({ scheduleRebootAt: now + 10_000 }) });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    expect(a.state()).toBe("idle");
    await a.advance(9_999);
    expect(a.afterSessions).toEqual([]);
    await a.advance(1);
    expect(afterSessionInputs(a)).toEqual([{ scheduledReboot: true }]);
    a.actor.stop();
  });

  it("§1.10 a reboot that comes due during a retry wait is done at once (the failed session has ended)", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 1_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    await a.advance(1_000);
    expect(afterSessionInputs(a)).toEqual([{ scheduledReboot: true }]);
  });
});
