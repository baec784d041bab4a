/**
 * The `SoftwareModules` port: software module management of TR-069 Annex H / TR-181
 * `Device.SoftwareModules.` (ChangeDUState, DUStateChangeComplete,
 * AutonomousDUStateChangeComplete), implemented by a device plugin.
 *
 * A plugin holds Execution Environments (EEs), the Deployment Units (DUs) installed on them and
 * the Execution Units (EUs) each DU provides. It names each of them with its own stable key
 * (`ExecEnvInfo.id`, `DeploymentUnitInfo.duid`, `ExecutionUnitInfo.euid`); the agent maps
 * those keys onto the instance numbers of `Device.SoftwareModules.ExecEnv.{i}`,
 * `DeploymentUnit.{i}` and `ExecutionUnit.{i}` and keeps those tables true to
 * {@link SoftwareModulesService.inventory}. A device without this port has no
 * ChangeDUState (GetRPCMethods does not list it; the ACS gets fault 9000).
 *
 * Division of the checks (so a fault is raised once, in one place):
 * - the agent, before calling the plugin: 9022 (UUID not in RFC 4122 text form), 9023
 *   (ExecutionEnvRef names no EE), 9024 (EE disabled), 9028 (Update/Uninstall of a UUID
 *   the inventory does not hold), 9031 (Update/Uninstall without Version while several
 *   versions of the UUID are installed), 9029 (the DU's Status is not `Installed`: a request that
 *   arrives while an earlier one is changing the DU, so a plugin should show `Installing`,
 *   `Updating` or `Uninstalling` in its inventory while it works on a DU);
 * - the plugin, which alone can read a package: 9025 (the package does not fit the EE),
 *   9026 (the same UUID and version already installed on the EE), 9027 (not enough space,
 *   memory or slots), 9030 (an Update to an older version when the EE forbids downgrades),
 *   9032 (an Update to a version already installed). A plugin may raise the agent's codes
 *   too (its state may have changed since the inventory was read).
 *
 * Packages: every plugin should accept the cpekit deployment-unit package
 * (`parseDeploymentUnitPackage` of `software-modules/deployment-unit-package.ts`, a JSON document
 * with name, version, vendor, EUs and text files), the format the conformance suite and the demo
 * serve; `compareDeploymentUnitVersions` orders versions for the 9030 check.
 *
 * The agent fetches packages (with the `FileTransfer` port) only when the plugin asks, through
 * the `fetch` effect of a request, so a plugin can refuse before any byte moves.
 * All effects run after the session that asked for them, one operation at a time.
 * @module
 */
import { Context, Data, type Effect, type Stream } from "effect";

/** `Device.SoftwareModules.ExecEnv.{i}.Status`. */
export type ExecEnvStatus = "Up" | "Error" | "Disabled";

/** `Device.SoftwareModules.DeploymentUnit.{i}.Status`. */
export type DeploymentUnitStatus =
  | "Installing"
  | "Installed"
  | "Updating"
  | "Uninstalling"
  | "Uninstalled";

/** `Device.SoftwareModules.ExecutionUnit.{i}.Status`. */
export type ExecutionUnitStatus = "Idle" | "Starting" | "Active" | "Stopping";

/** `Device.SoftwareModules.ExecutionUnit.{i}.RequestedState` (what SetParameterValues asks). */
export type ExecutionUnitRequestedState = "Idle" | "Active";

/** `Device.SoftwareModules.ExecutionUnit.{i}.ExecutionFaultCode`. */
export type ExecutionFaultCode =
  | "NoFault"
  | "FailureOnStart"
  | "FailureOnAutoStart"
  | "FailureOnStop"
  | "FailureWhileActive"
  | "DependencyFailure"
  | "UnStartable";

/** One Execution Environment (`ExecEnv.{i}`). */
export interface ExecEnvInfo {
  /** The plugin's stable key of the EE (e.g. `generic-host`); never shown to the ACS. */
  readonly id: string;
  /** `Name`. */
  readonly name: string;
  /** `Type`, e.g. `Linux Host`, `MicroPython`; a package made for another type fails with 9025. */
  readonly type: string;
  readonly vendor: string;
  readonly version: string;
  /** `Enable`: a disabled EE accepts no operation (9024). */
  readonly enabled: boolean;
  readonly status: ExecEnvStatus;
  /** `AllocatedDiskSpace` / `AvailableDiskSpace` in KiB; -1 (or absent) when unknown. */
  readonly allocatedDiskSpaceKiB?: number;
  readonly availableDiskSpaceKiB?: number;
  /** `AllocatedMemory` / `AvailableMemory` in KiB; -1 (or absent) when unknown. */
  readonly allocatedMemoryKiB?: number;
  readonly availableMemoryKiB?: number;
}

