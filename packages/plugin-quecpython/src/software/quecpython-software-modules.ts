/**
 * The `SoftwareModules` port of a QuecPython module: a deployment unit is an application under
 * `/usr/apps/<name>` on the module, installed, updated and removed through the bridge, and its
 * one execution unit is the app's main file run in a `_thread` (see `bridge/app-actions.ts`).
 *
 * - Install: fetch the package (`app-package.ts`), refuse an app already there under its key or
 *   its UUID and version (9026) or a package larger than the free space (9027), write the files into the staging
 *   directory with a checksum checked on the module (`app-upload.ts`; a mismatch fails with
 *   9018 and nothing is committed), commit with the manifest, start it if it says AutoStart.
 * - Update: the same package name with another version (9032 for the same one; a package of
 *   another app is 9003); a running app is stopped before the commit and started again after.
 *   The UUID stays the DU's.
 * - Uninstall: stop the app, remove its directory.
 * - RequestedState: `euStart` / `euStop` (the app polls `cpekit_stop()`; one that does not is
 *   ended with `_thread.stop_thread` after `stopGraceMs`).
 * The state lives on the module (the manifests), so a new agent or a restarted host reads the
 * same inventory.
 * @module
 */
import {
  type DeploymentUnitInfo,
  type ExecutionUnitInfo,
  type FetchPackage,
  type SoftwareInventory,
  SoftwareModuleError,
  type SoftwareModulesService,
  softwareModuleError,
} from "@cpekit/core";
import { Effect, Either } from "effect";
import { whenLinkReady } from "../device/link-ready.js";
import type { BridgeLink } from "../link/bridge-link.js";
import type { JsonValue } from "../link/messages.js";
import {
  type AppManifest,
  decodeModuleApps,
  deploymentUnitOf,
  executionUnitOf,
  type HostExecutionFault,
  inventoryOf,
  type ModuleApp,
  type ModuleApps,
  QUECPYTHON_EXEC_ENV_ID,
} from "./app-inventory.js";
import { type AppPackage, parseAppPackage } from "./app-package.js";
import { ChecksumMismatch, uploadAppFiles } from "./app-upload.js";
import { appUuid } from "./app-uuid.js";

/** Options of {@link makeQuecPythonSoftwareModules}. */
export interface QuecPythonSoftwareModulesOptions {
  /** Time-out of each bridge request, in ms (default 10 000). */
  readonly requestTimeoutMs?: number;
  /** How long to wait for the module when its port is gone (restart), in ms (default 30 000). */
  readonly reconnectWaitMs?: number;
  /** How long a stopping app gets to notice `cpekit_stop()` before its thread is killed (default 3000 ms). */
  readonly stopGraceMs?: number;
  /** How long after a start the module looks whether the app is still running (default 100 ms). */
  readonly startCheckMs?: number;
  /** Raw bytes per file chunk written (default 512). */
  readonly chunkBytes?: number;
}

const message = (cause: unknown): string =>
  cause instanceof Error ? cause.message : String(cause);

