/**
 * Publishes the Connection Request server's URL as `ManagementServer.ConnectionRequestURL`
 * (requirement C1). The parameter is read-only for the ACS, so it is written as a device-side
 * change (`recordChanges`): a URL that differs from the stored one (a new address or port after
 * a restart) is a value change, and with the parameter's default active notification
 * (`forceDefaultEnabled`, C7) the next Inform carries `4 VALUE CHANGE` with it.
 * @module
 */
import { Effect, Option } from "effect";
import type { DataModel } from "../datamodel/data-model.js";
import { readDeviceValue } from "./device-value.js";

/** How the stored ConnectionRequestURL was brought up to date. */
export type ConnectionRequestUrlUpdate =
  /** The model has no such parameter. */
  | "absent"
  /** The stored value already was this URL. */
  | "unchanged"
  /** Nothing was published before (first start): the value is set without a notification. */
  | "first"
  /** The URL changed: a value change is pending (when its notification is on). */
  | "changed";

/**
 * Writes `url` into `<prefix>ConnectionRequestURL`. A first value (the stored one was empty) is
 * not reported as a change: the BOOTSTRAP Inform carries the forced-inform parameter anyway,
 * and a factory-new device has no previous address the ACS could hold. `stored`, when given,
 * is the value just read (with other settings, in one call); otherwise it is read here.
 */
export const publishConnectionRequestUrl = (
  model: Pick<DataModel, "getDeviceValues" | "recordChanges" | "clearPendingNotifications">,
  prefix: string,
  url: string,
  stored?: Option.Option<string>,
): Effect.Effect<ConnectionRequestUrlUpdate> =>
  Effect.gen(function* () {
    const name = `${prefix}ConnectionRequestURL`;
    const current = stored ?? (yield* readDeviceValue(model, name));
    if (Option.isNone(current)) return "absent";
    if (current.value === url) return "unchanged";
    const pending = yield* Effect.orElseSucceed(
      model.recordChanges([{ path: name, value: url }]),
      () => [] as readonly string[],
    );
    if (current.value === "") {
      yield* model.clearPendingNotifications(pending);
      return "first";
    }
    return "changed";
  });