/** One Deployment Unit (`DeploymentUnit.{i}`). */
export interface DeploymentUnitInfo {
  /** `DUID`: the plugin's stable key of this DU (unique across the device). */
  readonly duid: string;
  /** `UUID` (RFC 4122 text form, lower case). Several versions of one UUID may coexist. */
  readonly uuid: string;
  readonly name: string;
  /** `Version`; the empty string when the package names none. */
  readonly version: string;
  readonly vendor: string;
  readonly description: string;
  /** `URL` the DU was last installed or updated from. */
  readonly url: string;
  /** The {@link ExecEnvInfo.id} of the EE that holds the DU. */
  readonly execEnvId: string;
  readonly status: DeploymentUnitStatus;
  /** `Resolved`: every dependency of the DU is met. */
  readonly resolved: boolean;
  /** The {@link ExecutionUnitInfo.euid}s of the EUs this DU provides, in order. */
  readonly executionUnits: readonly string[];
}

/** One Execution Unit (`ExecutionUnit.{i}`). */
export interface ExecutionUnitInfo {
  /** `EUID`: the plugin's stable key of this EU (unique across the device). */
  readonly euid: string;
  readonly name: string;
  /** `ExecEnvLabel`: the EU's name inside its EE (e.g. a process or app name). */
  readonly execEnvLabel: string;
  readonly status: ExecutionUnitStatus;
  readonly executionFaultCode: ExecutionFaultCode;
  readonly executionFaultMessage: string;
  /** `AutoStart`: the EE starts the EU on its own (at boot, after install). */
  readonly autoStart: boolean;
  readonly vendor: string;
  readonly version: string;
  readonly description: string;
  /** The {@link DeploymentUnitInfo.duid} of the DU that provides the EU. */
  readonly duid: string;
  /** The {@link ExecEnvInfo.id} of the EE the EU runs in. */
  readonly execEnvId: string;
}

/** Everything the plugin holds; the agent builds `Device.SoftwareModules.` from it. */
export interface SoftwareInventory {
  readonly execEnvs: readonly ExecEnvInfo[];
  readonly deploymentUnits: readonly DeploymentUnitInfo[];
  readonly executionUnits: readonly ExecutionUnitInfo[];
}

/** The bytes of a package, as fetched by the agent. */
export interface FetchedPackage {
  readonly bytes: Uint8Array;
  /** The Content-Type the file server sent, when it sent one. */
  readonly contentType?: string;
}

/**
 * Fetches a package from the request's URL with its credentials. Fails with a
 * {@link SoftwareModuleError} of reason `Transfer` carrying the transfer fault (9012, 9013,
 * 9015, 9016, 9017, 9018) or 9027 when the file is larger than the device accepts.
 */
export type FetchPackage = Effect.Effect<FetchedPackage, SoftwareModuleError>;

/** An Install operation (InstallOpStruct), after the agent's checks. */
export interface InstallRequest {
  /**
   * The UUID the ACS gave (validated, lower case), or absent: then the plugin derives one
   * (TR-069 Annex H: a name-based UUID v5 from the DU's vendor and name).
   */
  readonly uuid?: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** The EE the ACS named (resolved from ExecutionEnvRef, known and enabled), or absent: the plugin picks. */
  readonly execEnvId?: string;
  /** Fetches the package; call it at most once. */
  readonly fetch: FetchPackage;
}

/** An Update operation (UpdateOpStruct), after the agent's checks. */
export interface UpdateRequest {
  /** The DU to update (exactly one installed DU, found by the agent from UUID and Version). */
  readonly duid: string;
  readonly uuid: string;
  /** The URL to fetch: the ACS's, or the DU's own URL when the ACS gave none. */
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** Fetches the package; call it at most once. */
  readonly fetch: FetchPackage;
}

/** An Uninstall operation (UninstallOpStruct), after the agent's checks. */
export interface UninstallRequest {
  /** The DU to uninstall (exactly one installed DU, found by the agent). */
  readonly duid: string;
  readonly uuid: string;
}

/**
 * Why an operation failed; each reason has its fault code (see {@link softwareModuleFaultCodes}):
 * InvalidUuid 9022, UnknownExecEnv 9023, DisabledExecEnv 9024, ExecEnvMismatch 9025,
 * DuplicateDeploymentUnit 9026, ResourcesExceeded 9027, UnknownDeploymentUnit 9028,
 * InvalidDeploymentUnitState 9029, DowngradeNotPermitted 9030, VersionNotSpecified 9031,
 * VersionExists 9032, Corrupted 9018, Denied 9001, InvalidArguments 9003, Internal 9002;
 * `Transfer` carries the fault of the failed fetch.
 */
export type SoftwareModuleErrorReason =
  | "InvalidUuid"
  | "UnknownExecEnv"
  | "DisabledExecEnv"
  | "ExecEnvMismatch"
  | "DuplicateDeploymentUnit"
  | "ResourcesExceeded"
  | "UnknownDeploymentUnit"
  | "InvalidDeploymentUnitState"
  | "DowngradeNotPermitted"
  | "VersionNotSpecified"
  | "VersionExists"
  | "Corrupted"
  | "Denied"
  | "InvalidArguments"
  | "Internal"
  | "UnknownExecutionUnit"
  | "Transfer";

