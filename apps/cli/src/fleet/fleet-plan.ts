/**
 * What `cpekit fleet <profile>` runs, settled from the profile (its `fleet:` section) and the
 * command line (which wins): how many devices, their serials, the ramp, the shard, the
 * per-device connection-request rate limit, the store, and each device's identity and factory
 * values. A bad value is refused before anything starts, one problem per line naming its field.
 * @module
 */
import { basename, dirname, extname, join, resolve } from "node:path";
import { type CompiledSchema, compileSchema, toSchemaPath } from "@cpekit/core";
import {
  compileSerialTemplate,
  type FleetDeviceSpec,
  kindOfIndex,
  parseRamp,
  parseShard,
  periodicInformTimeFor,
  type Ramp,
  type SerialTemplate,
  type Shard,
  wholeFleet,
} from "@cpekit/fleet";
import { Duration, Either } from "effect";
import type { DeviceSpec } from "../device/device-spec.js";
import { deviceSpecOf } from "../device/device-spec.js";
import type { LoadedProfile } from "../profile/load-profile.js";
import { ProfileError } from "../profile/load-profile.js";

/** The options of `cpekit fleet` that override the profile's `fleet:` section. */
export interface FleetCommandOptions {
  readonly count?: string;
  readonly ramp?: string;
  readonly shard?: string;
  readonly store?: string;
  readonly maxSessions?: string;
  readonly metricsPort?: string;
  readonly metricsHost: string;
  readonly grace: string;
  readonly status?: boolean;
}

/** Where the fleet keeps its devices' state. */
export type FleetStorePlan =
  | { readonly kind: "memory" }
  /** Every device's document in one LMDB environment (a folder). */
  | { readonly kind: "lmdb"; readonly dir: string };

/** One kind of device of a fleet: a profile's device and its weight in the mix. */
export interface FleetKind {
  /** The profile's device (with the serial of index 0): the template of its kind. */
  readonly device: DeviceSpec;
  readonly weight: number;
  /** Compiled once for the devices of this kind. */
  readonly schema: CompiledSchema;
}

/** A mixed-in profile, loaded, with its path (for messages and relative paths). */
export interface MixedProfile {
  readonly loaded: LoadedProfile;
  readonly file: string;
  readonly weight: number;
}

/** A settled fleet. */
export interface FleetPlan {
  /**
   * The profile's own device: its connection-request listener and ACS TLS settings serve the
   * whole fleet.
   */
  readonly device: DeviceSpec;
  /** The kinds of device by weight: the profile's own first, then `fleet.mix`'s. */
  readonly kinds: readonly FleetKind[];
  readonly count: number;
  readonly serialOf: SerialTemplate;
  readonly ramp: Ramp;
  readonly shard: Shard;
  readonly rateLimit?: { readonly max: number; readonly window: Duration.Duration };
  readonly store: FleetStorePlan;
  /** Most sessions open at once (`--max-sessions`, `fleet.maxOpenSessions`); unset: the fleet's default. */
  readonly maxOpenSessions?: number;
  /** The path prefix of the devices' connection-request URLs (`/cr/`). */
  readonly pathPrefix: string;
}

const DEFAULT_TEMPLATE = "CPE{index:06}";

/** `{serial}` and `{index}` in a credential make it per device. */
const fillCredential = (template: string, index: number, serial: string) =>
  template.replaceAll("{serial}", serial).replaceAll("{index}", String(index));

