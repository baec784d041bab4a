/**
 * The XMPP connection request in the device's data model (requirement section 1.9):
 * ManagementServer.ConnReqXMPPConnection picks the `Device.XMPP.Connection.{i}` whose settings
 * the stream uses, ConnReqAllowedJabberIDs lists who may send requests, and the JID the
 * server bound is published as ConnReqJabberID (and the connection's JabberID). Both are
 * read-only for the ACS, so they are written as device-side changes (`recordChanges`);
 * TR-181 makes ConnReqJabberID active by default (`forceDefaultEnabled`), so a new JID
 * starts a session with `4 VALUE CHANGE`.
 * @module
 */
import { type DataModel, type ParameterChange, readDeviceValue } from "@cpekit/core";
import { Effect, Option, Ref, type Stream } from "effect";
import {
  followPublication,
  type PublicationTarget,
  recordChangedValues,
} from "./internal/device-side-publication.js";
import { allowedJabberIdList } from "./xmpp-connection-request-decision.js";
import { readXmppSettings, type XmppSettings } from "./xmpp-settings.js";

/** The ManagementServer parameters of Annex K (relative names), for profile path lists. */
export const XMPP_CONNECTION_REQUEST_PARAMETERS: readonly string[] = [
  "ConnReqXMPPConnection",
  "ConnReqAllowedJabberIDs",
  "ConnReqJabberID",
];

/** The parameters of one `XMPP.Connection.{i}` the device uses (relative names). */
export const XMPP_CONNECTION_PARAMETERS: readonly string[] = [
  "Enable",
  "Username",
  "Password",
  "Domain",
  "Resource",
  "JabberID",
  "ServerConnectAlgorithm",
  "KeepAliveInterval",
  "ServerRetryInitialInterval",
  "ServerRetryIntervalMultiplier",
  "ServerRetryMaxInterval",
  "UseTLS",
];

/** The object prefix a ConnReqXMPPConnection value names (`Device.XMPP.Connection.1.`). */
export const xmppConnectionPrefix = (reference: string): string | undefined => {
  const r = reference.trim();
  if (r === "") return undefined;
  return r.endsWith(".") ? r : `${r}.`;
};

/** What the XMPP source reads: the profile's values until bound to the agent's model. */
export interface XmppSettingsSource {
  /** The settings of the connection ConnReqXMPPConnection names (or the fallback). */
  readonly settings: Effect.Effect<XmppSettings>;
  /** ConnReqAllowedJabberIDs (or the fallback list). */
  readonly allowedJabberIds: Effect.Effect<readonly string[]>;
  /** Reads from `model` (ManagementServer at `prefix`) from now on. */
  readonly bind: (model: Pick<DataModel, "getDeviceValues">, prefix: string) => Effect.Effect<void>;
}

/** A source answering the fallbacks until bound. */
export const makeXmppSettingsSource = (
  fallback: XmppSettings,
  fallbackAllowed: readonly string[],
): Effect.Effect<XmppSettingsSource> =>
  Effect.map(
    Ref.make<
      Option.Option<{ readonly model: Pick<DataModel, "getDeviceValues">; readonly prefix: string }>
    >(Option.none()),
    (bound) => ({
      settings: Effect.flatMap(
        Ref.get(bound),
        Option.match({
          onNone: () => Effect.succeed(fallback),
          onSome: ({ model, prefix }) =>
            Effect.gen(function* () {
              const reference = yield* readDeviceValue(model, `${prefix}ConnReqXMPPConnection`);
              const connection = Option.flatMapNullable(reference, xmppConnectionPrefix);
              if (Option.isNone(connection)) return fallback;
              const enable = yield* readDeviceValue(model, `${connection.value}Enable`);
              // A disabled connection keeps no stream: no domain means no attempt.
              if (Option.isSome(enable) && (enable.value === "false" || enable.value === "0"))
                return { ...fallback, domain: "" };
              return yield* readXmppSettings(model, connection.value, fallback);
            }),
        }),
      ),
      allowedJabberIds: Effect.flatMap(
        Ref.get(bound),
        Option.match({
          onNone: () => Effect.succeed(fallbackAllowed),
          onSome: ({ model, prefix }) =>
            Effect.map(readDeviceValue(model, `${prefix}ConnReqAllowedJabberIDs`), (v) =>
              Option.match(v, {
                onNone: () => fallbackAllowed,
                onSome: allowedJabberIdList,
              }),
            ),
        }),
      ),
      bind: (model, prefix) => Ref.set(bound, Option.some({ model, prefix })),
    }),
  );

/**
 * Writes `jid` as `<prefix>ConnReqJabberID` and as the JabberID of the connection
 * ConnReqXMPPConnection names; returns the names whose notification became pending.
 * Parameters the model lacks and unchanged values are skipped.
 */
export const publishJabberId = (
  model: Pick<DataModel, "getDeviceValues" | "recordChanges">,
  prefix: string,
  jid: string,
): Effect.Effect<readonly string[]> =>
  Effect.gen(function* () {
    const reference = yield* readDeviceValue(model, `${prefix}ConnReqXMPPConnection`);
    const connection = Option.flatMapNullable(reference, xmppConnectionPrefix);
    const wanted: ParameterChange[] = [{ path: `${prefix}ConnReqJabberID`, value: jid }];
    if (Option.isSome(connection)) wanted.push({ path: `${connection.value}JabberID`, value: jid });
    return yield* recordChangedValues(model, wanted);
  });

/** Publishes every new JID of `jids` into `target` until interrupted (fork it). */
export const followJabberId = (
  jids: Stream.Stream<string>,
  target: PublicationTarget,
  prefix: string,
): Effect.Effect<void> =>
  followPublication(jids, target, (model, jid) => publishJabberId(model, prefix, jid));
