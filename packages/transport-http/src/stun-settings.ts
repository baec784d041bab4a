/**
 * The STUN settings of TR-069 Annex G (requirement section 1.8): the
 * `ManagementServer.STUN*` parameters, read from the device's data model where it holds
 * them, and the keep-alive period they allow.
 * @module
 */
import { type DataModel, readDeviceValue } from "@cpekit/core";
import { Effect, Option, Ref } from "effect";
import { integerOr, nonEmptyOr } from "./internal/setting-value.js";
import type { IntegrityStyle } from "./stun-message.js";

/** What the STUN client runs with. */
export interface StunSettings {
  /** STUNEnable. */
  readonly enable: boolean;
  /** STUNServerAddress; empty means the host of the ACS URL. */
  readonly serverAddress: string;
  /** STUNServerPort (3478 by default). */
  readonly serverPort: number;
  /** STUNUsername / STUNPassword: sent only once the server asks (error 401). */
  readonly username: string;
  readonly password: string;
  /** STUNMinimumKeepAlivePeriod, seconds. */
  readonly minKeepAliveSeconds: number;
  /** STUNMaximumKeepAlivePeriod, seconds; -1 (or 0) means no maximum. */
  readonly maxKeepAliveSeconds: number;
  /** How MESSAGE-INTEGRITY is computed (not a TR-181 parameter). Default `rfc3489` (Annex G). */
  readonly integrity?: IntegrityStyle;
}

/** The TR-181 defaults: STUN off, port 3478, no maximum keep-alive period. */
export const defaultStunSettings: StunSettings = {
  enable: false,
  serverAddress: "",
  serverPort: 3478,
  username: "",
  password: "",
  minKeepAliveSeconds: 0,
  maxKeepAliveSeconds: -1,
};

/** The period used when the ACS gives no maximum: shorter than common NAT UDP timeouts. */
export const DEFAULT_KEEP_ALIVE_SECONDS = 30;

/**
 * The seconds between keep-alive Binding Requests: the longest period the settings allow
 * (STUNMaximumKeepAlivePeriod, the fewest packets that still keep the binding as the ACS
 * judges it), never below STUNMinimumKeepAlivePeriod nor 1 s; with no maximum (-1, or 0),
 * {@link DEFAULT_KEEP_ALIVE_SECONDS} raised to the minimum.
 */
export const keepAlivePeriodSeconds = (
  s: Pick<StunSettings, "minKeepAliveSeconds" | "maxKeepAliveSeconds">,
): number => {
  const low = Math.max(1, s.minKeepAliveSeconds);
  // 0 is what an unset unsignedInt reads as; no period can be 0 s, so it means "no maximum".
  if (s.maxKeepAliveSeconds <= 0) return Math.max(low, DEFAULT_KEEP_ALIVE_SECONDS);
  return Math.max(low, s.maxKeepAliveSeconds);
};

/**
 * The settings under `prefix` (`Device.ManagementServer.`). The model's values win (seed it
 * with the profile's as factory values); a parameter the model lacks or cannot read, an empty
 * string (STUNServerAddress, STUNUsername, STUNPassword) and a port of 0 take the `fallback`
 * value, so an empty STUNServerAddress means the ACS host only when the fallback names no
 * server either.
 */
export const readStunSettings = (
  model: Pick<DataModel, "getDeviceValues">,
  prefix: string,
  fallback: StunSettings,
): Effect.Effect<StunSettings> =>
  Effect.gen(function* () {
    const read = (name: string) => readDeviceValue(model, `${prefix}${name}`);
    const enable = yield* read("STUNEnable");
    return {
      ...fallback,
      enable: Option.match(enable, {
        onNone: () => fallback.enable,
        onSome: (v) => (v === "" ? fallback.enable : v === "true" || v === "1"),
      }),
      serverAddress: nonEmptyOr(yield* read("STUNServerAddress"), fallback.serverAddress),
      // 0 is what an unset port reads as, and no server listens on it.
      serverPort: integerOr(yield* read("STUNServerPort"), 0) || fallback.serverPort,
      username: nonEmptyOr(yield* read("STUNUsername"), fallback.username),
      password: nonEmptyOr(yield* read("STUNPassword"), fallback.password),
      minKeepAliveSeconds: integerOr(
        yield* read("STUNMinimumKeepAlivePeriod"),
        fallback.minKeepAliveSeconds,
      ),
      maxKeepAliveSeconds: integerOr(
        yield* read("STUNMaximumKeepAlivePeriod"),
        fallback.maxKeepAliveSeconds,
      ),
    };
  });

/** The host of an ACS URL as a socket wants it (no IPv6 brackets); undefined when not a URL. */
export const acsHostOf = (url: string): string | undefined => {
  try {
    const host = new URL(url).hostname;
    return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host || undefined;
  } catch {
    return undefined;
  }
};

/** STUN settings for a UDP socket that starts before the agent, bound to its data model later. */
export interface StunSettingsSource {
  /** The settings now: read from the bound model, or the fallback before any binding. */
  readonly settings: Effect.Effect<StunSettings>;
  /** The host of the ACS URL now (`<prefix>URL` of the bound model, else the fallback URL's). */
  readonly acsHost: Effect.Effect<string>;
  /** Reads from `model` under `prefix` from now on (the agent's, once it exists). */
  readonly bind: (model: Pick<DataModel, "getDeviceValues">, prefix: string) => Effect.Effect<void>;
}

/** A source answering `fallback` (and the host of `acsUrl`) until bound. */
export const makeStunSettingsSource = (
  fallback: StunSettings,
  acsUrl: string,
): Effect.Effect<StunSettingsSource> =>
  Effect.map(
    Ref.make<
      Option.Option<{ readonly model: Pick<DataModel, "getDeviceValues">; readonly prefix: string }>
    >(Option.none()),
    (bound) => {
      const fallbackHost = acsHostOf(acsUrl) ?? "";
      return {
        settings: Effect.flatMap(
          Ref.get(bound),
          Option.match({
            onNone: () => Effect.succeed(fallback),
            onSome: (b) => readStunSettings(b.model, b.prefix, fallback),
          }),
        ),
        acsHost: Effect.flatMap(
          Ref.get(bound),
          Option.match({
            onNone: () => Effect.succeed(fallbackHost),
            onSome: (b) =>
              Effect.map(readDeviceValue(b.model, `${b.prefix}URL`), (url) =>
                Option.match(url, {
                  onNone: () => fallbackHost,
                  onSome: (u) => acsHostOf(u) ?? fallbackHost,
                }),
              ),
          }),
        ),
        bind: (model, prefix) => Ref.set(bound, Option.some({ model, prefix })),
      };
    },
  );