/** Settles the fleet of the profile `file` with the command line's overrides. */
export const fleetPlanOf = (
  loaded: LoadedProfile,
  file: string,
  options: FleetCommandOptions,
  mixed: readonly MixedProfile[] = [],
): Either.Either<FleetPlan, ProfileError> => {
  const problems: string[] = [];
  const section = loaded.profile.fleet ?? {};
  if ((loaded.profile.plugin?.name ?? "generic") !== "generic")
    problems.push("plugin.name: a fleet runs generic devices (state in the store) only");

  const countText =
    options.count ?? (section.count === undefined ? undefined : String(section.count));
  const count = countText === undefined ? Number.NaN : Number(countText);
  if (countText === undefined) problems.push("fleet.count: how many devices? (or --count N)");
  else if (!Number.isInteger(count) || count < 1)
    problems.push(`--count: expected a whole number of devices, got "${countText}"`);

  const template = section.serialTemplate ?? DEFAULT_TEMPLATE;
  const serialOf = compileSerialTemplate(template, Number.isInteger(count) ? count - 1 : 0);
  if (Either.isLeft(serialOf)) problems.push(`fleet.serialTemplate: ${serialOf.left.detail}`);

  const rampText = options.ramp ?? (section.ramp === undefined ? "200/s" : String(section.ramp));
  const ramp = parseRamp(rampText);
  if (Either.isLeft(ramp))
    problems.push(`${options.ramp ? "--ramp" : "fleet.ramp"}: ${ramp.left.detail}`);

  const shardText = options.shard ?? section.shard;
  const shard = shardText === undefined ? Either.right(wholeFleet) : parseShard(shardText);
  if (Either.isLeft(shard))
    problems.push(`${options.shard ? "--shard" : "fleet.shard"}: ${shard.left.detail}`);

  const maxSessionsText =
    options.maxSessions ??
    (section.maxOpenSessions === undefined ? undefined : String(section.maxOpenSessions));
  const maxOpenSessions = maxSessionsText === undefined ? undefined : Number(maxSessionsText);
  if (
    maxOpenSessions !== undefined &&
    (!/^[0-9]+$/.test(maxSessionsText ?? "") ||
      !Number.isSafeInteger(maxOpenSessions) ||
      maxOpenSessions < 1)
  )
    problems.push(
      `${options.maxSessions !== undefined ? "--max-sessions" : "fleet.maxOpenSessions"}: expected a whole number of sessions (at least 1), got "${maxSessionsText}"`,
    );

  // The profile's own checks, with a serial in place (the template gives each device its own).
  const firstSerial = Either.isRight(serialOf) ? serialOf.right(0) : "CPE0";
  const device = deviceSpecOf(
    {
      ...loaded,
      profile: {
        ...loaded.profile,
        device: { ...loaded.profile.device, serialNumber: firstSerial },
      },
    },
    file,
  );
  if (Either.isLeft(device)) problems.push(...device.left.problems);
  const others = mixed.map((m) => {
    const plugin = m.loaded.profile.plugin?.name ?? "generic";
    if (plugin !== "generic")
      problems.push(`fleet.mix ${m.file}: plugin.name: a fleet runs generic devices only`);
    const spec = deviceSpecOf(
      {
        ...m.loaded,
        profile: {
          ...m.loaded.profile,
          device: { ...m.loaded.profile.device, serialNumber: firstSerial },
        },
      },
      m.file,
    );
    if (Either.isLeft(spec))
      problems.push(...spec.left.problems.map((p) => `fleet.mix ${m.file}: ${p}`));
    return { spec, weight: m.weight };
  });

  if (
    problems.length > 0 ||
    Either.isLeft(device) ||
    Either.isLeft(serialOf) ||
    Either.isLeft(ramp) ||
    Either.isLeft(shard)
  )
    return Either.left(new ProfileError({ file, problems }));

  const base = dirname(resolve(file));
  const storeText = options.store ?? section.store;
  const storePath = device.right.storePath;
  const store: FleetStorePlan =
    storeText === "memory"
      ? { kind: "memory" }
      : {
          kind: "lmdb",
          dir:
            storeText === undefined
              ? join(dirname(storePath), `${basename(storePath, extname(storePath))}-fleet`)
              : resolve(base, storeText),
        };
  // The fleet's own setting, else the device's (`connectionRequest.rateLimit`, as for `run`).
  const limit = section.connectionRequestRateLimit ?? device.right.connectionRequest.rateLimit;
  const kinds: FleetKind[] = [{ spec: device, weight: section.weight ?? 1 }, ...others].flatMap(
    ({ spec, weight }) =>
      Either.isRight(spec)
        ? [{ device: spec.right, weight, schema: compileSchema(spec.right.schema) }]
        : [],
  );
  return Either.right({
    device: device.right,
    kinds,
    count,
    serialOf: serialOf.right,
    ramp: ramp.right,
    shard: shard.right,
    ...(limit === undefined
      ? {}
      : { rateLimit: { max: limit.max, window: Duration.seconds(limit.windowSeconds) } }),
    store,
    ...(maxOpenSessions === undefined ? {} : { maxOpenSessions }),
    pathPrefix: loaded.profile.connectionRequest?.path?.replace(/\/?$/, "/") ?? "/cr/",
  });
};

/** The kind of device of fleet index `index`. */
export const fleetKindOf = (plan: FleetPlan, index: number): FleetKind => {
  const kind =
    plan.kinds[
      kindOfIndex(
        plan.kinds.map((k) => k.weight),
        index,
      )
    ] ?? plan.kinds[0];
  if (kind === undefined) throw new Error("a fleet plan without a kind of device");
  return kind;
};

/**
 * The device of fleet index `index`: its kind's device (the profile's, or a mixed-in one's)
 * with its own serial, its own connection-request credentials (`{serial}` / `{index}` filled
 * in) and, unless the profile fixes one, its own periodic phase (PeriodicInformTime spread over
 * the interval).
 */
export const fleetDeviceSpecOf = (plan: FleetPlan, index: number): FleetDeviceSpec => {
  const kind = fleetKindOf(plan, index);
  const { device } = kind;
  const serial = plan.serialOf(index);
  const root = device.schema.root;
  const ms = `${root}.ManagementServer.`;
  const username = fillCredential(device.connectionRequest.username, index, serial);
  const password = fillCredential(device.connectionRequest.password, index, serial);
  const interval = Number(device.values[`${ms}PeriodicInformInterval`] ?? "3600");
  const has = (name: string) => device.schema.parameters.has(toSchemaPath(name));
  const own: Record<string, string> = {
    [`${root}.DeviceInfo.SerialNumber`]: serial,
    [`${ms}ConnectionRequestUsername`]: username,
    [`${ms}ConnectionRequestPassword`]: password,
  };
  if (device.values[`${ms}PeriodicInformTime`] === undefined)
    own[`${ms}PeriodicInformTime`] = periodicInformTimeFor(
      index,
      plan.count,
      Number.isFinite(interval) && interval >= 1 ? interval : 3600,
    );
  return {
    index,
    deviceId: { ...device.deviceId, serialNumber: serial },
    acs: {
      url: device.acs.url,
      ...(device.acs.username === undefined ? {} : { username: device.acs.username }),
      ...(device.acs.password === undefined ? {} : { password: device.acs.password }),
    },
    connectionRequest: { username, password },
    values: {
      ...device.values,
      ...Object.fromEntries(Object.entries(own).filter(([name]) => has(name))),
    },
    instances: device.instances,
    dataModel: { schema: kind.schema, managementServerPrefix: ms },
  };
};
