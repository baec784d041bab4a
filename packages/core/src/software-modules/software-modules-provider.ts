/**
 * `Device.SoftwareModules.` as a view of the `SoftwareModules` port: a `ParameterProvider` that
 * answers the ExecEnv, DeploymentUnit and ExecutionUnit tables from the plugin's inventory at
 * every read (so they are always true: a DU appears once installed, disappears once
 * uninstalled), with the agent's stable instance numbers. Writes start or stop an EU
 * (`ExecutionUnit.{i}.RequestedState` Idle/Active) or enable an EE (`ExecEnv.{i}.Enable`).
 * @module
 */
import { Effect } from "effect";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { DataModelSchema } from "../datamodel/schema.js";
import { type ParameterProvider, ProviderError } from "../ports/parameter-provider.js";
import type {
  DeploymentUnitInfo,
  ExecEnvInfo,
  ExecutionUnitInfo,
  SoftwareInventory,
  SoftwareModuleError,
  SoftwareModulesService,
} from "../ports/software-modules.js";
import type { StoreError } from "../ports/store.js";
import type { SoftwareModulesRefs } from "./software-modules-book.js";
import type { SoftwareModulesTable } from "./software-modules-state.js";

const PROVIDER = "softwareModules";

/** What the view reads. */
export interface SoftwareModulesProviderConfig {
  readonly modules: SoftwareModulesService;
  /** Numbers an inventory (the book's `refs`). */
  readonly refs: (inventory: SoftwareInventory) => Effect.Effect<SoftwareModulesRefs, StoreError>;
  /** The device's schema (`root`, and the types of the parameters the plugin does not fill). */
  readonly schema: DataModelSchema;
}

const tables: Readonly<Record<string, SoftwareModulesTable>> = {
  ExecEnv: "execEnvs",
  DeploymentUnit: "deploymentUnits",
  ExecutionUnit: "executionUnits",
};

const kib = (v: number | undefined): string => String(v ?? -1);

const execEnvValue = (
  ee: ExecEnvInfo,
  name: string,
  inv: SoftwareInventory,
  refs: SoftwareModulesRefs,
): string | undefined => {
  switch (name) {
    case "Enable":
      return String(ee.enabled);
    case "Status":
      return ee.status;
    case "Name":
      return ee.name;
    case "Type":
      return ee.type;
    case "Vendor":
      return ee.vendor;
    case "Version":
      return ee.version;
    case "AllocatedDiskSpace":
      return kib(ee.allocatedDiskSpaceKiB);
    case "AvailableDiskSpace":
      return kib(ee.availableDiskSpaceKiB);
    case "AllocatedMemory":
      return kib(ee.allocatedMemoryKiB);
    case "AvailableMemory":
      return kib(ee.availableMemoryKiB);
    case "ActiveExecutionUnits":
      return inv.executionUnits
        .filter((u) => u.execEnvId === ee.id && u.status === "Active")
        .map((u) => refs.executionUnitRef(u.euid))
        .join(",");
    default:
      return undefined;
  }
};

const deploymentUnitValue = (
  du: DeploymentUnitInfo,
  name: string,
  refs: SoftwareModulesRefs,
): string | undefined => {
  switch (name) {
    case "UUID":
      return du.uuid;
    case "DUID":
      return du.duid;
    case "Name":
      return du.name;
    case "Status":
      return du.status;
    case "Resolved":
      return String(du.resolved);
    case "URL":
      return du.url;
    case "Description":
      return du.description;
    case "Vendor":
      return du.vendor;
    case "Version":
      return du.version;
    case "ExecutionUnitList":
      return du.executionUnits.map((u) => refs.executionUnitRef(u)).join(",");
    case "ExecutionEnvRef":
      return refs.execEnvRef(du.execEnvId);
    default:
      return undefined;
  }
};

const executionUnitValue = (
  eu: ExecutionUnitInfo,
  name: string,
  refs: SoftwareModulesRefs,
): string | undefined => {
  switch (name) {
    case "EUID":
      return eu.euid;
    case "Name":
      return eu.name;
    case "ExecEnvLabel":
      return eu.execEnvLabel;
    case "Status":
      return eu.status;
    // The state last asked for, as the EU is heading to it.
    case "RequestedState":
      return eu.status === "Active" || eu.status === "Starting" ? "Active" : "Idle";
    case "ExecutionFaultCode":
      return eu.executionFaultCode;
    case "ExecutionFaultMessage":
      return eu.executionFaultMessage;
    case "AutoStart":
      return String(eu.autoStart);
    case "Vendor":
      return eu.vendor;
    case "Version":
      return eu.version;
    case "Description":
      return eu.description;
    case "ExecutionEnvRef":
      return refs.execEnvRef(eu.execEnvId);
    default:
      return undefined;
  }
};

/** The value of a parameter the plugin does not describe: its default, else its type's zero. */
const fallback = (schema: DataModelSchema, path: string): string => {
  const schemaPath = path.replace(/\.\d+\./g, ".{i}.");
  const p = schema.parameters.get(schemaPath);
  if (p?.default !== undefined) return p.default;
  switch (p?.type) {
    case "boolean":
      return "false";
    case "int":
    case "long":
    case "unsignedInt":
    case "unsignedLong":
      return "0";
    case "dateTime":
      return UNKNOWN_TIME;
    default:
      return "";
  }
};

