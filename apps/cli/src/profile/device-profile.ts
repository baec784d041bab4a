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

/** The connection-request listener. */
export const ConnectionRequestSection = Schema.Struct({
  address: Schema.optional(NonEmpty),
  port: Schema.optional(Port),
  path: Schema.optional(Schema.String.pipe(Schema.startsWith("/"))),
  username: Schema.optional(Schema.String),
  password: Schema.optional(Schema.String),
  /** Host name or address to advertise in ConnectionRequestURL (never 0.0.0.0). */
  advertisedHost: Schema.optional(NonEmpty),
});

/** The device plugin and its options. */
export const PluginSection = Schema.Struct({
  name: Schema.Literal("generic", "quecpython"),
  options: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
});

/** A whole device profile. */
export const DeviceProfile = Schema.Struct({
  acs: AcsSection,
  device: DeviceSection,
  dataModel: DataModelSection,
  connectionRequest: Schema.optional(ConnectionRequestSection),
  /** Path of the JSON file that keeps this device's state across restarts. */
  store: NonEmpty,
  plugin: Schema.optional(PluginSection),
});

/** A decoded device profile. */
export type DeviceProfile = typeof DeviceProfile.Type;