/** The fault code of each reason (`Transfer` and `UnknownExecutionUnit` have none of their own). */
export const softwareModuleFaultCodes = {
  InvalidUuid: 9022,
  UnknownExecEnv: 9023,
  DisabledExecEnv: 9024,
  ExecEnvMismatch: 9025,
  DuplicateDeploymentUnit: 9026,
  ResourcesExceeded: 9027,
  UnknownDeploymentUnit: 9028,
  InvalidDeploymentUnitState: 9029,
  DowngradeNotPermitted: 9030,
  VersionNotSpecified: 9031,
  VersionExists: 9032,
  Corrupted: 9018,
  Denied: 9001,
  InvalidArguments: 9003,
  Internal: 9002,
} as const satisfies Partial<Record<SoftwareModuleErrorReason, number>>;

/**
 * A failed software-module operation. `faultCode` is what DUStateChangeComplete reports
 * (use {@link softwareModuleError} to get the code of a reason right); for an EU start or stop
 * it is only logged (the EU shows `ExecutionFaultCode` instead).
 */
export class SoftwareModuleError extends Data.TaggedError("SoftwareModuleError")<{
  readonly reason: SoftwareModuleErrorReason;
  readonly faultCode: number;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `software module ${this.reason} (fault ${this.faultCode}): ${this.detail}`;
  }
}

/** Builds a {@link SoftwareModuleError} whose fault code is the one of its reason. */
export const softwareModuleError = (
  reason: keyof typeof softwareModuleFaultCodes,
  detail: string,
  cause?: unknown,
): SoftwareModuleError =>
  new SoftwareModuleError({
    reason,
    faultCode: softwareModuleFaultCodes[reason],
    detail,
    ...(cause === undefined ? {} : { cause }),
  });

/** Type guard for {@link SoftwareModuleError}. */
export const isSoftwareModuleError = (u: unknown): u is SoftwareModuleError =>
  u instanceof SoftwareModuleError;

/** The operation of an autonomous change (`OperationPerformed`). */
export type DeploymentUnitOperation = "Install" | "Update" | "Uninstall";

/**
 * A change the device made on its own (not asked by ChangeDUState), reported by the plugin on
 * {@link SoftwareModulesService.autonomousChanges}; the agent sends it with
 * AutonomousDUStateChangeComplete when `DUStateChangeComplPolicy` lets it through.
 */
export interface AutonomousDeploymentUnitChange {
  readonly operation: DeploymentUnitOperation;
  /** The DU after the change (for an Uninstall, the DU as it was, status `Uninstalled`). */
  readonly deploymentUnit: DeploymentUnitInfo;
  /** Epoch milliseconds of the change's start and end. */
  readonly startTime: number;
  readonly completeTime: number;
  /** Absent on success. */
  readonly fault?: { readonly faultCode: number; readonly faultString?: string };
}

/** What a plugin implements. */
export interface SoftwareModulesService {
  /** Everything installed now. Read after every operation and on each GetParameter* of the tables. */
  readonly inventory: Effect.Effect<SoftwareInventory, SoftwareModuleError>;
  /** Installs a DU; succeeds with the installed DU (status `Installed`). */
  readonly install: (
    request: InstallRequest,
  ) => Effect.Effect<DeploymentUnitInfo, SoftwareModuleError>;
  /** Replaces a DU by a new version of it; succeeds with the updated DU. */
  readonly update: (
    request: UpdateRequest,
  ) => Effect.Effect<DeploymentUnitInfo, SoftwareModuleError>;
  /**
   * Stops the DU's EUs and removes the DU and its EUs; succeeds with the DU as it was (status
   * `Uninstalled`), so the agent can still name its version in the result.
   */
  readonly uninstall: (
    request: UninstallRequest,
  ) => Effect.Effect<DeploymentUnitInfo, SoftwareModuleError>;
  /**
   * Starts (`Active`) or stops (`Idle`) an EU (`ExecutionUnit.{i}.RequestedState`). Succeeds with
   * the EU afterwards; a start that fails leaves the EU `Idle` with its `ExecutionFaultCode`.
   */
  readonly setExecutionUnitState: (
    euid: string,
    requested: ExecutionUnitRequestedState,
  ) => Effect.Effect<ExecutionUnitInfo, SoftwareModuleError>;
  /** Enables or disables an EE (`ExecEnv.{i}.Enable`); absent: `Enable` is read-only. */
  readonly setExecEnvEnabled?: (
    execEnvId: string,
    enabled: boolean,
  ) => Effect.Effect<ExecEnvInfo, SoftwareModuleError>;
  /** Changes the device made on its own (AutonomousDUStateChangeComplete); absent: none. */
  readonly autonomousChanges?: Stream.Stream<AutonomousDeploymentUnitChange>;
}

/** The `SoftwareModules` port. */
export class SoftwareModules extends Context.Tag("@cpekit/core/SoftwareModules")<
  SoftwareModules,
  SoftwareModulesService
>() {}