/** The software modules of the module behind `link`. */
export const makeQuecPythonSoftwareModules = (
  link: BridgeLink,
  options: QuecPythonSoftwareModulesOptions = {},
): SoftwareModulesService => {
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const waitMs = options.reconnectWaitMs ?? 30_000;
  const stopGraceMs = options.stopGraceMs ?? 3000;
  /** Start and stop failures, by app (the module records only errors of a run). */
  const hostFaults = new Map<string, HostExecutionFault>();

  const call = (
    action: string,
    args: Readonly<Record<string, JsonValue>>,
    extraMs = 0,
  ): Effect.Effect<JsonValue, SoftwareModuleError> =>
    Effect.tryPromise({
      try: () =>
        whenLinkReady(link, waitMs, () =>
          link.action(action, args, { timeoutMs: timeoutMs + extraMs }),
        ),
      catch: (cause) => softwareModuleError("Internal", `${action}: ${message(cause)}`, cause),
    });

  const moduleApps: Effect.Effect<ModuleApps, SoftwareModuleError> = Effect.map(
    call("duList", {}),
    decodeModuleApps,
  );

  const appNamed = (apps: ModuleApps, duid: string) => {
    const app = apps.apps.get(duid);
    return app === undefined
      ? Effect.fail(softwareModuleError("UnknownDeploymentUnit", `no app "${duid}" on the module`))
      : Effect.succeed(app);
  };

  const parse = (fetch: FetchPackage, url: string) =>
    Effect.flatMap(fetch, (fetched) =>
      Either.match(parseAppPackage(fetched.bytes, url), {
        onLeft: Effect.fail,
        onRight: Effect.succeed,
      }),
    );

  const checkSpace = (apps: ModuleApps, pkg: AppPackage) => {
    const kib = Math.ceil(pkg.files.reduce((n, f) => n + f.bytes.length, 0) / 1024);
    return apps.disk !== undefined && kib > apps.disk.freeKiB
      ? Effect.fail(
          softwareModuleError(
            "ResourcesExceeded",
            `the app needs ${kib} KiB, /usr has ${apps.disk.freeKiB} KiB free`,
          ),
        )
      : Effect.void;
  };

  /** Writes the files into staging, checks them on the module and commits with `manifest`. */
  const deploy = (pkg: AppPackage, manifest: Omit<AppManifest, "f">, beforeCommit = Effect.void) =>
    Effect.gen(function* () {
      yield* call("duRemove", { a: pkg.key, s: 1 });
      const sums = yield* Effect.tryPromise({
        try: () =>
          uploadAppFiles(link, pkg.key, pkg.files, {
            timeoutMs,
            ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
          }),
        catch: (cause) =>
          cause instanceof ChecksumMismatch
            ? softwareModuleError("Corrupted", cause.message, cause)
            : softwareModuleError("Internal", `writing the files: ${message(cause)}`, cause),
      }).pipe(Effect.tapError(() => Effect.ignore(call("duRemove", { a: pkg.key, s: 1 }))));
      yield* beforeCommit;
      const full: AppManifest = { ...manifest, f: sums };
      yield* call("duCommit", { a: pkg.key, m: full as unknown as JsonValue });
    });

  const manifestOf = (pkg: AppPackage, uuid: string, url: string): Omit<AppManifest, "f"> => ({
    n: pkg.name,
    e: pkg.unitName,
    u: uuid,
    v: pkg.version,
    vd: pkg.vendor,
    ds: pkg.description,
    url,
    m: pkg.main,
    as: pkg.autoStart ? 1 : 0,
  });

  const start = (name: string) =>
    Effect.gen(function* () {
      const reply = yield* Effect.either(
        call("euStart", { a: name, w: options.startCheckMs ?? 100 }),
      );
      if (Either.isLeft(reply)) {
        hostFaults.set(name, { code: "FailureOnStart", message: reply.left.detail });
        return;
      }
      const r = reply.right as { r?: number; e?: string | null };
      if (r.r === 1) hostFaults.delete(name);
      else
        hostFaults.set(name, {
          code: "FailureOnStart",
          message: typeof r.e === "string" ? r.e : "the app ended at once",
        });
    });

  const stop = (name: string) =>
    Effect.gen(function* () {
      const reply = yield* Effect.either(call("euStop", { a: name, w: stopGraceMs }, stopGraceMs));
      if (Either.isLeft(reply))
        hostFaults.set(name, { code: "FailureOnStop", message: reply.left.detail });
      else hostFaults.delete(name);
    });

  const found = (name: string) => Effect.flatMap(moduleApps, (apps) => appNamed(apps, name));

  const install: SoftwareModulesService["install"] = (request) =>
    Effect.gen(function* () {
      if (request.execEnvId !== undefined && request.execEnvId !== QUECPYTHON_EXEC_ENV_ID)
        return yield* softwareModuleError(
          "UnknownExecEnv",
          `the module has one execution environment, not "${request.execEnvId}"`,
        );
      const pkg = yield* parse(request.fetch, request.url);
      const uuid = request.uuid ?? appUuid(pkg.vendor, pkg.name);
      const apps = yield* moduleApps;
      const same = [...apps.apps.values()].find(
        (a) => a.manifest.u === uuid && a.manifest.v === pkg.version,
      );
      if (same !== undefined)
        return yield* softwareModuleError(
          "DuplicateDeploymentUnit",
          `UUID ${uuid} version "${pkg.version}" is installed (app "${same.key}")`,
        );
      const taken = apps.apps.get(pkg.key);
      if (taken !== undefined)
        return yield* softwareModuleError(
          "DuplicateDeploymentUnit",
          `app "${pkg.key}" is installed (${taken.manifest.n} version "${taken.manifest.v}"); an Update replaces it`,
        );
      yield* checkSpace(apps, pkg);
      yield* deploy(pkg, manifestOf(pkg, uuid, request.url));
      hostFaults.delete(pkg.key);
      if (pkg.autoStart) yield* start(pkg.key);
      return deploymentUnitOf(yield* found(pkg.key));
    });

  const update: SoftwareModulesService["update"] = (request) =>
    Effect.gen(function* () {
      const apps = yield* moduleApps;
      const current = yield* appNamed(apps, request.duid);
      const pkg = yield* parse(request.fetch, request.url);
      if (pkg.key !== current.key)
        return yield* softwareModuleError(
          "InvalidArguments",
          `the package is app "${pkg.name}", the deployment unit is "${current.manifest.n}"`,
        );
      if (pkg.version === current.manifest.v)
        return yield* softwareModuleError(
          "VersionExists",
          `version "${pkg.version}" of "${pkg.name}" is installed already`,
        );
      yield* checkSpace(apps, pkg);
      yield* deploy(
        pkg,
        manifestOf(pkg, current.manifest.u, request.url),
        current.running ? stop(pkg.key) : Effect.void,
      );
      if (current.running || pkg.autoStart) yield* start(pkg.key);
      return deploymentUnitOf(yield* found(pkg.key));
    });

  const uninstall: SoftwareModulesService["uninstall"] = (request) =>
    Effect.gen(function* () {
      const app = yield* found(request.duid);
      if (app.running) yield* stop(app.key);
      yield* call("duRemove", { a: app.key });
      hostFaults.delete(app.key);
      return { ...deploymentUnitOf(app), status: "Uninstalled" } satisfies DeploymentUnitInfo;
    });

  const setExecutionUnitState: SoftwareModulesService["setExecutionUnitState"] = (
    euid,
    requested,
  ) =>
    Effect.gen(function* () {
      const app: ModuleApp = yield* Effect.mapError(found(euid), (e) =>
        e.reason === "UnknownDeploymentUnit"
          ? new SoftwareModuleError({
              reason: "UnknownExecutionUnit",
              faultCode: 9003,
              detail: `no execution unit "${euid}" on the module`,
            })
          : e,
      );
      if (requested === "Active" && !app.running) yield* start(euid);
      if (requested === "Idle" && app.running) yield* stop(euid);
      const after = yield* found(euid);
      return executionUnitOf(after, hostFaults.get(euid)) satisfies ExecutionUnitInfo;
    });

  const inventory: Effect.Effect<SoftwareInventory, SoftwareModuleError> = Effect.map(
    moduleApps,
    (apps) => inventoryOf(apps, hostFaults),
  );

  return { inventory, install, update, uninstall, setExecutionUnitState };
};
