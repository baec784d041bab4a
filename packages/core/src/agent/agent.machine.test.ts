import { describe, expect, it } from "vitest";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import {
  type AfterSessionActions,
  type AgentBootResult,
  type AgentSessionInput,
  type AgentSessionResult,
  agentMachine,
} from "./agent.machine.js";
import { type AgentTimingConfig, defaultAgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";

interface Call {
  readonly input: AgentSessionInput;
  readonly resolve: (r: AgentSessionResult) => void;
}

const flush = () => new Promise<void>((r) => setImmediate(r));

const start = (
  config: Partial<AgentTimingConfig> = {},
  random = () => 0.5,
  /** What the boot actor reports, given the clock's time at boot. */
  bootResult: (now: number) => AgentBootResult = () => ({}),
) => {
  const clock = new SimulatedClock();
  /** How far the wall clock (`now`) runs ahead of the timers' clock, as on a busy machine. */
  const wall = { aheadMs: 0 };
  const calls: Call[] = [];
  const afterSession: AfterSessionActions[] = [];
  const machine = agentMachine.provide({
    actors: {
      boot: fromPromise<AgentBootResult>(async () => bootResult(clock.now())),
      session: fromPromise<AgentSessionResult, AgentSessionInput>(
        ({ input }) => new Promise((resolve) => calls.push({ input, resolve })),
      ),
      afterSession: fromPromise<void, AfterSessionActions>(async ({ input }) => {
        afterSession.push(input);
      }),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: {
      config: {
        ...defaultAgentTimingConfig,
        periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
        ...config,
      },
      random,
      now: () => clock.now() + wall.aheadMs,
    },
  });
  actor.start();
  const state = () => actor.getSnapshot().value;
  /** Resolves the latest session and lets the machine react. */
  const end = async (result: AgentSessionResult) => {
    calls.at(-1)!.resolve(result);
    await flush();
  };
  const boot = async () => {
    actor.send({ type: "BOOT" });
    await flush();
  };
  return { actor, clock, wall, calls, afterSession, state, end, boot };
};

const ok: AgentSessionResult = { outcome: "success" };
const fail: AgentSessionResult = { outcome: "failure", reason: "ConnectFailed" };
const codes = (c: Call) => c.input.events.map((e) => e.eventCode);

describe("agent machine", () => {
  it("§1.5 BOOT starts a session at once", async () => {
    const a = start();
    expect(a.state()).toBe("off");
    await a.boot();
    expect(a.state()).toBe("inSession");
    expect(a.calls).toHaveLength(1);
    await a.end(ok);
    expect(a.state()).toBe("idle");
  });

  it("§1.7 C5 triggers during a session start ONE new session after it, carrying their events", async () => {
    const a = start();
    await a.boot();
    a.actor.send({ type: "CONNECTION_REQUEST" });
    a.actor.send({ type: "CONNECTION_REQUEST" });
    a.actor.send({ type: "VALUE_CHANGE" });
    await a.end(ok);
    expect(a.state()).toBe("inSession");
    expect(a.calls).toHaveLength(2);
    expect(codes(a.calls[1]!)).toEqual([
      EventCode.ConnectionRequest,
      EventCode.ConnectionRequest,
      EventCode.ValueChange,
    ]);
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.calls).toHaveLength(2);
  });

  it("§1.5 leftover queued events (pendingWork) start another session", async () => {
    const a = start();
    await a.boot();
    await a.end({ outcome: "success", pendingWork: true });
    expect(a.calls).toHaveLength(2);
  });

  it("§1.6 a failed session is retried after a wait within [m, m*k/1000], then [m*k/1000, m*(k/1000)^2], with RetryCount", async () => {
    const a = start({}, () => 0.5);
    await a.boot();
    expect(a.calls[0]!.input.retryCount).toBe(0);
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    a.clock.increment(7_499); // retry 1: 5..10 s, u=0.5 -> 7.5 s
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
    expect(a.calls[1]!.input.retryCount).toBe(1);
    await a.end(fail);
    a.clock.increment(14_999); // retry 2: 10..20 s -> 15 s
    await flush();
    expect(a.calls).toHaveLength(2);
    a.clock.increment(1);
    await flush();
    expect(a.calls[2]!.input.retryCount).toBe(2);
    await a.end(ok);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    expect(a.calls[3]!.input.retryCount).toBe(0);
  });

  it("§1.6 custom CWMPRetryMinimumWaitInterval / CWMPRetryIntervalMultiplier drive the wait", async () => {
    const a = start({ retry: { minimumWaitInterval: 30, intervalMultiplier: 3000 } }, () => 0);
    await a.boot();
    await a.end(fail);
    a.clock.increment(29_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
  });

  it("§1.6 a new trigger during the retry wait retries at once", async () => {
    const a = start();
    await a.boot();
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    a.actor.send({ type: "VALUE_CHANGE" });
    await flush();
    expect(a.state()).toBe("inSession");
    expect(a.calls[1]!.input.retryCount).toBe(1);
  });

  it("§1.6 a connection request that arrived during a session that then fails retries at once, carrying its 6 CONNECTION REQUEST", async () => {
    const a = start();
    await a.boot();
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await a.end(fail);
    expect(a.state()).toBe("inSession");
    expect(a.calls).toHaveLength(2);
    expect(a.calls[1]!.input.retryCount).toBe(1);
    expect(codes(a.calls[1]!)).toEqual([EventCode.ConnectionRequest]);
    // With no new trigger, the next failure waits the drawn interval again.
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    expect(a.calls).toHaveLength(2);
  });

  it("§1.6 a 503 Retry-After longer than the drawn wait is honoured", async () => {
    const a = start({}, () => 0);
    await a.boot();
    await a.end({ outcome: "failure", reason: "HttpStatus", retryAfter: 60 });
    a.clock.increment(59_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
  });

  it("§1.10 DefaultActiveNotificationThrottle delays a session only for active notification", async () => {
    const a = start({ activeNotificationThrottleSeconds: 30 });
    await a.boot();
    await a.end(ok); // session ends at t=0
    a.clock.increment(10_000);
    a.actor.send({ type: "VALUE_CHANGE" });
    await flush();
    expect(a.state()).toBe("throttled");
    a.clock.increment(19_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
    expect(codes(a.calls[1]!)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 the throttle does not hold other triggers: a connection request goes at once", async () => {
    const a = start({ activeNotificationThrottleSeconds: 30 });
    await a.boot();
    await a.end(ok);
    a.actor.send({ type: "VALUE_CHANGE" });
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    expect(a.state()).toBe("inSession");
    expect(codes(a.calls[1]!)).toEqual([EventCode.ValueChange, EventCode.ConnectionRequest]);
  });

  it("§1.10 a value change after the throttle has passed starts a session at once", async () => {
    const a = start({ activeNotificationThrottleSeconds: 30 });
    await a.boot();
    await a.end(ok);
    a.clock.increment(30_000);
    a.actor.send({ type: "VALUE_CHANGE" });
    await flush();
    expect(a.state()).toBe("inSession");
  });

  it("§1.10 with no throttle, a value change raised during a session starts the next session at once", async () => {
    const a = start({ activeNotificationThrottleSeconds: 0 });
    await a.boot();
    a.actor.send({ type: "VALUE_CHANGE" });
    await a.end(ok);
    await flush();
    expect(a.state()).toBe("inSession");
    expect(a.calls).toHaveLength(2);
    expect(codes(a.calls[1]!)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 periodic Informs fire at PeriodicInformTime + k*PeriodicInformInterval with 2 PERIODIC", async () => {
    const a = start({
      periodic: { enable: true, intervalSeconds: 60, time: "1970-01-01T00:00:10Z" },
    });
    await a.boot();
    await a.end(ok);
    a.clock.increment(9_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
    expect(codes(a.calls[1]!)).toEqual([EventCode.Periodic]);
    await a.end(ok);
    a.clock.increment(60_000);
    await flush();
    expect(a.calls).toHaveLength(3);
  });

  it("§1.10 a periodic timer that fires before its instant by the wall clock informs once for that instant, not twice", async () => {
    const a = start({
      periodic: { enable: true, intervalSeconds: 2, time: "1970-01-01T00:00:01.5Z" },
    });
    // Node counts a timer from the event loop's cached time, which lags the wall clock while a
    // long tick runs: the timer armed now fires 8 ms before 1.5 s by the wall clock.
    a.wall.aheadMs = 8;
    await a.boot();
    await a.end(ok);
    a.wall.aheadMs = 0;
    // Over 6 s of the timers' clock, 1 ms at a time: the instants 1.5, 3.5 and 5.5 s.
    for (let t = 1; t <= 6_000; t += 1) {
      a.clock.increment(1);
      await flush();
      if (a.state() === "inSession") await a.end(ok);
    }
    expect(a.calls.slice(1).map(codes)).toEqual(Array(3).fill([EventCode.Periodic]));
  });

  it("§1.5 a ScheduleInform accepted in a session wakes the agent at its time", async () => {
    const a = start();
    await a.boot();
    await a.end({ outcome: "success", wakeAt: [5_000] });
    a.clock.increment(4_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
  });

  it("§1.5 a ScheduleInform answered in a session that then fails still wakes the agent at its time", async () => {
    const a = start();
    await a.boot();
    await a.end({ outcome: "failure", reason: "ConnectionLost", wakeAt: [60_000] });
    a.clock.increment(7_500); // the retry (5..10 s, u=0.5)
    await flush();
    expect(a.calls).toHaveLength(2);
    await a.end(ok);
    a.clock.increment(52_499);
    await flush();
    expect(a.calls).toHaveLength(2);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(3);
  });

  it("§1.5 a Reboot asked in a session runs after it, with its CommandKey, and ends the machine", async () => {
    const a = start();
    await a.boot();
    await a.end({ outcome: "success", afterSession: { reboot: { commandKey: "rb1" } } });
    expect(a.afterSession).toEqual([{ reboot: { commandKey: "rb1" } }]);
    expect(a.state()).toBe("rebooting");
    expect(a.actor.getSnapshot().output).toEqual({ reason: "reboot" });
  });

  it("emits sessionEnded after each session (transfers wait for it)", async () => {
    const a = start();
    const seen: string[] = [];
    a.actor.on("sessionEnded", (e) => seen.push(e.outcome));
    await a.boot();
    await a.end(fail);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.end(ok);
    expect(seen).toEqual(["failure", "success"]);
  });
});

describe("agent machine configuration", () => {
  it("§1.10 a PeriodicInformInterval changed by the ACS takes effect after the session", async () => {
    const a = start({
      periodic: { enable: true, intervalSeconds: 3600, time: "1970-01-01T00:00:00Z" },
    });
    await a.boot();
    await a.end({
      outcome: "success",
      config: {
        ...defaultAgentTimingConfig,
        periodic: { enable: true, intervalSeconds: 60, time: "1970-01-01T00:00:00Z" },
      },
    });
    a.clock.increment(59_999);
    await flush();
    expect(a.calls).toHaveLength(1);
    a.clock.increment(1);
    await flush();
    expect(a.calls).toHaveLength(2);
    expect(codes(a.calls[1]!)).toEqual([EventCode.Periodic]);
  });

  it("§1.10 an unchanged Unknown-Time configuration keeps its random phase across sessions", async () => {
    let draws = 0;
    const config = {
      ...defaultAgentTimingConfig,
      periodic: { enable: true, intervalSeconds: 100, time: "0001-01-01T00:00:00Z" },
    };
    const a = start(config, () => {
      draws++;
      return 0.5;
    });
    await a.boot();
    await a.end({ outcome: "success", config });
    expect(draws).toBe(1);
    a.clock.increment(50_000); // phase 0.5 * 100 s
    await flush();
    expect(a.calls).toHaveLength(2);
  });

  it("§1.10 DelayReboot: the reboot comes when the timer the session reported fires, as a scheduled reboot (no M Reboot)", async () => {
    const a = start();
    await a.boot();
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 5_000 });
    expect(a.state()).toBe("idle");
    a.clock.increment(4_999);
    await flush();
    expect(a.afterSession).toEqual([]);
    a.clock.increment(1);
    await flush();
    expect(a.afterSession).toEqual([{ scheduledReboot: true }]);
    expect(a.actor.getSnapshot().status).toBe("done");
    expect(a.actor.getSnapshot().output).toEqual({ reason: "reboot" });
  });

  it("§1.10 ScheduleReboot due during a session waits for the session's end", async () => {
    const a = start();
    await a.boot();
    await a.end({ ...ok, scheduleRebootAt: a.clock.now() + 1_000 });
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    expect(a.state()).toBe("inSession");
    a.clock.increment(2_000);
    await flush();
    expect(a.state()).toBe("inSession");
    expect(a.afterSession).toEqual([]);
    await a.end({ ...ok, scheduleRebootAt: "cancel" });
    expect(a.afterSession).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 DelayReboot: a later session leaving it alone does not push the reboot back", async () => {
    const a = start();
    await a.boot();
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 5_000 });
    a.clock.increment(3_000);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.end(ok);
    a.clock.increment(2_000);
    await flush();
    expect(a.afterSession).toEqual([{ scheduledReboot: true }]);
  });

  it("§1.10 DelayReboot set back to -1 (cancel) and ScheduleReboot back to the Unknown Time stop their timers", async () => {
    const a = start();
    await a.boot();
    await a.end({
      ...ok,
      delayRebootAt: a.clock.now() + 5_000,
      scheduleRebootAt: a.clock.now() + 8_000,
    });
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.end({ ...ok, delayRebootAt: "cancel", scheduleRebootAt: "cancel" });
    a.clock.increment(60_000);
    await flush();
    expect(a.afterSession).toEqual([]);
    expect(a.state()).toBe("idle");
  });

  it("§1.10 a ScheduleReboot pending from before the restart (boot result) is armed again", async () => {
    const a = start({}, undefined, (now) => ({ scheduleRebootAt: now + 10_000 }));
    await a.boot();
    await a.end(ok);
    expect(a.state()).toBe("idle");
    a.clock.increment(9_999);
    await flush();
    expect(a.afterSession).toEqual([]);
    a.clock.increment(1);
    await flush();
    expect(a.afterSession).toEqual([{ scheduledReboot: true }]);
    a.actor.stop();
  });

  it("§1.10 a reboot that comes due during a retry wait is done at once (the failed session has ended)", async () => {
    const a = start();
    await a.boot();
    await a.end({ ...ok, delayRebootAt: a.clock.now() + 1_000 });
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    a.clock.increment(1_000);
    await flush();
    expect(a.afterSession).toEqual([{ scheduledReboot: true }]);
  });
});
