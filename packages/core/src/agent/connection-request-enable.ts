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
import { readDeviceValue } from "./device-value.js";
import { readDeviceValues } from "./device-values.js";

/** Whether a read HTTPConnectionRequestEnable allows Connection Requests (see below). */
const httpConnectionRequestEnabled = (value: Option.Option<string>): boolean =>
  Option.match(value, {
    onNone: () => true,
    onSome: (v) => !(v === "false" || v === "0"),
  });

/**
 * Whether `<prefix>HTTPConnectionRequestEnable` allows Connection Requests. An absent,
 * unreadable or malformed value means enabled: older models (IGD, Device:2 before 2.11) lack
 * the parameter, and a device must not become unreachable by a value it cannot read.
 */
export const readHttpConnectionRequestEnable = (
  model: Pick<DataModel, "getDeviceValues">,
  prefix: string,
): Effect.Effect<boolean> =>
  Effect.map(
    readDeviceValue(model, `${prefix}HTTPConnectionRequestEnable`),
    httpConnectionRequestEnabled,
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
    // Both settings in one data-model call: this runs after every session.
    const urlName = `${prefix}ConnectionRequestURL`;
    const get = yield* readDeviceValues(model, [`${prefix}HTTPConnectionRequestEnable`, urlName]);
    const enabled = httpConnectionRequestEnabled(get(`${prefix}HTTPConnectionRequestEnable`));
    if (server.setEnabled !== undefined) yield* server.setEnabled(enabled);
    const update = yield* publishConnectionRequestUrl(
      model,
      prefix,
      enabled ? server.url : "",
      get(urlName),
    );
    if (update === "changed" && cause === "session")
      yield* model.clearPendingNotifications([`${prefix}ConnectionRequestURL`]);
    return update;
  });
