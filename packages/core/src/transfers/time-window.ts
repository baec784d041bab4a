/**
 * ScheduleDownload time windows (requirements section 1.13): validation of the request's
 * `TimeWindowList` and the choice of the window a download runs in.
 * @module
 */
import { Either } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { TimeWindowStruct } from "../soap/rpc-structs.js";
import type { TransferWindow } from "./transfer-record.js";

/** WindowMode values the agent runs without a user: at any time, immediately, when idle. */
const AUTOMATIC_MODES = ["1 At Any Time", "2 Immediately", "3 When Idle"] as const;
/** WindowMode that needs a user's confirmation, which a headless agent never gets. */
const CONFIRMATION_MODE = "4 Confirmation Needed";

/**
 * Turns the request's windows (seconds from `now`) into absolute ones. Fault 9003 for: no
 * window or more than two, a window that ends before it starts, overlapping or unordered
 * windows, or an unknown WindowMode (vendor `X ...` modes are accepted and run as "at any time").
 */
export const resolveTimeWindows = (
  windows: readonly TimeWindowStruct[],
  now: number,
): Either.Either<readonly TransferWindow[], CwmpFault> => {
  if (windows.length < 1 || windows.length > 2)
    return Either.left(cwmpFault(9003, "TimeWindowList must hold one or two windows"));
  const resolved: TransferWindow[] = [];
  for (const w of windows) {
    if (!(w.windowEnd > w.windowStart) || w.windowStart < 0)
      return Either.left(cwmpFault(9003, "WindowEnd must be after WindowStart"));
    const knownMode =
      (AUTOMATIC_MODES as readonly string[]).includes(w.windowMode) ||
      w.windowMode === CONFIRMATION_MODE ||
      w.windowMode.startsWith("X ");
    if (!knownMode) return Either.left(cwmpFault(9003, `unknown WindowMode ${w.windowMode}`));
    const previous = resolved.at(-1);
    if (previous !== undefined && now + w.windowStart * 1000 < previous.end)
      return Either.left(cwmpFault(9003, "time windows must be in order and must not overlap"));
    resolved.push({
      start: now + w.windowStart * 1000,
      end: now + w.windowEnd * 1000,
      mode: w.windowMode,
      maxRetries: w.maxRetries,
    });
  }
  return Either.right(resolved);
};

/** True when a window can be used without a user (see {@link resolveTimeWindows}). */
export const isAutomaticWindow = (w: TransferWindow): boolean => w.mode !== CONFIRMATION_MODE;

/**
 * The window a download may run in at `now`: the first automatic window not yet over.
 * `open` says whether `now` is inside it; `undefined` when every window is over (fault 9020).
 */
export const currentWindow = (
  windows: readonly TransferWindow[],
  now: number,
): { readonly window: TransferWindow; readonly open: boolean } | undefined => {
  const next = windows.find((w) => isAutomaticWindow(w) && w.end > now);
  return next === undefined ? undefined : { window: next, open: next.start <= now };
};
