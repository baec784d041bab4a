/**
 * The agent machine's triggers in every state that takes them: during the boot, during a
 * session, from idle, and while an active notification waits for the throttle (§1.5, §1.7 C5,
 * §1.10 DefaultActiveNotificationThrottle).
 */
import { describe, expect, it } from "vitest";
import type { AgentEvent } from "./agent.machine.js";
import { EventCode } from "./event-codes.js";
import { flush, ok, startAgentMachine } from "./test-support/agent-machine-harness.js";

/** The triggers that start a session, with the event code each one raises (if any). */
const triggers: ReadonlyArray<readonly [AgentEvent["type"], readonly string[]]> = [
  ["PERIODIC_DUE", [EventCode.Periodic]],
  ["SCHEDULED_DUE", []],
  ["CONNECTION_REQUEST", [EventCode.ConnectionRequest]],
  ["TRANSFER_DONE", []],
  ["REQUEST_QUEUED", []],
];

describe("agent machine triggers", () => {
  it("§1.5 the boot session carries no trigger event; the events triggers raise have an empty CommandKey", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    expect(a.normal()[0]?.input?.events).toEqual([]);
    await a.send(
      { type: "PERIODIC_DUE" },
      { type: "CONNECTION_REQUEST" },
      { type: "VALUE_CHANGE" },
    );
    await a.end(ok);
    expect(a.normal()[1]?.input?.events).toEqual([
      { eventCode: EventCode.Periodic, commandKey: "" },
      { eventCode: EventCode.ConnectionRequest, commandKey: "" },
      { eventCode: EventCode.ValueChange, commandKey: "" },
    ]);
  });

  it("§1.5 triggers raised while the boot runs go with the boot session, and want no session after it", async () => {
    const a = startAgentMachine({ manualBoot: true });
    await a.send({ type: "BOOT" }, { type: "CONNECTION_REQUEST" }, { type: "VALUE_CHANGE" });
    expect(a.state()).toBe("booting");
    a.boots[0]!.resolve({});
    await flush();
    expect(a.codesOf(0)).toEqual([EventCode.ConnectionRequest, EventCode.ValueChange]);
    await a.end(ok);
    expect(a.state()).toBe("idle");
    expect(a.normal()).toHaveLength(1);
  });

  it.each(triggers)(
    "§1.7 C5 %s raised during the boot starts one session after the boot session",
    async (type, codes) => {
      const a = startAgentMachine({ manualBoot: true });
      await a.send({ type: "BOOT" });
      a.boots[0]!.resolve({});
      await flush();
      await a.send({ type });
      await a.end(ok);
      expect(a.state()).toBe("inSession");
      expect(a.normal()).toHaveLength(2);
      expect(a.codesOf(1)).toEqual(codes);
    },
  );

  it.each(triggers)(
    "§1.7 C5 %s raised during a session starts one session after it",
    async (type, codes) => {
      // A throttle in force: only an active notification alone may wait for it.
      const a = startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });
      await a.send({ type: "BOOT" });
      await a.end(ok);
      await a.send({ type: "CONNECTION_REQUEST" });
      await a.send({ type });
      await a.end(ok);
      expect(a.state()).toBe("inSession");
      expect(a.codesOf(2)).toEqual(codes);
      await a.end(ok);
      expect(a.state()).toBe("idle");
    },
  );

  it.each(triggers)("§1.5 %s starts a session at once from idle", async (type, codes) => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    expect(a.state()).toBe("idle");
    await a.send({ type });
    expect(a.state()).toBe("inSession");
    expect(a.codesOf(1)).toEqual(codes);
  });
  it("§1.5 a value change starts a session at once from idle when no throttle is set, carrying 4 VALUE CHANGE", async () => {
    const a = startAgentMachine();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("inSession");
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange]);
  });
});

describe("agent machine throttle (§1.10 DefaultActiveNotificationThrottle)", () => {
  const throttled = () => startAgentMachine({ config: { activeNotificationThrottleSeconds: 30 } });

  it("§1.10 a value change raised after another trigger in the same session does not make the next session wait", async () => {
    const a = throttled();
    await a.send({ type: "BOOT" });
    await a.send({ type: "CONNECTION_REQUEST" }, { type: "VALUE_CHANGE" });
    await a.end(ok);
    expect(a.state()).toBe("inSession");
    expect(a.codesOf(1)).toEqual([EventCode.ConnectionRequest, EventCode.ValueChange]);
  });

  it("§1.10 a value change alone during a session waits for the throttle after it", async () => {
    const a = throttled();
    await a.send({ type: "BOOT" });
    await a.send({ type: "VALUE_CHANGE" });
    await a.end(ok);
    expect(a.state()).toBe("throttled");
    await a.advance(29_999);
    expect(a.normal()).toHaveLength(1);
    await a.advance(1);
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 every value change raised during the throttle wait goes with the session it releases", async () => {
    const a = throttled();
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(10_000);
    await a.send({ type: "VALUE_CHANGE" });
    await a.advance(10_000);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("throttled");
    await a.advance(10_000);
    expect(a.codesOf(1)).toEqual([EventCode.ValueChange, EventCode.ValueChange]);
  });

  it("§1.10 the throttle counts from the end of the latest session", async () => {
    const a = throttled();
    await a.send({ type: "BOOT" });
    await a.end(ok); // t = 0
    await a.advance(20_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(ok); // t = 20 s: the throttle runs to 50 s
    await a.advance(15_000);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("throttled");
    await a.advance(14_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.normal()).toHaveLength(3);
    expect(a.codesOf(2)).toEqual([EventCode.ValueChange]);
  });

  it("§1.10 a throttle the ACS sets to 0 lets the next value change go at once", async () => {
    const a = throttled();
    await a.send({ type: "BOOT" });
    await a.end(ok); // the 30 s throttle starts
    await a.advance(5_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    const config = a.snapshot().context.config;
    await a.end({ ...ok, config: { ...config, activeNotificationThrottleSeconds: 0 } });
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("inSession");
  });

  it("§1.10-Heartbeat a heartbeat due during the throttle wait runs; the value change waits for the throttle after it", async () => {
    const a = startAgentMachine({
      config: {
        activeNotificationThrottleSeconds: 30,
        heartbeat: {
          enable: true,
          reportingIntervalSeconds: 60,
          initiationTime: "1970-01-01T00:00:00Z",
        },
      },
    });
    await a.send({ type: "BOOT" });
    await a.end(ok);
    await a.advance(50_000);
    await a.send({ type: "CONNECTION_REQUEST" });
    await a.end(ok); // t = 50 s: throttled to 80 s
    await a.advance(5_000);
    await a.send({ type: "VALUE_CHANGE" });
    expect(a.state()).toBe("throttled");
    await a.advance(5_000); // t = 60 s: the heartbeat
    expect(a.state()).toBe("inHeartbeat");
    await a.end(ok); // its end restarts the throttle: to 90 s
    expect(a.state()).toBe("throttled");
    await a.advance(29_999);
    expect(a.normal()).toHaveLength(2);
    await a.advance(1);
    expect(a.codesOf(2)).toEqual([EventCode.ValueChange]);
    await a.end(ok);
    // The heartbeat timer was re-armed when the one at 60 s fired: the next is at 120 s.
    await a.advance(30_000);
    expect(a.heartbeats().map((s) => s.at)).toEqual([60_000, 120_000]);
  });
});
