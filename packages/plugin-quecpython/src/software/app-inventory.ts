/**
 * What the module holds, as the bridge's `duList` tells it, and its TR-181 form: one execution
 * environment (QuecPython on the module), a deployment unit per app directory under
 * `/usr/apps` with a manifest, and one execution unit per app (its main file run in a thread).
 * The app's key (its directory's name) is both its DUID and its EUID.
 * @module
 */
import type {
  DeploymentUnitInfo,
  ExecEnvInfo,
  ExecutionFaultCode,
  ExecutionUnitInfo,
  SoftwareInventory,
} from "@cpekit/core";
import type { JsonValue } from "../link/messages.js";
import { QUECPYTHON_EXEC_ENV_TYPE } from "./app-package.js";

/** The key of the module's execution environment. */
export const QUECPYTHON_EXEC_ENV_ID = "quecpython";

/** The manifest the host writes next to an app's files (`.du.json`; short keys, small heap). */
export interface AppManifest {
  /** The DU's name. */
  readonly n: string;
  /** The EU's name. */
  readonly e: string;
  /** UUID. */
  readonly u: string;
  /** Version. */
  readonly v: string;
  /** Vendor. */
  readonly vd: string;
  /** Description. */
  readonly ds: string;
  /** URL installed from. */
  readonly url: string;
  /** Main file. */
  readonly m: string;
  /** AutoStart: 1 starts the app when the bridge starts. */
  readonly as: 0 | 1;
  /** SHA-256 of each file. */
  readonly f: Readonly<Record<string, string>>;
}

/** One app on the module. */
export interface ModuleApp {
  /** Its directory under `/usr/apps`. */
  readonly key: string;
  readonly manifest: AppManifest;
  readonly running: boolean;
  /** The error its last run ended with, if it ended with one. */
  readonly error: string | undefined;
}

/** The `duList` reply, decoded. */
export interface ModuleApps {
  readonly apps: ReadonlyMap<string, ModuleApp>;
  /** `/usr` size and free space in KiB, when the module tells. */
  readonly disk: { readonly totalKiB: number; readonly freeKiB: number } | undefined;
  readonly memory: { readonly allocBytes: number; readonly freeBytes: number } | undefined;
  /** QuecPython version (`uos.uname()` qpyver). */
  readonly qpyVersion: string;
}

const isRecord = (u: unknown): u is Record<string, JsonValue> =>
  typeof u === "object" && u !== null && !Array.isArray(u);
const text = (v: JsonValue | undefined): string => (typeof v === "string" ? v : "");
const pair = (v: JsonValue | undefined): [number, number] | undefined =>
  Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")
    ? [v[0] as number, v[1] as number]
    : undefined;

const manifestOf = (key: string, m: JsonValue | undefined): AppManifest | undefined => {
  if (!isRecord(m)) return undefined;
  const files = isRecord(m.f) ? m.f : {};
  const name = text(m.n) || key;
  return {
    n: name,
    e: text(m.e) || name,
    u: text(m.u),
    v: text(m.v),
    vd: text(m.vd),
    ds: text(m.ds),
    url: text(m.url),
    m: text(m.m) || "main.py",
    as: m.as === 1 || m.as === true ? 1 : 0,
    f: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, text(v)])),
  };
};

/**
 * Decodes a `duList` reply. Directories without a readable manifest (left over, or not made by
 * cpekit) are not apps.
 */
export const decodeModuleApps = (reply: JsonValue): ModuleApps => {
  const r = isRecord(reply) ? reply : {};
  const apps = new Map<string, ModuleApp>();
  for (const [key, entry] of Object.entries(isRecord(r.a) ? r.a : {})) {
    if (!isRecord(entry)) continue;
    const manifest = manifestOf(key, entry.m);
    if (manifest === undefined) continue;
    apps.set(key, {
      key,
      manifest,
      running: entry.r === 1,
      error: typeof entry.e === "string" ? entry.e : undefined,
    });
  }
  const fs = pair(r.fs);
  const mem = pair(r.mem);
  return {
    apps,
    disk: fs === undefined ? undefined : { totalKiB: fs[0], freeKiB: fs[1] },
    memory: mem === undefined ? undefined : { allocBytes: mem[0], freeBytes: mem[1] },
    qpyVersion: text(r.q),
  };
};

/** The module's execution environment. */
export const execEnvOf = (m: ModuleApps): ExecEnvInfo => ({
  id: QUECPYTHON_EXEC_ENV_ID,
  name: "QuecPython",
  type: QUECPYTHON_EXEC_ENV_TYPE,
  vendor: "Quectel",
  version: m.qpyVersion,
  enabled: true,
  status: "Up",
  allocatedDiskSpaceKiB: m.disk?.totalKiB ?? -1,
  availableDiskSpaceKiB: m.disk?.freeKiB ?? -1,
  allocatedMemoryKiB:
    m.memory === undefined ? -1 : Math.floor((m.memory.allocBytes + m.memory.freeBytes) / 1024),
  availableMemoryKiB: m.memory === undefined ? -1 : Math.floor(m.memory.freeBytes / 1024),
});

/** The deployment unit of an app. */
export const deploymentUnitOf = (app: ModuleApp): DeploymentUnitInfo => ({
  duid: app.key,
  uuid: app.manifest.u,
  name: app.manifest.n,
  version: app.manifest.v,
  vendor: app.manifest.vd,
  description: app.manifest.ds,
  url: app.manifest.url,
  execEnvId: QUECPYTHON_EXEC_ENV_ID,
  status: "Installed",
  resolved: true,
  executionUnits: [app.key],
});

/** A fault the host saw when it started or stopped an app (the module only knows run errors). */
export interface HostExecutionFault {
  readonly code: Extract<ExecutionFaultCode, "FailureOnStart" | "FailureOnStop">;
  readonly message: string;
}

/**
 * The execution unit of an app. Its fault: the one the host saw starting or stopping it, else
 * `FailureWhileActive` when its last run ended with an error, else `NoFault`.
 */
export const executionUnitOf = (
  app: ModuleApp,
  hostFault: HostExecutionFault | undefined,
): ExecutionUnitInfo => {
  const fault: { code: ExecutionFaultCode; message: string } =
    hostFault !== undefined
      ? hostFault
      : app.error !== undefined && !app.running
        ? { code: "FailureWhileActive", message: app.error }
        : { code: "NoFault", message: "" };
  return {
    euid: app.key,
    name: app.manifest.e,
    execEnvLabel: app.key,
    status: app.running ? "Active" : "Idle",
    executionFaultCode: fault.code,
    executionFaultMessage: fault.message.slice(0, 256),
    autoStart: app.manifest.as === 1,
    vendor: app.manifest.vd,
    version: app.manifest.v,
    description: app.manifest.ds,
    duid: app.key,
    execEnvId: QUECPYTHON_EXEC_ENV_ID,
  };
};

/** The inventory of the module, with the faults the host saw per app. */
export const inventoryOf = (
  m: ModuleApps,
  hostFaults: ReadonlyMap<string, HostExecutionFault>,
): SoftwareInventory => {
  const apps = [...m.apps.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    execEnvs: [execEnvOf(m)],
    deploymentUnits: apps.map(deploymentUnitOf),
    executionUnits: apps.map((a) => executionUnitOf(a, hostFaults.get(a.key))),
  };
};
