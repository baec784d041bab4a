/**
 * The generic device's software modules (TR-069 Annex H, the `SoftwareModules` port): one
 * Execution Environment, `generic-host`, whose Deployment Units are cpekit DU packages kept in
 * a directory beside the device's store: one file per DU (`<duid>.json`, the package as
 * fetched) and a small JSON index (`index.json`, written to a temporary file and renamed, so a
 * crash leaves the old index or the new one, never half of one). Its Execution Units run
 * nothing: starting one marks it Active, stopping it Idle, and both survive restarts.
 *
 * Rules of this EE: a package for another EE type is refused (9025), the same UUID and version
 * twice (9026), a package larger than the space left (9027), an update to an older version
 * (9030, no downgrades) or to a version installed already (9032).
 * @module
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type AutonomousDeploymentUnitChange,
  compareDeploymentUnitVersions,
  type DeploymentUnitInfo,
  type DeploymentUnitPackage,
  type ExecEnvInfo,
  type ExecutionUnitInfo,
  type FetchPackage,
  isPackageParseFailure,
  parseDeploymentUnitPackage,
  type SoftwareInventory,
  SoftwareModuleError,
  type SoftwareModulesService,
  softwareModuleError,
} from "@cpekit/core";
import { Effect, PubSub, Stream } from "effect";

/** The EE's key, name and type. */
export const GENERIC_EXEC_ENV_ID = "generic-host";
export const GENERIC_EXEC_ENV_TYPE = "cpekit Generic Host";

/** Default space for packages, in KiB. */
export const DEFAULT_CAPACITY_KIB = 1024;

/** Options of {@link makeGenericSoftwareModules}. */
export interface GenericSoftwareModulesOptions {
  /** The directory of the packages and the index (created when missing). */
  readonly directory: string;
  /** Space for packages in KiB (`AllocatedDiskSpace`). Default {@link DEFAULT_CAPACITY_KIB}. */
  readonly capacityKiB?: number;
  /** `ExecEnv.1.Version`. */
  readonly version?: string;
}

interface StoredUnit {
  readonly euid: string;
  readonly name: string;
  readonly autoStart: boolean;
  readonly status: "Idle" | "Active";
}

interface StoredDu {
  readonly duid: string;
  readonly uuid: string;
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
  readonly description: string;
  readonly url: string;
  readonly bytes: number;
  readonly units: readonly StoredUnit[];
}

interface StoredIndex {
  readonly version: 1;
  readonly enabled: boolean;
  readonly nextId: number;
  readonly units: readonly StoredDu[];
}

const emptyIndex: StoredIndex = { version: 1, enabled: true, nextId: 1, units: [] };

/** The generic device's software modules, plus the local actions a user of the host can take. */
export interface GenericSoftwareModules extends SoftwareModulesService {
  /**
   * Installs a package as the device's own user would (not asked by the ACS): reported as an
   * autonomous change (AutonomousDUStateChangeComplete under DUStateChangeComplPolicy).
   */
  readonly installLocally: (
    bytes: Uint8Array,
    url: string,
  ) => Effect.Effect<DeploymentUnitInfo, SoftwareModuleError>;
}

const internal = (detail: string, cause?: unknown) =>
  softwareModuleError("Internal", detail, cause);

// TR-069 Annex H: a UUID the CPE makes is a version 5 (SHA-1, name-based) UUID of the DU's
// vendor and name; this namespace is cpekit's own.
const UUID_NAMESPACE = Buffer.from("6f1c7b7a0e3d4c5b9a2f1e0d3c4b5a69", "hex");

