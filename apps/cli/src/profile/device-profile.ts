/**
 * The device profile that `cpekit run` reads (YAML or JSON): which ACS, which device, which data
 * model, where state is kept and which plugin drives the device.
 *
 * Decoded with Effect Schema so a bad profile is refused with a message that names the field
 * and what was expected.
 * @module
 */
import { Schema } from "effect";

const NonEmpty = Schema.String.pipe(Schema.minLength(1));
const Port = Schema.Number.pipe(Schema.int(), Schema.between(0, 65535));

/** Where the ACS is and how to authenticate to it. */
export const AcsSection = Schema.Struct({
  url: Schema.optional(NonEmpty),
  username: Schema.optional(Schema.String),
  password: Schema.optional(Schema.String),
  /** PEM file of the CA that signs the ACS certificate (HTTPS). */
  caFile: Schema.optional(NonEmpty),
  clientCertFile: Schema.optional(NonEmpty),
  clientKeyFile: Schema.optional(NonEmpty),
  /** Certificate verification; on unless explicitly turned off. */
  verifyTls: Schema.optional(Schema.Boolean),
  /**
   * Answer the challenge of another origin a redirect leads to with these credentials (never
   * Basic over plain HTTP); off unless set.
   */
  credentialsOnRedirect: Schema.optional(Schema.Boolean),
  /**
   * Gzip of the bodies POSTed to the ACS (H8): `auto` (default) once an answer shows the ACS
   * takes gzip, `gzip` from the first POST, `none` never.
   */
  compression: Schema.optional(Schema.Literal("auto", "gzip", "none")),
  /** Quectel's legacy object, accepted as it is (its `url` is authoritative). */
  requestOptions: Schema.optional(Schema.Unknown),
});

/** The Inform's DeviceId. */
export const DeviceSection = Schema.Struct({
  manufacturer: NonEmpty.pipe(Schema.maxLength(64)),
  oui: Schema.String.pipe(
    Schema.pattern(/^[0-9A-F]{6}$/, {
      message: () => "expected six upper-case hexadecimal digits (an IEEE OUI)",
    }),
  ),
  productClass: Schema.String.pipe(Schema.maxLength(64)),
  /** The serial number; the QuecPython plugin uses the module's IMEI when this is omitted. */
  serialNumber: Schema.optional(NonEmpty.pipe(Schema.maxLength(64))),
});

/** Which data model the device implements and its initial values. */
export const DataModelSection = Schema.Struct({
  root: Schema.Literal("Device", "InternetGatewayDevice"),
  /** A named profile (`cellular-module`, `home-gateway`) or a list of supported paths. */
  profile: Schema.Union(NonEmpty, Schema.Array(NonEmpty)),
  /** Initial values by full parameter name. */
  values: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
});

/** The UDP connection-request listener (TR-069 Annex G), on when given (`true`: defaults). */
export const UdpConnectionRequestSection = Schema.Struct({
  /** Bind address. Default: the HTTP listener's. */
  address: Schema.optional(NonEmpty),
  /** UDP port. Default: the HTTP listener's port number (7547). */
  port: Schema.optional(Port),
  /** Host published in UDPConnectionRequestAddress while STUN is off (NAT, port mapping). */
  advertisedHost: Schema.optional(NonEmpty),
  /**
   * Largest distance in seconds between a request's `ts` and the device clock; `null` for a
   * device without a clock (then only replays are refused). Default 300.
   */
  maxSkewSeconds: Schema.optional(
    Schema.NullOr(Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(1))),
  ),
});

/**
 * The STUN client (TR-069 Annex G), the factory values of `ManagementServer.STUN*`. Giving
 * the section turns the UDP listener on.
 */
export const StunSection = Schema.Struct({
  /** STUNEnable. Default true. */
  enable: Schema.optional(Schema.Boolean),
  /** STUNServerAddress. Default empty: the ACS host. */
  serverAddress: Schema.optional(Schema.String),
  /** STUNServerPort. Default 3478. */
  serverPort: Schema.optional(Port),
  /** STUNUsername / STUNPassword, sent only when the server asks (401). */
  username: Schema.optional(Schema.String),
  password: Schema.optional(Schema.String),
  /** STUNMinimumKeepAlivePeriod, seconds. Default 0. */
  minimumKeepAlivePeriod: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.between(0, 86_400)),
  ),
  /** STUNMaximumKeepAlivePeriod, seconds; -1: no maximum (then 30 s). Default -1. */
  maximumKeepAlivePeriod: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.between(-1, 86_400)),
  ),
  /** MESSAGE-INTEGRITY as RFC 3489 (Annex G, default) or RFC 5389 servers compute it. */
  integrity: Schema.optional(Schema.Literal("rfc3489", "rfc5389")),
});

/**
 * XMPP connection requests (TR-069 Annex K): the factory values of `Device.XMPP.Connection.1`
 * and of ManagementServer's ConnReq* parameters. Giving the section turns them on.
 */
