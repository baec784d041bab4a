/**
 * The settings of one XMPP connection (TR-181 `Device.XMPP.Connection.{i}.`, requirement
 * section 1.9), read from the device's data model where it holds them, and the reconnection
 * wait they give.
 * @module
 */
import { type DataModel, readDeviceValue } from "@cpekit/core";
import { Effect, Option } from "effect";
import { integerOr, nonEmptyOr } from "./internal/setting-value.js";

/** How the connection's TLS is checked (not TR-181 parameters: local trust settings). */
export interface XmppTlsOptions {
  /** PEM text of the CAs to trust instead of the system's. */
  readonly ca?: string;
  /** Verify the server's certificate and name. Default true. */
  readonly rejectUnauthorized?: boolean;
}

/** What the XMPP connection runs with. */
export interface XmppSettings {
  /** Enable: a disabled connection keeps no stream and makes no attempt. */
  readonly enable: boolean;
  /** Domain, Username, Password, Resource: the JID is `Username@Domain/Resource`. */
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly resource: string;
  /** Server address and port (the `ServerTable` algorithm); empty: DNS SRV, then the domain. */
  readonly serverAddress: string;
  readonly serverPort: number;
  /** UseTLS: refuse a server that does not offer STARTTLS. TLS is used whenever offered. */
  readonly useTls: boolean;
  /** KeepAliveInterval, seconds: 0 off, -1 the device's choice. */
  readonly keepAliveSeconds: number;
  /** ServerRetryInitialInterval, seconds (1..65535). */
  readonly retryInitialSeconds: number;
  /** ServerRetryIntervalMultiplier, in thousandths (1000..65535). */
  readonly retryMultiplier: number;
  /** ServerRetryMaxInterval, seconds. */
  readonly retryMaxSeconds: number;
  /**
   * ServerConnectAttempts: failed attempts in a row (the first one included) after which the
   * connection stops trying until its settings change; 0 means no limit (TR-181 leaves it to
   * the implementation).
   */
  readonly connectAttempts: number;
}

/** TR-181 defaults where it gives them. */
export const defaultXmppSettings: XmppSettings = {
  enable: true,
  domain: "",
  username: "",
  password: "",
  resource: "",
  serverAddress: "",
  serverPort: 5222,
  useTls: false,
  keepAliveSeconds: -1,
  retryInitialSeconds: 60,
  retryMultiplier: 2000,
  retryMaxSeconds: 30720,
  connectAttempts: 16,
};

/** The whitespace keep-alive period used for KeepAliveInterval -1 (below common NAT TCP timeouts). */
export const DEVICE_KEEP_ALIVE_SECONDS = 120;

/** The keep-alive period in seconds, or undefined when keep-alives are off. */
export const keepAliveSeconds = (s: Pick<XmppSettings, "keepAliveSeconds">): number | undefined =>
  s.keepAliveSeconds === 0
    ? undefined
    : s.keepAliveSeconds < 0
      ? DEVICE_KEEP_ALIVE_SECONDS
      : s.keepAliveSeconds;

/**
 * The wait before reconnection attempt `n` (1-based). TR-181 asks for a random value between
 * 0 and ServerRetryInitialInterval × (ServerRetryIntervalMultiplier / 1000)^(n − 1); when that
 * bound exceeds ServerRetryMaxInterval, the maximum itself ("MUST use the value of this
 * parameter").
 * `random` is uniform in [0, 1).
 */
export const xmppRetryWaitSeconds = (
  s: Pick<XmppSettings, "retryInitialSeconds" | "retryMultiplier" | "retryMaxSeconds">,
  n: number,
  random: number,
): number => {
  const initial = Math.max(1, s.retryInitialSeconds);
  const factor = Math.max(1000, s.retryMultiplier) / 1000;
  const uncapped = initial * factor ** (Math.max(1, n) - 1);
  const max = Math.max(1, s.retryMaxSeconds);
  if (uncapped > max) return max;
  return random * uncapped;
};

/**
 * The settings of the connection object `connection` (`Device.XMPP.Connection.1.`), its
 * server from the first row of its `Server.` table. The
 * model's values win; a parameter the model lacks, an empty string or an unreadable number
 * takes the `fallback` value.
 */
export const readXmppSettings = (
  model: Pick<DataModel, "getDeviceValues">,
  connection: string,
  fallback: XmppSettings,
): Effect.Effect<XmppSettings> =>
  Effect.gen(function* () {
    const read = (name: string) => readDeviceValue(model, `${connection}${name}`);
    const useTls = yield* read("UseTLS");
    return {
      ...fallback,
      domain: nonEmptyOr(yield* read("Domain"), fallback.domain),
      username: nonEmptyOr(yield* read("Username"), fallback.username),
      password: nonEmptyOr(yield* read("Password"), fallback.password),
      resource: nonEmptyOr(yield* read("Resource"), fallback.resource),
      // The first row of the server table (ServerConnectAlgorithm ServerTable).
      serverAddress: nonEmptyOr(yield* read("Server.1.ServerAddress"), fallback.serverAddress),
      serverPort: integerOr(yield* read("Server.1.Port"), 0) || fallback.serverPort,
      useTls: Option.match(useTls, {
        onNone: () => fallback.useTls,
        onSome: (v) => (v === "" ? fallback.useTls : v === "true" || v === "1"),
      }),
      keepAliveSeconds: integerOr(yield* read("KeepAliveInterval"), fallback.keepAliveSeconds),
      retryInitialSeconds:
        integerOr(yield* read("ServerRetryInitialInterval"), 0) || fallback.retryInitialSeconds,
      retryMultiplier:
        integerOr(yield* read("ServerRetryIntervalMultiplier"), 0) || fallback.retryMultiplier,
      retryMaxSeconds:
        integerOr(yield* read("ServerRetryMaxInterval"), 0) || fallback.retryMaxSeconds,
      // 0 is a value of its own here (no limit), so only an unreadable one takes the fallback.
      connectAttempts: integerOr(yield* read("ServerConnectAttempts"), fallback.connectAttempts),
    };
  });
