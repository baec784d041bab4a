/**
 * Publishing the UDP Connection Request binding in the device's data model (requirement
 * section 1.8): `ManagementServer.UDPConnectionRequestAddress` and `NATDetected` follow the
 * binding the STUN client learned (or the local address with STUN off). Both are read-only
 * for the ACS, so they are written as device-side changes (`recordChanges`): a new address is
 * a value change, and with active notification on the parameter the agent starts a session
 * with `4 VALUE CHANGE` at once, so the ACS learns where to send the next request.
 *
 * TR-181 gives UDPConnectionRequestAddress `activeNotify="normal"` (off until the ACS sets
 * it); {@link activeUdpConnectionRequestAddress} makes it active by default, as
 * ConnectionRequestURL is, for devices whose ACS relies on UDP requests.
 * @module
 */
import { type DataModel, type DataModelSchema, makeSchema } from "@cpekit/core";
import type { Effect, Stream } from "effect";
import {
  followPublication,
  type PublicationTarget,
  recordChangedValues,
} from "./internal/device-side-publication.js";
import type { UdpBinding } from "./stun-client.js";

/** The ManagementServer parameters of Annex G (relative names), for profile path lists. */
export const UDP_CONNECTION_REQUEST_PARAMETERS: readonly string[] = [
  "UDPConnectionRequestAddress",
  "STUNEnable",
  "STUNServerAddress",
  "STUNServerPort",
  "STUNUsername",
  "STUNPassword",
  "STUNMaximumKeepAlivePeriod",
  "STUNMinimumKeepAlivePeriod",
  "NATDetected",
];

/**
 * Writes the binding under `prefix`; returns the names whose notification became pending.
 * Parameters the model lacks are skipped; unchanged values are not written.
 */
export const publishUdpBinding = (
  model: Pick<DataModel, "getDeviceValues" | "recordChanges">,
  prefix: string,
  binding: UdpBinding,
): Effect.Effect<readonly string[]> =>
  recordChangedValues(model, [
    { path: `${prefix}UDPConnectionRequestAddress`, value: binding.address },
    { path: `${prefix}NATDetected`, value: String(binding.natDetected) },
  ]);

/** What the binding is published into: the agent's data model and its value-change signal. */
export type BindingTarget = PublicationTarget;

/** Publishes every new binding of `bindings` into `target` until interrupted (fork it). */
export const followUdpBinding = (
  bindings: Stream.Stream<UdpBinding>,
  target: BindingTarget,
  prefix: string,
): Effect.Effect<void> =>
  followPublication(bindings, target, (model, b) => publishUdpBinding(model, prefix, b));

/**
 * `schema` with `<prefix>UDPConnectionRequestAddress` active by default
 * (`forceDefaultEnabled`: notification 2 until the ACS turns it off). The schema is returned
 * unchanged when it lacks the parameter.
 */
export const activeUdpConnectionRequestAddress = (
  schema: DataModelSchema,
  prefix = `${schema.root}.ManagementServer.`,
): DataModelSchema => {
  const path = `${prefix}UDPConnectionRequestAddress`;
  const p = schema.parameters.get(path);
  if (p === undefined) return schema;
  return makeSchema({
    root: schema.root,
    version: schema.version,
    objects: [...schema.objects.values()],
    parameters: [...schema.parameters.values()].map((q) =>
      q.path === path ? { ...q, activeNotify: "forceDefaultEnabled" as const } : q,
    ),
  });
};