/** The name-based (v5) UUID of a DU's vendor and name. */
export const deploymentUnitUuidOf = (vendor: string, name: string): string => {
  const hash = createHash("sha1")
    .update(UUID_NAMESPACE)
    .update(`${vendor}:${name}`, "utf8")
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** Opens (or creates) the package directory of one generic device. */
export const makeGenericSoftwareModules = (
  options: GenericSoftwareModulesOptions,
): Effect.Effect<GenericSoftwareModules, SoftwareModuleError> =>
  Effect.gen(function* () {
    const dir = options.directory;
    const indexFile = join(dir, "index.json");
    const capacityKiB = options.capacityKiB ?? DEFAULT_CAPACITY_KIB;
    const io = <A>(what: string, run: () => Promise<A>) =>
      Effect.tryPromise({
        try: run,
        catch: (cause) => internal(`${what}: ${String(cause)}`, cause),
      });

    yield* io("creating the package directory", () => mkdir(dir, { recursive: true }));
    const loaded = yield* io("reading the package index", async () => {
      try {
        return JSON.parse(await readFile(indexFile, "utf8")) as StoredIndex;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyIndex;
        throw e;
      }
    });
    if (loaded.version !== 1 || !Array.isArray(loaded.units))
      return yield* Effect.fail(
        internal(`the package index ${indexFile} is not a version 1 index`),
      );
    let index: StoredIndex = loaded;
    const lock = yield* Effect.makeSemaphore(1);
    const changes = yield* PubSub.unbounded<AutonomousDeploymentUnitChange>();

    const save = (next: StoredIndex) =>
      Effect.zipRight(
        io("writing the package index", async () => {
          const tmp = `${indexFile}.${process.pid}.tmp`;
          await writeFile(tmp, JSON.stringify(next, null, 2));
          await rename(tmp, indexFile);
        }),
        Effect.sync(() => {
          index = next;
        }),
      );

    const usedKiB = (i: StoredIndex) =>
      Math.ceil(i.units.reduce((sum, u) => sum + u.bytes, 0) / 1024);

    const execEnv = (): ExecEnvInfo => ({
      id: GENERIC_EXEC_ENV_ID,
      name: "cpekit generic host",
      type: GENERIC_EXEC_ENV_TYPE,
      vendor: "cpekit",
      version: options.version ?? "1",
      enabled: index.enabled,
      status: index.enabled ? "Up" : "Disabled",
      allocatedDiskSpaceKiB: capacityKiB,
      availableDiskSpaceKiB: Math.max(0, capacityKiB - usedKiB(index)),
    });

    // DUs being changed now, with the Status they show meanwhile (9029 for a request then).
    const busy = new Map<string, "Updating" | "Uninstalling">();
    const duInfo = (d: StoredDu): DeploymentUnitInfo => ({
      duid: d.duid,
      uuid: d.uuid,
      name: d.name,
      version: d.version,
      vendor: d.vendor,
      description: d.description,
      url: d.url,
      execEnvId: GENERIC_EXEC_ENV_ID,
      status: busy.get(d.duid) ?? "Installed",
      resolved: true,
      executionUnits: d.units.map((u) => u.euid),
    });

    const euInfo = (d: StoredDu, u: StoredUnit): ExecutionUnitInfo => ({
      euid: u.euid,
      name: u.name,
      execEnvLabel: `${d.name}/${u.name}`,
      status: u.status,
      executionFaultCode: "NoFault",
      executionFaultMessage: "",
      autoStart: u.autoStart,
      vendor: d.vendor,
      version: d.version,
      description: d.description,
      duid: d.duid,
      execEnvId: GENERIC_EXEC_ENV_ID,
    });

    const inventory: Effect.Effect<SoftwareInventory, SoftwareModuleError> = Effect.sync(() => ({
      execEnvs: [execEnv()],
      deploymentUnits: index.units.map(duInfo),
      executionUnits: index.units.flatMap((d) => d.units.map((u) => euInfo(d, u))),
    }));

    const checkEnabled = Effect.suspend(() =>
      index.enabled
        ? Effect.void
        : Effect.fail(softwareModuleError("DisabledExecEnv", "the generic-host EE is disabled")),
    );

    const parse = (bytes: Uint8Array) => {
      const p = parseDeploymentUnitPackage(bytes);
      return isPackageParseFailure(p)
        ? Effect.fail(softwareModuleError("Corrupted", p.detail))
        : Effect.succeed(p);
    };

    const checkFits = (p: DeploymentUnitPackage, bytes: number, freedBytes: number) =>
      Effect.suspend(() => {
        if (p.executionEnvType !== undefined && p.executionEnvType !== GENERIC_EXEC_ENV_TYPE)
          return Effect.fail(
            softwareModuleError(
              "ExecEnvMismatch",
              `the package is for ${p.executionEnvType}, this EE is ${GENERIC_EXEC_ENV_TYPE}`,
            ),
          );
        const availableBytes = capacityKiB * 1024 - index.units.reduce((s, u) => s + u.bytes, 0);
        return bytes > availableBytes + freedBytes
          ? Effect.fail(
              softwareModuleError(
                "ResourcesExceeded",
                `the package needs ${bytes} bytes, ${availableBytes + freedBytes} are free`,
              ),
            )
          : Effect.void;
      });

    const unitsOf = (p: DeploymentUnitPackage, duid: string, previous: readonly StoredUnit[]) =>
      p.executionUnits.map((u, i): StoredUnit => {
        const before = previous.find((x) => x.name === u.name);
        return {
          euid: before?.euid ?? `${duid}-eu${i + 1}`,
          name: u.name,
          autoStart: u.autoStart,
          // An EU keeps running across an update; a new one starts when it says AutoStart.
          status: before?.status ?? (u.autoStart ? "Active" : "Idle"),
        };
      });

    /** The record of DU `duid` holding package `p` (`bytes` long) fetched from `url`. */
    const storedDu = (
      p: DeploymentUnitPackage,
      duid: string,
      uuid: string,
      url: string,
      bytes: number,
      previous: readonly StoredUnit[],
    ): StoredDu => ({
      duid,
      uuid,
      name: p.name,
      version: p.version,
      vendor: p.vendor,
      description: p.description,
      url,
      bytes,
      units: unitsOf(p, duid, previous),
    });

    const fileOf = (duid: string) => join(dir, `${duid}.json`);

    const install = (
      request: { readonly uuid?: string; readonly url: string; readonly fetch: FetchPackage },
      bytesGiven?: Uint8Array,
    ) =>
      lock.withPermits(1)(
        Effect.gen(function* () {
          yield* checkEnabled;
          const bytes = bytesGiven ?? (yield* request.fetch).bytes;
          const p = yield* parse(bytes);
          const uuid = request.uuid ?? deploymentUnitUuidOf(p.vendor, p.name);
          if (index.units.some((d) => d.uuid === uuid && d.version === p.version))
            return yield* Effect.fail(
              softwareModuleError(
                "DuplicateDeploymentUnit",
                `DU ${uuid} version ${p.version} is installed already`,
              ),
            );
          yield* checkFits(p, bytes.length, 0);
          const duid = `du${index.nextId}-${randomUUID().slice(0, 8)}`;
          yield* io("writing the package", () => writeFile(fileOf(duid), bytes));
          const stored = storedDu(p, duid, uuid, request.url, bytes.length, []);
          yield* save({ ...index, nextId: index.nextId + 1, units: [...index.units, stored] });
          return duInfo(stored);
        }),
      );

    const find = (duid: string) =>
      Effect.suspend(() => {
        const d = index.units.find((x) => x.duid === duid);
        return d === undefined
          ? Effect.fail(softwareModuleError("UnknownDeploymentUnit", `no DU ${duid}`))
          : Effect.succeed(d);
      });

    const service: GenericSoftwareModules = {
      inventory,
      install: (request) => install(request),
      update: (request) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            yield* checkEnabled;
            const current = yield* find(request.duid);
            busy.set(current.duid, "Updating");
            const { bytes } = yield* Effect.ensuring(
              request.fetch,
              Effect.sync(() => busy.delete(current.duid)),
            );
            const p = yield* parse(bytes);
            if (index.units.some((d) => d.uuid === current.uuid && d.version === p.version))
              return yield* Effect.fail(
                softwareModuleError(
                  "VersionExists",
                  `DU ${current.uuid} version ${p.version} is installed already`,
                ),
              );
            if (compareDeploymentUnitVersions(p.version, current.version) < 0)
              return yield* Effect.fail(
                softwareModuleError(
                  "DowngradeNotPermitted",
                  `version ${p.version} is older than the installed ${current.version}`,
                ),
              );
            yield* checkFits(p, bytes.length, current.bytes);
            yield* io("writing the package", () => writeFile(fileOf(current.duid), bytes));
            const updated = storedDu(
              p,
              current.duid,
              current.uuid,
              request.url,
              bytes.length,
              current.units,
            );
            yield* save({
              ...index,
              units: index.units.map((d) => (d.duid === current.duid ? updated : d)),
            });
            return duInfo(updated);
          }),
        ),
      uninstall: (request) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            yield* checkEnabled;
            const current = yield* find(request.duid);
            // The index first: a crash after it leaves a stray file, never a DU without one.
            yield* save({ ...index, units: index.units.filter((d) => d.duid !== current.duid) });
            yield* io("removing the package", () => rm(fileOf(current.duid), { force: true }));
            return { ...duInfo(current), status: "Uninstalled" as const };
          }),
        ),
      setExecutionUnitState: (euid, requested) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            const du = index.units.find((d) => d.units.some((u) => u.euid === euid));
            if (du === undefined)
              return yield* Effect.fail(
                new SoftwareModuleError({
                  reason: "UnknownExecutionUnit",
                  faultCode: 9005,
                  detail: `no EU ${euid}`,
                }),
              );
            if (requested === "Active") yield* checkEnabled;
            const next: StoredDu = {
              ...du,
              units: du.units.map((u) => (u.euid === euid ? { ...u, status: requested } : u)),
            };
            yield* save({ ...index, units: index.units.map((d) => (d === du ? next : d)) });
            const unit = next.units.find((u) => u.euid === euid) as StoredUnit;
            return euInfo(next, unit);
          }),
        ),
      setExecEnvEnabled: (_id, enabled) =>
        lock.withPermits(1)(
          Effect.gen(function* () {
            // A disabled EE runs nothing: its EUs stop.
            yield* save({
              ...index,
              enabled,
              units: enabled
                ? index.units
                : index.units.map((d) => ({
                    ...d,
                    units: d.units.map((u) => ({ ...u, status: "Idle" as const })),
                  })),
            });
            return execEnv();
          }),
        ),
      autonomousChanges: Stream.fromPubSub(changes),
      installLocally: (bytes, url) =>
        Effect.gen(function* () {
          const startTime = Date.now();
          const result = yield* Effect.either(
            install({ url, fetch: Effect.succeed({ bytes }) }, bytes),
          );
          const completeTime = Date.now();
          if (result._tag === "Right") {
            yield* PubSub.publish(changes, {
              operation: "Install",
              deploymentUnit: result.right,
              startTime,
              completeTime,
            });
            return result.right;
          }
          return yield* Effect.fail(result.left);
        }),
    };
    return service;
  });
