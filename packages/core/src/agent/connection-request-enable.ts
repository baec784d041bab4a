/**
 * `ManagementServer.HTTPConnectionRequestEnable` (requirement C6, TR-181 Device:2.11+): when
 * false the Connection Request port is closed and `ConnectionRequestURL` is empty; when true
 * (the default) the server listens again and its URL is published again. The agent applies it
 * at start and after each successful session (where an ACS SetParameterValues takes effect).
 * @module
 */
import { Effect, Option } from "effect";
import type { DataModel } from "../datamodel/data-model.js";
import type { ConnectionRequestsService } from "../ports/connection-requests.js";
import {
  type ConnectionRequestUrlUpdate,
  publishConnectionRequestUrl,
} from "./connection-request-url.js";
import { readDeviceValues } from "./device-values.js";

/** What the Connection Request side reads: the enable switch and the URL published last. */
interface ConnectionRequestSettings {
  /** `HTTPConnectionRequestEnable` allows Connection Requests. */
  readonly enabled: boolean;
  /** `ConnectionRequestURL` as stored (none when the model lacks it). */
  readonly storedUrl: Option.Option<string>;
}

/**
 * Reads `<prefix>HTTPConnectionRequestEnable` and `<prefix>ConnectionRequestURL` in one
 * data-model call (after every session). An absent, unreadable or malformed enable value means
 * enabled: older models (IGD, Device:2 before 2.11) lack the parameter, and a device must not
 * become unreachable by a value it cannot read.
 */
const readConnectionRequestSettings = (
  model: Pick<DataModel, "getDeviceValues">,
  prefix: string,
): Effect.Effect<ConnectionRequestSettings> =>
  Effect.map(
    readDeviceValues(model, [
      `${prefix}HTTPConnectionRequestEnable`,
      `${prefix}ConnectionRequestURL`,
    ]),
    (get) => ({
      enabled: Option.match(get(`${prefix}HTTPConnectionRequestEnable`), {
        onNone: () => true,
        onSome: (v) => !(v === "false" || v === "0"),
      }),
      storedUrl: get(`${prefix}ConnectionRequestURL`),
    }),
  );

/**
 * When the setting is applied. `"start"`: the URL is published as {@link publishConnectionRequestUrl}
 * does (a change is reported by the boot Inform). `"session"`: the change follows the ACS's own
 * SetParameterValues, and changes the ACS made are not notified (A.3.2.4); the URL still goes
 * out in every Inform as a forced-inform parameter (C7).
 */
export type ConnectionRequestEnableCause = "start" | "session";

/**
 * Reads HTTPConnectionRequestEnable, switches the server (`setEnabled`, when it has one) and
 * publishes `ConnectionRequestURL`: the server's URL when enabled, "" when disabled.
 */
export const applyHttpConnectionRequestEnable = (
  model: Pick<DataModel, "getDeviceValues" | "recordChanges" | "clearPendingNotifications">,
  prefix: string,
  server: Pick<ConnectionRequestsService, "url" | "setEnabled">,
  cause: ConnectionRequestEnableCause,
): Effect.Effect<ConnectionRequestUrlUpdate> =>
  Effect.gen(function* () {
    const { enabled, storedUrl } = yield* readConnectionRequestSettings(model, prefix);
    if (server.setEnabled !== undefined) yield* server.setEnabled(enabled);
    const update = yield* publishConnectionRequestUrl(
      model,
      prefix,
      enabled ? server.url : "",
      storedUrl,
    );
    if (update === "changed" && cause === "session")
      yield* model.clearPendingNotifications([`${prefix}ConnectionRequestURL`]);
    return update;
  });