export const XmppConnectionRequestSection = Schema.Struct({
  /** Domain: the JID is `username@domain/resource`. */
  domain: NonEmpty,
  /** Username and Password of the device's account on the XMPP server. */
  username: NonEmpty,
  password: Schema.optional(Schema.String),
  /** Resource. Default `cwmp` (a fixed one keeps ConnReqJabberID the same across reconnects). */
  resource: Schema.optional(NonEmpty),
  /** Server address. Default: the domain's `_xmpp-client._tcp` SRV record, else the domain. */
  server: Schema.optional(NonEmpty),
  /** Server port. Default 5222. */
  port: Schema.optional(Port),
  /** UseTLS: refuse a server that does not offer STARTTLS. TLS is used whenever offered. */
  useTls: Schema.optional(Schema.Boolean),
  /** PEM file of the CA that signs the XMPP server's certificate (instead of the system's). */
  caFile: Schema.optional(NonEmpty),
  /** Certificate verification; on unless explicitly turned off (tests). */
  verifyTls: Schema.optional(Schema.Boolean),
  /** ConnReqAllowedJabberIDs: full JIDs (exact) or bare JIDs (any resource); empty allows all. */
  allowedJabberIds: Schema.optional(Schema.Array(NonEmpty)),
  /** KeepAliveInterval, seconds: 0 off, -1 the device's choice (120 s). Default -1. */
  keepAliveInterval: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(-1)),
  ),
  /** ServerRetryInitialInterval, seconds. Default 60. */
  retryInitialInterval: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.between(1, 65535))),
  /** ServerRetryIntervalMultiplier, thousandths. Default 2000. */
  retryIntervalMultiplier: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.between(1000, 65535)),
  ),
  /** ServerRetryMaxInterval, seconds. Default 30720. */
  retryMaxInterval: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(1)),
  ),
  /** ServerConnectAttempts: failed attempts in a row before giving up; 0 no limit. Default 16. */
  connectAttempts: Schema.optional(
    Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(0)),
  ),
});

/** The connection-request listener. */
export const ConnectionRequestSection = Schema.Struct({
  address: Schema.optional(NonEmpty),
  port: Schema.optional(Port),
  path: Schema.optional(Schema.String.pipe(Schema.startsWith("/"))),
  username: Schema.optional(Schema.String),
  password: Schema.optional(Schema.String),
  /** Host name or address to advertise in ConnectionRequestURL (never 0.0.0.0). */
  advertisedHost: Schema.optional(NonEmpty),
  /**
   * At most `max` accepted requests per `windowSeconds`; more get 503 (C5). Default 50 per 5 s.
   * A load test that starts sessions back to back raises it.
   */
  rateLimit: Schema.optional(
    Schema.Struct({
      max: Schema.Number.pipe(Schema.int(), Schema.greaterThanOrEqualTo(1)),
      windowSeconds: Schema.Number.pipe(Schema.greaterThan(0)),
    }),
  ),
  /** UDP connection requests (Annex G), same credentials and rate limit as HTTP. */
  udp: Schema.optional(Schema.Union(Schema.Boolean, UdpConnectionRequestSection)),
  /** XMPP connection requests (Annex K), same credentials and rate limit as HTTP. */
  xmpp: Schema.optional(XmppConnectionRequestSection),
});

/** The device plugin and its options. */
export const PluginSection = Schema.Struct({
  /**
   * A built-in plugin (`generic`, `quecpython`), or a plugin module: a path relative to the
   * profile (`./sensor-plugin.js`) or a package name, whose default export is a `DevicePlugin`.
   */
  name: NonEmpty,
  options: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
});

/** How `cpekit fleet` multiplies the device (ignored by `cpekit run`). */
export const FleetSection = Schema.Struct({
  /** Devices in the whole fleet (all shards together). */
  count: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.between(1, 10_000_000))),
  /** Serial numbers, e.g. `CPE{index:06}`. */
  serialTemplate: Schema.optional(NonEmpty),
  /** Boot rate: `200/s`, `1000/min`, or `none` (all at once). */
  ramp: Schema.optional(Schema.Union(NonEmpty, Schema.Number)),
  /** `i/n`: this process runs the i-th of n disjoint slices of the serial range. */
  shard: Schema.optional(NonEmpty),
  /** Per device: at most `max` accepted connection requests per `windowSeconds`. */
  connectionRequestRateLimit: Schema.optional(
    Schema.Struct({
      max: Schema.Number.pipe(Schema.int(), Schema.positive()),
      windowSeconds: Schema.Number.pipe(Schema.positive()),
    }),
  ),
  /** Where the devices' state goes: a folder (an LMDB environment for all devices), or `memory`. */
  store: Schema.optional(NonEmpty),
  /** Most sessions open at once in this process; more devices wait for a slot (default 256). */
  maxOpenSessions: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive())),
  /** This profile's weight when `mix` adds other kinds of device (default 1). */
  weight: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive())),
  /** Other kinds of device in the fleet: device profiles (their own `fleet:` ignored) by weight. */
  mix: Schema.optional(
    Schema.Array(
      Schema.Struct({
        profile: NonEmpty,
        weight: Schema.Number.pipe(Schema.int(), Schema.positive()),
      }),
    ),
  ),
});

/** A whole device profile. */
export const DeviceProfile = Schema.Struct({
  acs: AcsSection,
  device: DeviceSection,
  dataModel: DataModelSection,
  connectionRequest: Schema.optional(ConnectionRequestSection),
  stun: Schema.optional(StunSection),
  /** Path of the JSON file that keeps this device's state across restarts. */
  store: NonEmpty,
  plugin: Schema.optional(PluginSection),
  fleet: Schema.optional(FleetSection),
});

/** A decoded device profile. */
export type DeviceProfile = typeof DeviceProfile.Type;
