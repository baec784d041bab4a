/**
 * Everything needed to start one device, settled from a loaded profile: the selected schema,
 * the factory values (profile values plus the identity and ManagementServer values the profile
 * implies), the DeviceId, the store path and the transport settings. Settling checks what the
 * profile's Schema cannot see (profile paths and value names against the data model), so
 * `cpekit run` refuses a bad profile before it opens anything.
 * @module
 */
import { dirname, resolve } from "node:path";
import {
  type DataModelSchema,
  type DeviceIdStruct,
  isInstanceNumber,
  toSchemaPath,
} from "@cpekit/core";
import {
  loadDevice2Schema,
  loadIgd1Schema,
  type ProfileName,
  profileNames,
  profilePaths,
  selectProfile,
  unknownProfilePaths,
} from "@cpekit/datamodel-tr181";
import { decodeQuecPythonOptions } from "@cpekit/plugin-quecpython";
import {
  activeUdpConnectionRequestAddress,
  defaultStunSettings,
  type StunSettings,
  UDP_CONNECTION_REQUEST_PARAMETERS,
} from "@cpekit/transport-http";
import { Either } from "effect";
import type { LoadedProfile } from "../profile/load-profile.js";
import { ProfileError } from "../profile/load-profile.js";
import { builtInPluginNames, resolvePluginModule } from "./module-plugin.js";
import { versionDefaults } from "./version-defaults.js";
import {
  type XmppConnectionRequestSpec,
  xmppImpliedValues,
  xmppSchemaPaths,
  xmppSpecOf,
} from "./xmpp-connection-request-spec.js";

/** The connection-request listener of a device. */
export interface ConnectionRequestSpec {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  /** Undefined: a random path per device (harder to guess). */
  readonly path?: string;
  readonly username: string;
  readonly password: string;
  readonly advertisedHost?: string;
  /** At most `max` accepted requests per `windowSeconds` (the server's default when absent). */
  readonly rateLimit?: { readonly max: number; readonly windowSeconds: number };
}

/** The UDP connection-request listener and the STUN client (TR-069 Annex G). */
export interface UdpConnectionRequestSpec {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
  readonly advertisedHost?: string;
  /** `null`: no clock check of `ts`; undefined: the listener's default (300 s). */
  readonly maxSkewSeconds?: number | null;
  /** The factory STUN settings (STUN off when the profile has no `stun` section). */
  readonly stun: StunSettings;
}

/** The ACS and how to reach it. */
export interface AcsSpec {
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly rejectUnauthorized: boolean;
  /** Credentials may go to another origin a redirect leads to (never Basic over plain HTTP). */
  readonly credentialsOnRedirect?: boolean;
  /** Gzip of request bodies (H8): learnt from the ACS (`auto`, the default), always, or never. */
  readonly requestCompression?: "auto" | "gzip" | "none";
}

/** One device, ready to start. */
export interface DeviceSpec {
  readonly schema: DataModelSchema;
  readonly deviceId: DeviceIdStruct;
  /** Factory values by full parameter name (used when the store holds nothing yet). */
  readonly values: Readonly<Record<string, string>>;
  /** Instances that exist from the start, by table path (`Device.X.Table.`), from `values`. */
  readonly instances: Readonly<Record<string, readonly number[]>>;
  /** Absolute path of the JSON store file. */
  readonly storePath: string;
  readonly acs: AcsSpec;
  readonly connectionRequest: ConnectionRequestSpec;
  /** UDP connection requests with STUN, when the profile turns them on. */
  readonly udpConnectionRequest?: UdpConnectionRequestSpec;
  /** XMPP connection requests (Annex K), when the profile turns them on. */
  readonly xmppConnectionRequest?: XmppConnectionRequestSpec;
  /** A built-in plugin, or `module`: a plugin loaded from {@link DeviceSpec.pluginModule}. */
  readonly plugin: "generic" | "quecpython" | "module";
  /** The file of the plugin module a profile names (see `module-plugin.ts`). */
  readonly pluginModule?: string;
  /** The profile's `plugin.options` (checked here for `quecpython`). */
  readonly pluginOptions?: Readonly<Record<string, unknown>>;
  /**
   * DeviceInfo versions the profile leaves out, with the value informed instead (generic plugin
   * only; see `version-defaults.ts`). Served at run time, so they follow cpekit's upgrades.
   */
  readonly versionDefaults?: Readonly<Record<string, string>>;
}

