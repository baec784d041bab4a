import { describe, expect, it } from "vitest";
import { createActor, fromPromise, SimulatedClock } from "xstate";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import {
  type AgentBootResult,
  type AgentSessionInput,
  type AgentSessionResult,
  agentMachine,
} from "./agent.machine.js";
import { type AgentTimingConfig, defaultAgentTimingConfig } from "./agent-config.js";
import { EventCode } from "./event-codes.js";
import type { HeartbeatSettings } from "./heartbeat-policy.js";

/** One session the machine started: a normal one (with its input) or a heartbeat. */
interface Call {
  readonly kind: "session" | "heartbeat";
  readonly at: number;
  readonly input?: AgentSessionInput;
  readonly resolve: (r: AgentSessionResult) => void;
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const ok: AgentSessionResult = { outcome: "success" };
const fail: AgentSessionResult = { outcome: "failure", reason: "ConnectFailed" };

/** The simulated clock starts at 0: InitiationTime at the epoch puts heartbeats at k*interval. */
const midnight = "1970-01-01T00:00:00Z";

const start = (heartbeat: HeartbeatSettings, random = () => 0.25) => {
  const clock = new SimulatedClock();
  /** How far the wall clock (`now`) runs ahead of the timers' clock, as on a busy machine. */
  const wall = { aheadMs: 0 };
  const calls: Call[] = [];
  const config: AgentTimingConfig = {
    ...defaultAgentTimingConfig,
    periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
    heartbeat,
  };
  const machine = agentMachine.provide({
    actors: {
      boot: fromPromise<AgentBootResult>(async () => ({ config })),
      session: fromPromise<AgentSessionResult, AgentSessionInput>(
        ({ input }) =>
          new Promise((resolve) =>
            calls.push({ kind: "session", at: clock.now(), input, resolve }),
          ),
      ),
      heartbeatSession: fromPromise<AgentSessionResult>(
        () => new Promise((resolve) => calls.push({ kind: "heartbeat", at: clock.now(), resolve })),
      ),
    },
  });
  const actor = createActor(machine, {
    clock,
    input: { config, random, now: () => clock.now() + wall.aheadMs },
  });
  actor.start();
  const end = async (result: AgentSessionResult) => {
    calls.at(-1)!.resolve(result);
    await flush();
  };
  const advance = async (ms: number) => {
    clock.increment(ms);
    await flush();
  };
  const boot = async () => {
    actor.send({ type: "BOOT" });
    await flush();
    await end(ok);
  };
  const state = () => actor.getSnapshot().value;
  return { actor, clock, wall, calls, end, advance, boot, state };
};

const every60 = { enable: true, reportingIntervalSeconds: 60, initiationTime: midnight };

describe("heartbeat sessions (Annex O, §1.10-Heartbeat)", () => {
  it("§1.10-Heartbeat a heartbeat runs at InitiationTime + k*ReportingInterval, in its own session", async () => {
    const a = start(every60);
    await a.boot();
    expect(a.state()).toBe("idle");
    await a.advance(59_999);
    expect(a.calls.filter((c) => c.kind === "heartbeat")).toHaveLength(0);
    await a.advance(1);
    expect(a.state()).toBe("inHeartbeat");
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 60_000 });
    await a.end(ok);
    expect(a.state()).toBe("idle");
    await a.advance(60_000);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 120_000 });
    await a.end(ok);
    expect(a.calls.filter((c) => c.kind === "session")).toHaveLength(1);
  });

  it("§1.10-Heartbeat a heartbeat timer that fires before its instant by the wall clock runs one heartbeat for it, not two", async () => {
    const a = start(every60);
    a.wall.aheadMs = 8; // the timer armed at boot fires 8 ms early by the wall clock
    await a.boot();
    a.wall.aheadMs = 0;
    await a.advance(59_900);
    for (let t = 1; t <= 200; t += 1) {
      await a.advance(1);
      if (a.state() === "inHeartbeat") await a.end(ok);
    }
    await a.advance(59_900);
    if (a.state() === "inHeartbeat") await a.end(ok);
    expect(a.calls.filter((c) => c.kind === "heartbeat").map((c) => c.at)).toEqual([
      59_992, 120_000,
    ]);
  });

  it("§1.10-Heartbeat Unknown Time InitiationTime: the CPE picks a random reference", async () => {
    const a = start({ ...every60, initiationTime: UNKNOWN_TIME }, () => 0.25);
    await a.boot();
    await a.advance(14_999);
    expect(a.calls.filter((c) => c.kind === "heartbeat")).toHaveLength(0);
    await a.advance(1);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 15_000 });
  });

  it("§1.10-Heartbeat Enable=false: no heartbeat at all", async () => {
    const a = start({ ...every60, enable: false });
    await a.boot();
    await a.advance(600_000);
    expect(a.calls.map((c) => c.kind)).toEqual(["session"]);
  });

  it("§1.10-Heartbeat a heartbeat due during a session waits for its end; events raised meanwhile are not in it", async () => {
    const a = start(every60);
    await a.boot();
    await a.advance(59_000);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    expect(a.state()).toBe("inSession");
    await a.advance(1_000); // heartbeat due now, the session still runs
    expect(a.calls.at(-1)?.kind).toBe("session");
    a.actor.send({ type: "VALUE_CHANGE" }); // raised while the session runs
    await a.end(ok);
    expect(a.state()).toBe("inHeartbeat");
    a.actor.send({ type: "CONNECTION_REQUEST" }); // raised during the heartbeat
    await a.end(ok);
    // The events raised meanwhile go to the next normal session, not the heartbeat.
    const next = a.calls.at(-1)!;
    expect(next.kind).toBe("session");
    expect(next.input?.events.map((e) => e.eventCode)).toEqual([
      EventCode.ValueChange,
      EventCode.ConnectionRequest,
    ]);
    expect(next.input?.events.map((e) => e.eventCode)).not.toContain(EventCode.Heartbeat);
  });

  it("§1.10-Heartbeat a failed heartbeat is not retried: no session until the next one is due", async () => {
    const a = start(every60);
    await a.boot();
    await a.advance(60_000);
    await a.end(fail);
    expect(a.state()).toBe("idle");
    await a.advance(59_999);
    expect(a.calls).toHaveLength(2);
    await a.advance(1);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 120_000 });
    // A failed heartbeat leaves the normal sessions' RetryCount alone.
    await a.end(ok);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    expect(a.calls.at(-1)?.input?.retryCount).toBe(0);
  });

  it("§1.10-Heartbeat a heartbeat due while a failed normal session waits to retry is skipped", async () => {
    const a = start(every60, () => 0.99);
    a.actor.send({ type: "BOOT" });
    await flush();
    await a.advance(55_000);
    await a.end(fail); // retry wait 9.95 s: it spans the heartbeat at 60 s
    expect(a.state()).toBe("waitingRetry");
    await a.advance(10_000);
    expect(a.calls.map((c) => c.kind)).toEqual(["session", "session"]);
    await a.end(ok);
    expect(a.state()).toBe("idle");
    await a.advance(55_000);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 120_000 });
  });

  it("§1.10-Heartbeat a heartbeat that waited for a session which then failed is skipped, not run after the retry", async () => {
    const a = start(every60, () => 0.5);
    await a.boot();
    await a.advance(59_000);
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.advance(1_000); // due while the session runs
    await a.end(fail);
    expect(a.state()).toBe("waitingRetry");
    await a.advance(7_500); // retry 1 (u=0.5): 7.5 s
    expect(a.calls.at(-1)?.kind).toBe("session");
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.calls.filter((c) => c.kind === "heartbeat")).toHaveLength(0);
    await a.advance(52_500);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 120_000 });
  });

  it("§1.10-Heartbeat a policy set by the ACS arms the heartbeat after the session", async () => {
    const a = start({ ...every60, enable: false });
    await a.boot();
    a.actor.send({ type: "CONNECTION_REQUEST" });
    await flush();
    await a.end({
      outcome: "success",
      config: {
        ...defaultAgentTimingConfig,
        periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
        heartbeat: { enable: true, reportingIntervalSeconds: 30, initiationTime: midnight },
      },
    });
    await a.advance(30_000);
    expect(a.calls.at(-1)).toMatchObject({ kind: "heartbeat", at: 30_000 });
    await a.end({
      outcome: "success",
      config: {
        ...defaultAgentTimingConfig,
        periodic: { ...defaultAgentTimingConfig.periodic, enable: false },
        heartbeat: { enable: false, reportingIntervalSeconds: 30, initiationTime: midnight },
      },
    });
    await a.advance(300_000);
    expect(a.calls.filter((c) => c.kind === "heartbeat")).toHaveLength(1);
  });

  it("§1.10-Heartbeat a reboot asked in a heartbeat session is done after it", async () => {
    const a = start(every60);
    await a.boot();
    await a.advance(60_000);
    await a.end({ outcome: "success", afterSession: { reboot: { commandKey: "k" } } });
    expect(a.actor.getSnapshot().status).toBe("done");
    expect(a.actor.getSnapshot().output).toEqual({ reason: "reboot" });
  });
});
