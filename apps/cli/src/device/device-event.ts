/**
 * What a running device reports to the command that runs it (the `run` log, the demo
 * transcript): its starts and restarts, what the ACS made it do, and the wire traffic.
 * @module
 */
import type { TrafficEvent } from "./observed-transport.js";

/** One thing that happened to a running device. */
export type DeviceEvent =
  /** The agent started (`boot` counts starts of this process: 1, then 2 after a reboot...). */
  | { readonly type: "started"; readonly boot: number; readonly connectionRequestUrl: string }
  /** A downloaded firmware image was handed to the device. */
  | {
      readonly type: "firmwareApplied";
      readonly bytes: number;
      readonly targetFileName: string;
    }
  /** A downloaded configuration (or other non-firmware) file was handed to the device. */
  | { readonly type: "fileApplied"; readonly fileType: string; readonly bytes: number }
  /** The ACS asked for a reboot (or factory reset); the agent restarts over the same store. */
  | { readonly type: "restarting"; readonly reason: "reboot" | "factoryReset" }
  | { readonly type: "traffic"; readonly event: TrafficEvent };

/** Receives a device's events; must not throw (it runs inside the agent's effects). */
export type DeviceEventSink = (event: DeviceEvent) => void;
