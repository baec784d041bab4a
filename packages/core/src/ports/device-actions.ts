/**
 * The `DeviceActions` port: what only the device itself can do (reboot, factory reset, apply a
 * downloaded file), implemented by a plugin. The agent calls these after the session that
 * asked for them has ended.
 * @module
 */
import { Context, Data, type Effect } from "effect";

/** A downloaded file handed to the device. */
export interface DownloadedFile {
  readonly bytes: Uint8Array;
  /** The Download's FileType, e.g. `1 Firmware Upgrade Image`, `3 Vendor Configuration File`. */
  readonly fileType: string;
  /** The Download's TargetFileName (may be empty). */
  readonly targetFileName: string;
}

/** Why a device action failed. */
export type DeviceActionErrorReason = "Unsupported" | "Rejected" | "Failed";

/**
 * A failed device action; `faultCode` is the TR-069 fault to report (9001 request denied,
 * 9002 internal error, 9018 file corrupted, 9019 file authentication failure, ...).
 */
export class DeviceActionError extends Data.TaggedError("DeviceActionError")<{
  readonly reason: DeviceActionErrorReason;
  readonly faultCode: number;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `device action ${this.reason} (fault ${this.faultCode}): ${this.detail}`;
  }
}

/** Actions on the device. */
export interface DeviceActionsService {
  /** Reboots the device. Succeeds once the reboot is under way (the agent may be stopped by it). */
  readonly reboot: Effect.Effect<void, DeviceActionError>;
  /** Restores factory settings (then typically reboots). */
  readonly factoryReset: Effect.Effect<void, DeviceActionError>;
  /** Installs a firmware image (FileType `1 Firmware Upgrade Image`). */
  readonly applyFirmware: (file: DownloadedFile) => Effect.Effect<void, DeviceActionError>;
  /** Applies a configuration or other non-firmware file (FileType 2-5 or vendor types). */
  readonly applyConfig: (file: DownloadedFile) => Effect.Effect<void, DeviceActionError>;
}

/** The `DeviceActions` port. */
export class DeviceActions extends Context.Tag("@cpekit/core/DeviceActions")<
  DeviceActions,
  DeviceActionsService
>() {}
