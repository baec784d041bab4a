/**
 * Test stand-ins for the device ports an agent test rarely looks at, and the device identity
 * the agent tests share: one definition instead of a copy in every agent test.
 * @module
 */
import { Effect, Layer } from "effect";
import type { DeviceIdStruct } from "../../cwmp/structs.js";
import { DeviceActions, type DeviceActionsService } from "../../ports/device-actions.js";
import { FileTransfer } from "../../ports/file-transfer.js";

/** The DeviceId every agent test runs with. */
export const testDeviceId: DeviceIdStruct = {
  manufacturer: "cpekit",
  oui: "A1B2C3",
  productClass: "Sim",
  serialNumber: "1",
};

/**
 * `DeviceActions` whose every action succeeds at once, and a `FileTransfer` whose transfers
 * succeed with nothing; `reboot` replaces the reboot action (to count reboots, say).
 */
export const stubDevicePorts = (
  reboot: DeviceActionsService["reboot"] = Effect.void,
): Layer.Layer<DeviceActions | FileTransfer> =>
  Layer.merge(
    Layer.succeed(DeviceActions, {
      reboot,
      factoryReset: Effect.void,
      applyFirmware: () => Effect.void,
      applyConfig: () => Effect.void,
    }),
    Layer.succeed(FileTransfer, {
      download: () => Effect.succeed({ bytes: new Uint8Array(), startTime: 0, completeTime: 0 }),
      upload: () => Effect.succeed({ status: 200, startTime: 0, completeTime: 0 }),
    }),
  );