const failed = (detail: string, faultCode?: number, cause?: unknown) =>
  new ProviderError({
    reason: faultCode === undefined ? "Failed" : "Rejected",
    provider: PROVIDER,
    detail,
    ...(faultCode === undefined ? {} : { faultCode }),
    ...(cause === undefined ? {} : { cause }),
  });

const fromPort = (e: SoftwareModuleError | StoreError) =>
  failed(e.message, e._tag === "SoftwareModuleError" ? e.faultCode : undefined, e);

/** A parsed path under the prefix: a table row's parameter, or a top-level parameter. */
interface RowPath {
  readonly table: SoftwareModulesTable;
  readonly n: number;
  readonly name: string;
}

/** The view of `config.modules` under `<root>.SoftwareModules.`. */
export const makeSoftwareModulesProvider = (
  config: SoftwareModulesProviderConfig,
): ParameterProvider => {
  const prefix = `${config.schema.root}.SoftwareModules.`;
  const rowPath = (path: string): RowPath | undefined => {
    const m = /^(ExecEnv|DeploymentUnit|ExecutionUnit)\.(\d+)\.([A-Za-z]+)$/.exec(
      path.slice(prefix.length),
    );
    const table = m?.[1] === undefined ? undefined : tables[m[1]];
    return table === undefined || m?.[2] === undefined || m[3] === undefined
      ? undefined
      : { table, n: Number(m[2]), name: m[3] };
  };
  const snapshot = Effect.mapError(
    Effect.flatMap(config.modules.inventory, (inventory) =>
      Effect.map(config.refs(inventory), (refs) => ({ inventory, refs })),
    ),
    fromPort,
  );

  const valueAt = (path: string, inv: SoftwareInventory, refs: SoftwareModulesRefs): string => {
    const rest = path.slice(prefix.length);
    if (rest === "ExecEnvNumberOfEntries") return String(inv.execEnvs.length);
    if (rest === "DeploymentUnitNumberOfEntries") return String(inv.deploymentUnits.length);
    if (rest === "ExecutionUnitNumberOfEntries") return String(inv.executionUnits.length);
    const row = rowPath(path);
    if (row === undefined) return fallback(config.schema, path);
    const key = refs.keyOf(row.table, row.n);
    const found =
      row.table === "execEnvs"
        ? inv.execEnvs.find((e) => e.id === key)
        : row.table === "deploymentUnits"
          ? inv.deploymentUnits.find((d) => d.duid === key)
          : inv.executionUnits.find((u) => u.euid === key);
    const value =
      found === undefined
        ? undefined
        : row.table === "execEnvs"
          ? execEnvValue(found as ExecEnvInfo, row.name, inv, refs)
          : row.table === "deploymentUnits"
            ? deploymentUnitValue(found as DeploymentUnitInfo, row.name, refs)
            : executionUnitValue(found as ExecutionUnitInfo, row.name, refs);
    return value ?? fallback(config.schema, path);
  };

  return {
    name: PROVIDER,
    paths: [prefix],
    get: (paths) =>
      Effect.map(snapshot, ({ inventory, refs }) => {
        const out = new Map<string, string>();
        for (const p of paths) out.set(p, valueAt(p, inventory, refs));
        return out;
      }),
    set: (changes) =>
      Effect.gen(function* () {
        const { refs } = yield* snapshot;
        // Every change is checked before any is applied (SetParameterValues is atomic).
        const actions: Effect.Effect<unknown, ProviderError>[] = [];
        for (const c of changes) {
          const row = rowPath(c.path);
          const key = row === undefined ? undefined : refs.keyOf(row.table, row.n);
          if (row === undefined || key === undefined)
            return yield* Effect.fail(failed(`${c.path} cannot be set`, 9005));
          if (row.table === "executionUnits" && row.name === "RequestedState") {
            if (c.value !== "Idle" && c.value !== "Active")
              return yield* Effect.fail(failed(`RequestedState ${c.value}`, 9007));
            const state = c.value;
            actions.push(
              Effect.mapError(config.modules.setExecutionUnitState(key, state), fromPort),
            );
          } else if (row.table === "execEnvs" && row.name === "Enable") {
            const setEnabled = config.modules.setExecEnvEnabled;
            if (setEnabled === undefined)
              return yield* Effect.fail(failed("this device's EEs cannot be disabled", 9001));
            const enabled = c.value === "true" || c.value === "1";
            actions.push(Effect.mapError(setEnabled(key, enabled), fromPort));
          } else {
            return yield* Effect.fail(failed(`${c.path} is not writable here`, 9008));
          }
        }
        for (const a of actions) yield* a;
        return { status: 0 as const };
      }),
    instances: (tablePath) =>
      Effect.map(snapshot, ({ inventory, refs }) => {
        const table = tables[tablePath.slice(prefix.length, -1)];
        if (table === undefined) return [];
        const keys =
          table === "execEnvs"
            ? inventory.execEnvs.map((e) => e.id)
            : table === "deploymentUnits"
              ? inventory.deploymentUnits.map((d) => d.duid)
              : inventory.executionUnits.map((u) => u.euid);
        return keys
          .map((k) => refs.numberOf(table, k))
          .filter((n): n is number => n !== undefined)
          .sort((a, b) => a - b);
      }),
  };
};
