/**
 * How the agent machine carries on after each step's outcome: a failed or crashed boot,
 * session or heartbeat, the ACS's reboot and factory reset, and a device that refuses them.
 */
import { describe, expect, it } from "vitest";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import { type AgentSessionInput, type AgentSessionResult, agentMachine } from "./agent.machine.js";
import { defaultAgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";
import { fail, flush, ok, startAgentMachine } from "./test-support/agent-machine-harness.js";

const every60 = {
  enable: true,
  reportingIntervalSeconds: 60,
  initiationTime: "1970-01-01T00:00:00Z",
};

describe("agent machine boot", () => {
  it("a boot that fails stops the machine, emits bootFailed with the error, and runs no session", async () => {
    const a = startAgentMachine({ manualBoot: true });
    await a.send({ type: "BOOT" });
    const error = new Error("store unreadable");
    a.boots[0]!.reject(error);
    await flush();
    expect(a.snapshot().status).toBe("done");
    expect(a.snapshot().output).toEqual({ reason: "bootFailed" });
    expect(a.emitted).toEqual([{ type: "bootFailed", error }]);
    expect(a.sessions).toEqual([]);
  });

  it("§1.10 a reboot and a heartbeat that come due while the boot runs wait for the boot session", async () => {
    const a = startAgentMachine({ manualBoot: true });
    await a.send({ type: "BOOT" }, { type: "REBOOT_DUE" });
    a.boots[0]!.resolve({});
    await flush();
    expect(a.state()).toBe("inSession");
    await a.end(ok);
    expect(a.afterSessions.map((s) => s.input)).toEqual([{ scheduledReboot: true }]);

    const b = startAgentMachine({ manualBoot: true, config: { heartbeat: every60 } });
    await b.send({ type: "BOOT" }, { type: "HEARTBEAT_DUE" });
    b.boots[0]!.resolve({});
    await flush();
    await b.end(ok);
    expect(b.state()).toBe("inHeartbeat");
  });
});

describe("agent machine after a session (§1.5)", () => {
  it("§1.5 a FactoryReset asked in a session runs after it and ends the machine as a factory reset", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, afterSession: { factoryReset: true } });
    expect(a.afterSessions.map((s) => s.input)).toEqual([{ factoryReset: true }]);
    a.afterSessions[0]!.resolve();
    await flush();
    expect(a.snapshot().status).toBe("done");
    expect(a.snapshot().output).toEqual({ reason: "factoryReset" });
  });

  it("§1.5 after-session actions without a reboot or factory reset leave the agent idle", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, afterSession: { factoryReset: false } });
    expect(a.state()).toBe("idle");
    expect(a.afterSessions).toEqual([]);
  });

  it("§1.5 a reboot the device refuses: the agent carries on, and triggers raised meanwhile start a session", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, afterSession: { reboot: { commandKey: "rb" } } });
    expect(a.state()).toBe("afterSession");
    await a.send({ type: "CONNECTION_REQUEST" });
    a.afterSessions[0]!.reject(new Error("refused"));
    await flush();
    expect(a.state()).toBe("inSession");
    expect(a.codesOf(1)).toEqual([EventCode.ConnectionRequest]);
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.afterSessions).toHaveLength(1);
  });

  it("§1.10 a scheduled reboot the device refuses is not asked again after the next session", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: 1_000 });
    await a.advance(1_000);
    expect(a.afterSessions.map((s) => s.input)).toEqual([{ scheduledReboot: true }]);
    a.afterSessions[0]!.reject(new Error("refused"));
    await flush();
    expect(a.state()).toBe("idle");
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end({ ...ok, afterSession: { reboot: { commandKey: "rb" } } });
    expect(a.afterSessions.map((s) => s.input)).toEqual([
      { scheduledReboot: true },
      { reboot: { commandKey: "rb" } },
    ]);
  });

  it("§1.10 a refused reboot after a failed session: a value change raised meanwhile waits for the throttle the failure started", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: 1_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.advance(1_000); // the reboot is due during this session
    await a.send({ type: "VALUE_CHANGE" });
    await a.end(fail); // t = 1 s: the throttle runs to 31 s
    a.afterSessions[0]!.reject(new Error("refused"));
    await flush();
    expect(a.state()).toBe("throttled");
    await a.advance(29_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.codesOf(2)).toEqual([EventCode.ValueChange]);
  });
});

