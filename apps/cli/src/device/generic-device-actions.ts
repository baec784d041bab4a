/**
 * The `DeviceActions` of the generic device, whose whole state is the store: a reboot or a
 * factory reset is carried out by the device supervisor once the agent has stopped (see
 * `start-device.ts`), and a downloaded file is accepted and reported but goes nowhere.
 * @module
 */
import type { DeviceActionsService } from "@cpekit/core";
import { Effect } from "effect";
import type { DeviceEventSink } from "./device-event.js";

/** The generic device's actions, reporting to `sink`. */
export const genericDeviceActions = (sink: DeviceEventSink): DeviceActionsService => ({
  // The agent stops after this succeeds; the supervisor sees why and restarts it.
  reboot: Effect.void,
  factoryReset: Effect.void,
  applyFirmware: (file) =>
    Effect.sync(() =>
      sink({
        type: "firmwareApplied",
        bytes: file.bytes.byteLength,
        targetFileName: file.targetFileName,
      }),
    ),
  applyConfig: (file) =>
    Effect.sync(() =>
      sink({ type: "fileApplied", fileType: file.fileType, bytes: file.bytes.byteLength }),
    ),
});
