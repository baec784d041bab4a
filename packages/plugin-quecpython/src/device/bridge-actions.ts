/**
 * The `DeviceActions` of a QuecPython module, run through the bridge's actions: Reboot is the
 * bridge's `reboot` (`Power.powerRestart()` once the reply is sent), a firmware Download is
 * `fota` (`fota(reset_disable=1).httpDownload`, then a restart), any other file type is
 * `appFota` (`app_fota` download into `/usr`, update flag, restart), FactoryReset does what the
 * profile chose. Each action waits for the module to come back, so the next Inform reads the
 * restarted module (its new SoftwareVersion after a firmware upgrade).
 * @module
 */
import { DeviceActionError, type DeviceActionsService, type DownloadedFile } from "@cpekit/core";
import { Effect } from "effect";
import type { BridgeLink } from "../link/bridge-link.js";
import { BridgeLinkError } from "../link/bridge-link-error.js";
import type { JsonValue } from "../link/messages.js";
import type { DownloadUrlBook } from "./download-url-book.js";
import { installFaultCode } from "./fota-fault.js";
import { watchRestart, whenLinkReady } from "./link-ready.js";

/**
 * What FactoryReset does on the module: `module` runs the bridge's `factoryReset` action (by
 * default it removes the user files under `/usr` except the bridge, then restarts), `reboot`
 * only restarts the module, `none` leaves the module alone. In every case the agent forgets
 * its own state (the next Inform is a `0 BOOTSTRAP`).
 */
export type FactoryResetMode = "module" | "reboot" | "none";

/** Options of {@link makeBridgeDeviceActions}. */
export interface BridgeDeviceActionsOptions {
  readonly urls: DownloadUrlBook;
  /** Default `module`. */
  readonly factoryReset?: FactoryResetMode;
  /** How long to wait for the module to come back after a restart, in ms (default 120 000). */
  readonly restartTimeoutMs?: number;
  /** Longest firmware / file download on the module, in seconds (default 600). */
  readonly downloadTimeoutSeconds?: number;
  /** Where a file without a usable TargetFileName is stored (default `/usr/cpekit_config.bin`). */
  readonly defaultConfigFile?: string;
}

const message = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/**
 * The module path a downloaded file is written to: its TargetFileName's last segment under
 * `/usr` (never outside it), or `fallback`.
 */
export const configFilePath = (targetFileName: string, fallback: string): string => {
  const base = targetFileName.split(/[\\/]/).pop() ?? "";
  return /^[A-Za-z0-9._-]{1,64}$/.test(base) && base !== "." && base !== ".."
    ? `/usr/${base}`
    : fallback;
};

/** Device actions over `link`. */
export const makeBridgeDeviceActions = (
  link: BridgeLink,
  options: BridgeDeviceActionsOptions,
): DeviceActionsService => {
  const restartTimeoutMs = options.restartTimeoutMs ?? 120_000;
  const downloadSeconds = options.downloadTimeoutSeconds ?? 600;

  /**
   * Runs an action that restarts the module, then waits for the module to be back. With
   * `lostMeansDone`, a port lost before the reply (the restart outran it) counts as done.
   */
  const restarting = (
    action: string,
    args: Readonly<Record<string, JsonValue>>,
    timeoutMs: number,
    faultOf: (cause: unknown) => number,
    lostMeansDone = false,
  ): Effect.Effect<void, DeviceActionError> =>
    Effect.tryPromise({
      try: async () => {
        await whenLinkReady(link, restartTimeoutMs, () => Promise.resolve());
        const restart = watchRestart(link);
        try {
          await link.action(action, args, { timeoutMs });
        } catch (cause) {
          const lost = cause instanceof BridgeLinkError && cause.reason === "Disconnected";
          if (!(lost && lostMeansDone)) {
            restart.cancel();
            throw cause;
          }
        }
        await restart.wait(restartTimeoutMs);
      },
      catch: (cause) =>
        new DeviceActionError({
          reason: "Failed",
          faultCode: faultOf(cause),
          detail: `${action}: ${message(cause)}`,
          cause,
        }),
    });

  const urlOf = (file: DownloadedFile): Effect.Effect<string, DeviceActionError> => {
    const request = options.urls.requestOf(file.bytes);
    return request === undefined
      ? Effect.fail(
          new DeviceActionError({
            reason: "Unsupported",
            faultCode: 9010,
            detail:
              "the module downloads the file itself and its URL is unknown (wrap the FileTransfer with the device's fileTransfer())",
          }),
        )
      : Effect.succeed(request.url);
  };

  const emptyFile = (file: DownloadedFile) =>
    file.bytes.length === 0
      ? Effect.fail(
          new DeviceActionError({
            reason: "Rejected",
            faultCode: 9018,
            detail: "the downloaded file is empty",
          }),
        )
      : Effect.void;

  // The action's own time-out covers the download on the module plus the reply.
  const downloadTimeoutMs = downloadSeconds * 1000 + 10_000;

  return {
    reboot: restarting("reboot", {}, 10_000, () => 9002, true),
    factoryReset:
      options.factoryReset === "none"
        ? Effect.void
        : restarting(
            options.factoryReset === "reboot" ? "reboot" : "factoryReset",
            {},
            30_000,
            () => 9002,
            true,
          ),
    applyFirmware: (file) =>
      Effect.gen(function* () {
        yield* emptyFile(file);
        const url = yield* urlOf(file);
        yield* restarting(
          "fota",
          { url, timeout: downloadSeconds },
          downloadTimeoutMs,
          installFaultCode,
        );
      }),
    applyConfig: (file) =>
      Effect.gen(function* () {
        yield* emptyFile(file);
        const url = yield* urlOf(file);
        const target = configFilePath(
          file.targetFileName,
          options.defaultConfigFile ?? "/usr/cpekit_config.bin",
        );
        yield* restarting("appFota", { url, file: target }, downloadTimeoutMs, installFaultCode);
      }),
  };
};