const isProfileName = (p: string): p is ProfileName => (profileNames as string[]).includes(p);

/** `selectProfile`, whose ProfileError (a throw) becomes a problem naming the field. */
const select = (
  schema: DataModelSchema,
  profile: ProfileName | readonly string[],
): Either.Either<DataModelSchema, string> =>
  Either.try({
    try: () => selectProfile(schema, profile),
    catch: (e) => `dataModel.profile: ${e instanceof Error ? e.message : String(e)}`,
  });

/** Instance numbers named by value paths (`Device.A.3.B` makes instance 3 of `Device.A.`). */
const instancesOf = (names: readonly string[]): Record<string, number[]> => {
  const out: Record<string, Set<number>> = {};
  for (const name of names) {
    const segments = name.split(".");
    for (let i = 1; i < segments.length - 1; i++) {
      const segment = segments[i] ?? "";
      if (!isInstanceNumber(segment)) continue;
      const table = `${segments.slice(0, i).join(".")}.`;
      const set = out[table] ?? new Set<number>();
      set.add(Number(segment));
      out[table] = set;
    }
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
};

/** The values every device has: DeviceId, ManagementServer and connection-request settings. */
const impliedValues = (
  root: string,
  deviceId: DeviceIdStruct,
  acs: AcsSpec,
  cr: ConnectionRequestSpec,
  udp: UdpConnectionRequestSpec | undefined,
  xmpp?: XmppConnectionRequestSpec,
): Record<string, string> => {
  const info = root === "Device" ? "Device.DeviceInfo." : "InternetGatewayDevice.DeviceInfo.";
  const ms = `${root}.ManagementServer.`;
  const stun = udp?.stun;
  return {
    // Annex G's UDP requests are the "STUN" method (§1.8); HTTP is always on.
    [`${ms}SupportedConnReqMethods`]: [
      "HTTP",
      ...(udp === undefined ? [] : ["STUN"]),
      ...(xmpp === undefined ? [] : ["XMPP"]),
    ].join(","),
    ...(xmpp === undefined ? {} : xmppImpliedValues(root, xmpp)),
    ...(stun === undefined
      ? {}
      : {
          [`${ms}STUNEnable`]: String(stun.enable),
          [`${ms}STUNServerAddress`]: stun.serverAddress,
          [`${ms}STUNServerPort`]: String(stun.serverPort),
          [`${ms}STUNUsername`]: stun.username,
          [`${ms}STUNPassword`]: stun.password,
          [`${ms}STUNMinimumKeepAlivePeriod`]: String(stun.minKeepAliveSeconds),
          [`${ms}STUNMaximumKeepAlivePeriod`]: String(stun.maxKeepAliveSeconds),
        }),
    [`${info}Manufacturer`]: deviceId.manufacturer,
    [`${info}ManufacturerOUI`]: deviceId.oui,
    [`${info}ProductClass`]: deviceId.productClass,
    [`${info}SerialNumber`]: deviceId.serialNumber,
    [`${ms}URL`]: acs.url,
    [`${ms}Username`]: acs.username ?? "",
    [`${ms}Password`]: acs.password ?? "",
    [`${ms}ConnectionRequestUsername`]: cr.username,
    [`${ms}ConnectionRequestPassword`]: cr.password,
  };
};

/**
 * Settles a loaded profile into a {@link DeviceSpec}. `file` is the profile's path: relative
 * paths in it (store, certificates) are taken relative to the profile's folder.
 */
export const deviceSpecOf = (
  loaded: LoadedProfile,
  file: string,
): Either.Either<DeviceSpec, ProfileError> => {
  const { profile } = loaded;
  const fail = (problems: readonly string[]) => Either.left(new ProfileError({ file, problems }));
  const base = dirname(resolve(file));
  const full = (p: string | undefined) => (p === undefined ? undefined : resolve(base, p));

  const model = profile.dataModel;
  const schema = model.root === "Device" ? loadDevice2Schema() : loadIgd1Schema();
  let selected: DataModelSchema;
  if (typeof model.profile === "string") {
    if (!isProfileName(model.profile))
      return fail([
        `dataModel.profile: expected one of ${profileNames.join(", ")} or a list of paths, got "${model.profile}"`,
      ]);
    if (model.root === "InternetGatewayDevice" && model.profile === "cellular-module")
      return fail([`dataModel.profile: "cellular-module" exists for the Device root only`]);
    const named = select(schema, model.profile);
    if (Either.isLeft(named)) return fail([named.left]);
    selected = named.right;
  } else {
    const unknown = unknownProfilePaths(schema, model.profile);
    if (unknown.length > 0)
      return fail(
        unknown.map((p) => `dataModel.profile: "${p}" is not in ${schema.root}:${schema.version}`),
      );
    const listed = select(schema, model.profile);
    if (Either.isLeft(listed)) return fail([listed.left]);
    selected = listed.right;
  }

  // The QuecPython plugin reads the IMEI from the module; the generic device needs it here.
  const pluginName = profile.plugin?.name ?? "generic";
  if (profile.device.serialNumber === undefined && pluginName === "generic")
    return fail(["device.serialNumber: required with the generic plugin"]);
  const pluginOptions = profile.plugin?.options;
  if (pluginName === "quecpython") {
    if (model.root !== "Device")
      return fail(['dataModel.root: the quecpython plugin maps "Device" (TR-181) only']);
    const options = decodeQuecPythonOptions(pluginOptions);
    if (Either.isLeft(options)) return fail(options.left.detail.split("; "));
  }
  let pluginModule: string | undefined;
  if (!builtInPluginNames.includes(pluginName)) {
    const found = resolvePluginModule(pluginName, base);
    if (Either.isLeft(found)) return fail([found.left]);
    pluginModule = found.right;
  }
  const deviceId: DeviceIdStruct = {
    manufacturer: profile.device.manufacturer,
    oui: profile.device.oui,
    productClass: profile.device.productClass,
    serialNumber: profile.device.serialNumber ?? "",
  };
  const acs: AcsSpec = {
    url: loaded.acsUrl,
    ...(loaded.acsUsername === undefined ? {} : { username: loaded.acsUsername }),
    ...(loaded.acsPassword === undefined ? {} : { password: loaded.acsPassword }),
    ...(profile.acs.caFile === undefined ? {} : { caFile: full(profile.acs.caFile) }),
    ...(profile.acs.clientCertFile === undefined
      ? {}
      : { certFile: full(profile.acs.clientCertFile) }),
    ...(profile.acs.clientKeyFile === undefined
      ? {}
      : { keyFile: full(profile.acs.clientKeyFile) }),
    rejectUnauthorized: profile.acs.verifyTls ?? true,
    ...(profile.acs.credentialsOnRedirect === true ? { credentialsOnRedirect: true } : {}),
    ...(profile.acs.compression === undefined
      ? {}
      : { requestCompression: profile.acs.compression }),
  };
  const crProfile = profile.connectionRequest;
  const cr: ConnectionRequestSpec = {
    host: crProfile?.address ?? loaded.legacyListener?.bindAddress ?? "0.0.0.0",
    port: crProfile?.port ?? loaded.legacyListener?.port ?? 7547,
    ...(crProfile?.path === undefined ? {} : { path: crProfile.path }),
    username: crProfile?.username ?? "",
    password: crProfile?.password ?? "",
    ...(crProfile?.advertisedHost === undefined
      ? {}
      : { advertisedHost: crProfile.advertisedHost }),
    ...(crProfile?.rateLimit === undefined ? {} : { rateLimit: crProfile.rateLimit }),
  };
  const udpProfile = crProfile?.udp;
  const stunProfile = profile.stun;
  // A `stun` section needs the UDP socket it keeps open, so it turns the listener on.
  const udp: UdpConnectionRequestSpec | undefined =
    (udpProfile === undefined || udpProfile === false) && stunProfile === undefined
      ? undefined
      : {
          host: (typeof udpProfile === "object" ? udpProfile.address : undefined) ?? cr.host,
          port: (typeof udpProfile === "object" ? udpProfile.port : undefined) ?? cr.port,
          ...(typeof udpProfile === "object" && udpProfile.advertisedHost !== undefined
            ? { advertisedHost: udpProfile.advertisedHost }
            : {}),
          ...(typeof udpProfile === "object" && udpProfile.maxSkewSeconds !== undefined
            ? { maxSkewSeconds: udpProfile.maxSkewSeconds }
            : {}),
          stun:
            stunProfile === undefined
              ? defaultStunSettings
              : {
                  enable: stunProfile.enable ?? true,
                  serverAddress: stunProfile.serverAddress ?? "",
                  serverPort: stunProfile.serverPort ?? defaultStunSettings.serverPort,
                  username: stunProfile.username ?? "",
                  password: stunProfile.password ?? "",
                  minKeepAliveSeconds: stunProfile.minimumKeepAlivePeriod ?? 0,
                  maxKeepAliveSeconds: stunProfile.maximumKeepAlivePeriod ?? -1,
                  ...(stunProfile.integrity === undefined
                    ? {}
                    : { integrity: stunProfile.integrity }),
                },
        };
  const xmppProfile = crProfile?.xmpp;
  if (xmppProfile !== undefined && schema.root !== "Device")
    return fail(['connectionRequest.xmpp: the XMPP object exists for the "Device" root only']);
  const xmpp = xmppProfile === undefined ? undefined : xmppSpecOf(xmppProfile, base);
  if (udp !== undefined || xmpp !== undefined) {
    // The profile's paths plus the Annex G / Annex K parameters the model has, with a changing
    // UDPConnectionRequestAddress notified actively (the ACS needs it to reach the device).
    const ms = `${schema.root}.ManagementServer.`;
    const base =
      typeof model.profile === "string"
        ? (profilePaths(model.profile as ProfileName, schema.root) ?? [])
        : model.profile;
    const extra = [
      ...(udp === undefined ? [] : UDP_CONNECTION_REQUEST_PARAMETERS.map((n) => `${ms}${n}`)),
      ...(xmpp === undefined ? [] : xmppSchemaPaths(schema.root)),
    ].filter((p) => schema.parameters.has(p));
    const withExtra = select(schema, [...base, ...extra]);
    if (Either.isLeft(withExtra)) return fail([withExtra.left]);
    selected =
      udp === undefined ? withExtra.right : activeUdpConnectionRequestAddress(withExtra.right);
  }

  const given = model.values ?? {};
  const badNames = Object.keys(given).filter(
    (name) => !selected.parameters.has(toSchemaPath(name)),
  );
  if (badNames.length > 0)
    return fail(
      badNames.map(
        (n) => `dataModel.values.${n}: not a parameter of the selected ${schema.root} profile`,
      ),
    );
  // The profile's own values win over the implied ones (a fixed ProvisioningCode, ...), but
  // only names the selected schema has are kept.
  const values = Object.fromEntries(
    Object.entries({
      ...impliedValues(schema.root, deviceId, acs, cr, udp, xmpp),
      ...given,
    }).filter(([n]) => selected.parameters.has(toSchemaPath(n))),
  );
  const defaults =
    pluginName === "generic"
      ? versionDefaults(schema.root, given, (n) => selected.parameters.has(toSchemaPath(n)))
      : {};
  return Either.right({
    schema: selected,
    deviceId,
    values,
    // Implied values name instances too (XMPP.Connection.1).
    instances: instancesOf(Object.keys(values)),
    storePath: resolve(base, profile.store),
    acs,
    connectionRequest: cr,
    ...(udp === undefined ? {} : { udpConnectionRequest: udp }),
    ...(xmpp === undefined ? {} : { xmppConnectionRequest: xmpp }),
    plugin: pluginModule === undefined ? (pluginName as "generic" | "quecpython") : "module",
    ...(pluginModule === undefined ? {} : { pluginModule }),
    ...(pluginOptions === undefined ? {} : { pluginOptions }),
    ...(Object.keys(defaults).length === 0 ? {} : { versionDefaults: defaults }),
  });
};
