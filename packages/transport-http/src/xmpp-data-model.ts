/**
 * The XMPP connection request in the device's data model (requirement section 1.9):
 * ManagementServer.ConnReqXMPPConnection picks the `Device.XMPP.Connection.{i}` whose settings
 * the stream uses, ConnReqAllowedJabberIDs lists who may send requests, and the JID the
 * server bound is published as ConnReqJabberID (and the connection's JabberID). Both are
 * read-only for the ACS, so they are written as device-side changes (`recordChanges`);
 * TR-181 makes ConnReqJabberID active by default (`forceDefaultEnabled`), so a new JID
 * starts a session with `4 VALUE CHANGE`. The connection's Status, LastChangeDate and Stats
 * change with every stanza, so they are served live by a provider ({@link xmppStatusProvider})
 * rather than stored.
 * @module
 */
import {
  type DataModel,
  type ParameterChange,
  type ParameterProvider,
  ProviderError,
  readDeviceValue,
} from "@cpekit/core";
import { Effect, Option, Ref, type Stream } from "effect";
import {
  followPublication,
  type PublicationTarget,
  recordChangedValues,
} from "./internal/device-side-publication.js";
import type { XmppConnectionRequestsService } from "./xmpp-connection-request.js";
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
  "ServerConnectAttempts",
  "UseTLS",
  "Status",
  "LastChangeDate",
  "Stats.ReceivedMessages",
  "Stats.TransmittedMessages",
  "Stats.ReceivedErrorMessages",
  "Stats.TransmittedErrorMessages",
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
              // A disabled connection keeps no stream and makes no attempt.
              if (Option.isSome(enable) && (enable.value === "false" || enable.value === "0"))
                return { ...fallback, enable: false };
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

/** The live parameters of an `XMPP.Connection.{i}.` (relative names) and how each is read. */
const LIVE: readonly (readonly [string, (v: LiveValues) => string])[] = [
  ["Status", (v) => v.state],
  ["LastChangeDate", (v) => v.lastChange],
  ["Stats.ReceivedMessages", (v) => String(v.stats.receivedMessages)],
  ["Stats.TransmittedMessages", (v) => String(v.stats.transmittedMessages)],
  ["Stats.ReceivedErrorMessages", (v) => String(v.stats.receivedErrorMessages)],
  ["Stats.TransmittedErrorMessages", (v) => String(v.stats.transmittedErrorMessages)],
];

interface LiveValues {
  readonly state: string;
  readonly lastChange: string;
  readonly stats: {
    readonly receivedMessages: number;
    readonly transmittedMessages: number;
    readonly receivedErrorMessages: number;
    readonly transmittedErrorMessages: number;
  };
}

/** TR-181's "unknown time" (CWMP dateTime). */
const UNKNOWN_TIME = "0001-01-01T00:00:00Z";

/** An instance the device keeps no stream for: disabled, nothing counted. */
const idle: LiveValues = {
  state: "Disabled",
  lastChange: UNKNOWN_TIME,
  stats: {
    receivedMessages: 0,
    transmittedMessages: 0,
    receivedErrorMessages: 0,
    transmittedErrorMessages: 0,
  },
};

/**
 * Serves Status, LastChangeDate and Stats.* of every `<root>.XMPP.Connection.{i}.` from
 * `source`, the stream of the connection at `connection` (`Device.XMPP.Connection.1.`); the
 * device keeps one stream, so any other instance reads as Disabled with nothing counted.
 */
export const xmppStatusProvider = (
  source: Pick<XmppConnectionRequestsService, "status" | "stats">,
  root: string,
  connection: string,
): ParameterProvider => {
  const table = `${root}.XMPP.Connection.`;
  return {
    name: "xmpp-status",
    paths: LIVE.map(([name]) => `${table}{i}.${name}`),
    get: (paths) =>
      Effect.gen(function* () {
        const status = yield* source.status;
        const live: LiveValues = {
          state: status.state,
          lastChange: new Date(status.since).toISOString().replace(/\.\d{3}Z$/, "Z"),
          stats: yield* source.stats,
        };
        const out = new Map<string, string>();
        for (const path of paths) {
          const values = path.startsWith(connection) ? live : idle;
          const rest = path.slice(path.indexOf(".", table.length) + 1);
          const read = LIVE.find(([name]) => name === rest)?.[1];
          out.set(path, read === undefined ? "" : read(values));
        }
        return out as ReadonlyMap<string, string>;
      }),
    // Read-only in the schema: the data model refuses a write before it gets here.
    set: (changes) =>
      Effect.fail(
        new ProviderError({
          reason: "Rejected",
          provider: "xmpp-status",
          detail: `read-only: ${changes.map((c) => c.path).join(", ")}`,
          faultCode: 9008,
        }),
      ),
  };
};
