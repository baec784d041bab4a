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
  selectProfile,
  unknownProfilePaths,
} from "@cpekit/datamodel-tr181";
import { decodeQuecPythonOptions } from "@cpekit/plugin-quecpython";
import { Either } from "effect";
import type { LoadedProfile } from "../profile/load-profile.js";
import { ProfileError } from "../profile/load-profile.js";

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
  readonly plugin: "generic" | "quecpython";
  /** The profile's `plugin.options` (checked here for `quecpython`). */
  readonly pluginOptions?: Readonly<Record<string, unknown>>;
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
): Record<string, string> => {
  const info = root === "Device" ? "Device.DeviceInfo." : "InternetGatewayDevice.DeviceInfo.";
  const ms = `${root}.ManagementServer.`;
  return {
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
  };

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
    Object.entries({ ...impliedValues(schema.root, deviceId, acs, cr), ...given }).filter(([n]) =>
      selected.parameters.has(toSchemaPath(n)),
    ),
  );
  return Either.right({
    schema: selected,
    deviceId,
    values,
    instances: instancesOf(Object.keys(given)),
    storePath: resolve(base, profile.store),
    acs,
    connectionRequest: cr,
    plugin: pluginName,
    ...(pluginOptions === undefined ? {} : { pluginOptions }),
  });
};
