/**
 * The `ManagementServer` values that drive the agent machine's timers.
 * @module
 */
import type { HeartbeatSettings } from "./heartbeat-policy.js";
import type { PeriodicInformSettings } from "./periodic-schedule.js";
import { defaultRetryParameters, type RetryParameters } from "./retry-policy.js";

/** Timing settings of one agent, read from `Device.ManagementServer.*`. */
export interface AgentTimingConfig {
  /** `CWMPRetryMinimumWaitInterval` / `CWMPRetryIntervalMultiplier`. */
  readonly retry: RetryParameters;
  /** `PeriodicInformEnable` / `PeriodicInformInterval` / `PeriodicInformTime`. */
  readonly periodic: PeriodicInformSettings;
  /** `DefaultActiveNotificationThrottle`, seconds (0: no throttle). */
  readonly activeNotificationThrottleSeconds: number;
  /** `HeartbeatPolicy` (Annex O); absent: no heartbeat. */
  readonly heartbeat?: HeartbeatSettings;
}

/** The TR-181 defaults (periodic Inform every hour from an unknown phase, no throttle). */
export const defaultAgentTimingConfig: AgentTimingConfig = {
  retry: defaultRetryParameters,
  periodic: { enable: true, intervalSeconds: 3600, time: "0001-01-01T00:00:00Z" },
  activeNotificationThrottleSeconds: 0,
};