describe("agent machine failures (§1.6)", () => {
  it("§1.6 a session whose actor crashes counts as failed: sessionEnded(failure), then the retry with RetryCount 1", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.crash(new Error("defect"));
    expect(a.state()).toBe("waitingRetry");
    expect(a.emitted).toEqual([{ type: "sessionEnded", outcome: "failure" }]);
    await a.advance(7_499); // retry 1: 5..10 s, u = 0.5
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.normal()[1]?.input?.retryCount).toBe(1);
  });

  it("§1.10-Heartbeat a heartbeat that waited for a session whose actor crashed is skipped", async () => {
    const a = startAgentMachine({ config: { heartbeat: every60 } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(59_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.advance(1_000); // due while the session runs
    await a.crash(new Error("defect"));
    await a.advance(7_500); // the retry
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.heartbeats()).toEqual([]);
  });

  it("§1.10 a refused reboot after a crashed session: a value change raised meanwhile waits for the throttle the crash started", async () => {
    const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
    await a.send({ type: "BOOT" });
    await a.end({ ...ok, delayRebootAt: 1_000 });
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.advance(1_000);
    await a.send({ type: "VALUE_CHANGE" });
    await a.crash(new Error("defect")); // t = 1 s: the throttle runs to 31 s
    a.afterSessions[0]!.reject(new Error("refused"));
    await flush();
    expect(a.state()).toBe("throttled");
    await a.advance(29_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.codesOf(2)).toEqual([EventCode.ValueChange]);
  });

  it("a crashed session keeps the last session's result in the snapshot; a failed one replaces it", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    expect(a.snapshot().context.lastResult).toEqual(ok);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.crash(new Error("defect"));
    expect(a.snapshot().context.lastResult).toEqual(ok);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(fail);
    expect(a.snapshot().context.lastResult).toEqual(fail);
  });

  it("§1.6 a failed session hands its events back: none is held for the retry but those raised since", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" }, { type: "CONNECTION_REQUEST" });
    expect(a.snapshot().context.sessionEvents).toEqual([
      { eventCode: EventCode.ConnectionRequest, commandKey: "" },
    ]);
    await a.end(fail);
    expect(a.snapshot().context.sessionEvents).toEqual([]);
    await a.advance(7_500);
    expect(a.codesOf(1)).toEqual([]);
  });

  it("§1.10-Heartbeat a heartbeat whose actor crashes ends like a failed one: sessionEnded(failure), no retry", async () => {
    const a = startAgentMachine({ config: { heartbeat: every60 } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(60_000);
    expect(a.state()).toBe("inHeartbeat");
    await a.crash(new Error("defect"));
    expect(a.state()).toBe("idle");
    expect(a.emitted.at(-1)).toEqual({ type: "sessionEnded", outcome: "failure" });
    await a.advance(59_999);
    expect(a.sessions).toHaveLength(2);
  });

  it("§1.10-Heartbeat a failed heartbeat emits sessionEnded(failure) and leaves the RetryCount alone", async () => {
    const a = startAgentMachine({ config: { heartbeat: every60 } });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(60_000);
    await a.end(fail);
    expect(a.emitted.at(-1)).toEqual({ type: "sessionEnded", outcome: "failure" });
    expect(a.snapshot().context.retryCount).toBe(0);
  });
});

describe("agent machine without actors", () => {
  /** The machine with only the actors given, on a simulated clock, heartbeats every 60 s. */
  const bare = (machine: typeof agentMachine) => {
    const clock = new SimulatedClock();
    const actor = createActor(machine, {
      clock,
      input: {
        config: {
          ...defaultAgentTimingConfig,
          periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
          heartbeat: every60,
        },
        random: () => 0.5,
        now: () => clock.now(),
      },
    });
    const ended: string[] = [];
    actor.on("sessionEnded", (e) => ended.push(e.outcome));
    actor.start();
    return { clock, actor, ended };
  };

  it("the placeholder boot reports nothing and the placeholder session fails, naming what is missing", async () => {
    const { actor, ended } = bare(agentMachine);
    actor.send({ type: "BOOT" });
    await flush();
    await flush();
    expect(actor.getSnapshot().value).toBe("waitingRetry");
    expect(ended).toEqual(["failure"]);
    expect(actor.getSnapshot().context.lastResult).toEqual({
      outcome: "failure",
      reason: "no session actor provided",
    });
    actor.stop();
  });

  it("§1.10-Heartbeat the placeholder heartbeat session fails (no retry)", async () => {
    const { clock, actor, ended } = bare(
      agentMachine.provide({
        actors: { session: fromPromise<AgentSessionResult, AgentSessionInput>(async () => ok) },
      }),
    );
    actor.send({ type: "BOOT" });
    await flush();
    await flush();
    expect(actor.getSnapshot().value).toBe("idle");
    clock.increment(60_000);
    await flush();
    await flush();
    expect(ended).toEqual(["success", "failure"]);
    expect(actor.getSnapshot().value).toBe("idle");
    // A failed heartbeat is not a session's result: the last one stays the boot session's.
    expect(actor.getSnapshot().context.lastResult).toEqual(ok);
    actor.stop();
  });
});
