import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { cwmpFault } from "../cwmp/fault.js";
import { defaultAgentTimingConfig } from "./agent-config.js";
import { readTimingConfig } from "./management-server-config.js";

/** A model that answers from a plain record and faults 9005 on anything else. */
const modelOf = (values: Record<string, string>) => ({
  getParameterValues: (names: readonly string[]) => {
    const name = names[0] ?? "";
    const value = values[name];
    return value === undefined
      ? Effect.fail(cwmpFault(9005))
      : Effect.succeed([{ name, value, type: "string" }]);
  },
});

const read = (values: Record<string, string>) =>
  Effect.runSync(
    readTimingConfig(modelOf(values), "Device.ManagementServer.", defaultAgentTimingConfig),
  );

describe("ManagementServer timing settings", () => {
  it("§1.6 takes CWMPRetryMinimumWaitInterval and CWMPRetryIntervalMultiplier from the model", () => {
    const t = read({
      "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "10",
      "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1500",
      "Device.ManagementServer.PeriodicInformInterval": "600",
    });
    expect(t.retry).toEqual({ minimumWaitInterval: 10, intervalMultiplier: 1500 });
    expect(t.periodic.intervalSeconds).toBe(600);
  });

  it("§1.6 an unset (0) or out-of-range value keeps the default, so a down ACS is never retried in a tight loop", () => {
    const t = read({
      "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "0",
      "Device.ManagementServer.CWMPRetryIntervalMultiplier": "999",
      "Device.ManagementServer.PeriodicInformInterval": "0",
      "Device.ManagementServer.DefaultActiveNotificationThrottle": "abc",
    });
    expect(t.retry).toEqual(defaultAgentTimingConfig.retry);
    expect(t.periodic.intervalSeconds).toBe(defaultAgentTimingConfig.periodic.intervalSeconds);
    expect(t.activeNotificationThrottleSeconds).toBe(
      defaultAgentTimingConfig.activeNotificationThrottleSeconds,
    );
  });

  it("keeps the defaults for parameters the model does not have", () => {
    expect(read({})).toEqual(defaultAgentTimingConfig);
  });

  it("reads the six timing settings in one data-model call when the model has them all, and one by one (same values) when it lacks one", () => {
    const all: Record<string, string> = {
      "Device.ManagementServer.PeriodicInformTime": "2026-01-01T00:00:00Z",
      "Device.ManagementServer.CWMPRetryMinimumWaitInterval": "10",
      "Device.ManagementServer.CWMPRetryIntervalMultiplier": "1500",
      "Device.ManagementServer.PeriodicInformEnable": "false",
      "Device.ManagementServer.PeriodicInformInterval": "600",
      "Device.ManagementServer.DefaultActiveNotificationThrottle": "30",
    };
    /** Answers every name of a call, or faults 9005 when one is missing; counts the calls. */
    const counting = (values: Record<string, string>) => {
      const calls: number[] = [];
      const model = {
        getParameterValues: (names: readonly string[]) => {
          calls.push(names.length);
          return names.every((n) => values[n] !== undefined)
            ? Effect.succeed(
                names.map((name) => ({ name, value: values[name] ?? "", type: "string" })),
              )
            : Effect.fail(cwmpFault(9005));
        },
      };
      const config = Effect.runSync(
        readTimingConfig(model, "Device.ManagementServer.", defaultAgentTimingConfig),
      );
      return { calls, config };
    };
    const expected = {
      ...defaultAgentTimingConfig,
      retry: { minimumWaitInterval: 10, intervalMultiplier: 1500 },
      periodic: { enable: false, intervalSeconds: 600, time: "2026-01-01T00:00:00Z" },
      activeNotificationThrottleSeconds: 30,
    };
    const batched = counting(all);
    expect(batched.config).toEqual(expected);
    // One call for the six, one for the heartbeat policy's Enable (absent here).
    expect(batched.calls).toEqual([6, 1]);
    const { "Device.ManagementServer.PeriodicInformTime": _, ...withoutTime } = all;
    const single = counting(withoutTime);
    expect(single.config).toEqual({
      ...expected,
      periodic: { ...expected.periodic, time: defaultAgentTimingConfig.periodic.time },
    });
    expect(single.calls).toEqual([6, 1, 1, 1, 1, 1, 1, 1]);
  });
});
