/**
 * Carrying out one operation of a ChangeDUState (Install, Update, Uninstall) through the
 * `SoftwareModules` port, and its `OpResultStruct` (TR-069 Annex H, A.4.1.10 / A.3.3.2).
 *
 * The agent's own checks come first, each in the situation the fault's definition names:
 * 9022 a UUID not in RFC 4122 text form, 9023 an ExecutionEnvRef naming no EE, 9024 a disabled
 * EE, 9028 no installed DU with that UUID (and Version, and EE), 9031 no Version while several
 * versions of the UUID are installed, 9029 a DU whose Status is not `Installed`. The plugin
 * then raises what only the package tells (9025, 9026, 9027, 9030, 9032).
 * @module
 */
import { Effect } from "effect";
import { cwmpDateTime } from "../agent/cwmp-date-time.js";
import type {
  DeploymentUnitInfo,
  FetchPackage,
  SoftwareInventory,
  SoftwareModuleError,
  SoftwareModulesService,
} from "../ports/software-modules.js";
import { softwareModuleError } from "../ports/software-modules.js";
import type { OperationStruct, OpResultStruct } from "../soap/rpc-structs.js";
import {
  deploymentUnitFault,
  isDeploymentUnitUuid,
  NIL_UUID,
  noDeploymentUnitFault,
} from "./deployment-unit-fault.js";
import type { SoftwareModulesRefs } from "./software-modules-book.js";

/** What carrying out an operation needs. */
export interface DeploymentUnitOperationDeps {
  readonly modules: SoftwareModulesService;
  /** A fetch of `url` with the credentials (not run until the plugin runs it). */
  readonly fetch: (url: string, username?: string, password?: string) => FetchPackage;
  /** Numbers the inventory and gives its references (the book's `refs`). */
  readonly refs: (
    inventory: SoftwareInventory,
  ) => Effect.Effect<SoftwareModulesRefs, SoftwareModuleError>;
}

const now = Effect.clockWith((c) => c.currentTimeMillis);

/** The result's DU fields of `du` (its reference and its EUs' references). */
const duFields = (du: DeploymentUnitInfo, refs: SoftwareModulesRefs) => ({
  uuid: isDeploymentUnitUuid(du.uuid) ? du.uuid : NIL_UUID,
  deploymentUnitRef: refs.deploymentUnitRef(du.duid),
  version: du.version,
  resolved: du.resolved,
  executionUnitRefList: du.executionUnits
    .map((euid) => refs.executionUnitRef(euid))
    .filter((r) => r !== "")
    .join(","),
});

/** The DU an Update or Uninstall names: exactly one installed DU, or the fault that says why not. */
export const selectDeploymentUnit = (
  inventory: SoftwareInventory,
  uuid: string,
  version: string,
  execEnvId: string | undefined,
): DeploymentUnitInfo | SoftwareModuleError => {
  const lower = uuid.toLowerCase();
  const sameUuid = inventory.deploymentUnits.filter(
    (d) => d.uuid.toLowerCase() === lower && (execEnvId === undefined || d.execEnvId === execEnvId),
  );
  const candidates = version === "" ? sameUuid : sameUuid.filter((d) => d.version === version);
  const [first] = candidates;
  if (first === undefined)
    return softwareModuleError(
      "UnknownDeploymentUnit",
      version === ""
        ? `no DU ${uuid} is installed`
        : `no DU ${uuid} version ${version} is installed`,
    );
  if (candidates.length > 1)
    return softwareModuleError(
      "VersionNotSpecified",
      `${candidates.length} versions of DU ${uuid} are installed and no Version was given`,
    );
  if (first.status !== "Installed")
    return softwareModuleError(
      "InvalidDeploymentUnitState",
      `DU ${uuid} is ${first.status}, not Installed`,
    );
  return first;
};

const isError = (u: DeploymentUnitInfo | SoftwareModuleError): u is SoftwareModuleError =>
  "_tag" in u && u._tag === "SoftwareModuleError";

/** The EE of `duOrEe` must be enabled (9024). */
const checkEnabled = (inventory: SoftwareInventory, execEnvId: string) => {
  const error = disabledError(inventory, execEnvId);
  return error === undefined ? Effect.void : Effect.fail(error);
};

/** The 9024 error when the EE `execEnvId` is disabled. */
const disabledError = (
  inventory: SoftwareInventory,
  execEnvId: string,
): SoftwareModuleError | undefined => {
  const ee = inventory.execEnvs.find((e) => e.id === execEnvId);
  return ee !== undefined && !ee.enabled
    ? softwareModuleError("DisabledExecEnv", `EE ${ee.name} is disabled`)
    : undefined;
};

/** The EE id an ExecutionEnvRef names (undefined: none given), or 9023. */
const resolveExecEnv = (
  ref: string | undefined,
  refs: SoftwareModulesRefs,
): Effect.Effect<string | undefined, SoftwareModuleError> => {
  if (ref === undefined || ref === "") return Effect.succeed(undefined);
  const id = refs.execEnvIdOf(ref);
  return id === undefined
    ? Effect.fail(softwareModuleError("UnknownExecEnv", `${ref} names no execution environment`))
    : Effect.succeed(id);
};

const checkUuid = (uuid: string) =>
  isDeploymentUnitUuid(uuid)
    ? Effect.void
    : Effect.fail(
        softwareModuleError("InvalidUuid", `${JSON.stringify(uuid.slice(0, 64))} is not a UUID`),
      );

/** What the operation left, before it becomes a result. */
interface Outcome {
  readonly currentState: "Installed" | "Uninstalled" | "Failed";
  readonly du?: DeploymentUnitInfo;
  readonly error?: SoftwareModuleError;
}

const attempt = (
  run: Effect.Effect<DeploymentUnitInfo, SoftwareModuleError>,
  onSuccess: Outcome["currentState"],
  onFailure: (e: SoftwareModuleError) => Outcome,
): Effect.Effect<Outcome> =>
  Effect.match(run, {
    onSuccess: (du): Outcome => ({ currentState: onSuccess, du }),
    onFailure,
  });

const perform = (
  op: OperationStruct,
  deps: DeploymentUnitOperationDeps,
): Effect.Effect<Outcome, SoftwareModuleError> =>
  Effect.gen(function* () {
    const inventory = yield* deps.modules.inventory;
    const refs = yield* deps.refs(inventory);
    switch (op._tag) {
      case "InstallOpStruct": {
        const uuid = op.uuid ?? "";
        if (uuid !== "") yield* checkUuid(uuid);
        const execEnvId = yield* resolveExecEnv(op.executionEnvRef, refs);
        if (execEnvId !== undefined) yield* checkEnabled(inventory, execEnvId);
        return yield* attempt(
          deps.modules.install({
            ...(uuid === "" ? {} : { uuid: uuid.toLowerCase() }),
            url: op.url,
            ...(op.username === undefined ? {} : { username: op.username }),
            ...(op.password === undefined ? {} : { password: op.password }),
            ...(execEnvId === undefined ? {} : { execEnvId }),
            fetch: deps.fetch(op.url, op.username, op.password),
          }),
          "Installed",
          (error) => ({ currentState: "Failed", error }),
        );
      }
      case "UpdateOpStruct": {
        const uuid = op.uuid ?? "";
        if (uuid !== "") yield* checkUuid(uuid);
        // Without a UUID the URL names the DU (the one installed from it).
        const byUrl = inventory.deploymentUnits.filter((d) => op.url !== "" && d.url === op.url);
        const found =
          uuid !== ""
            ? selectDeploymentUnit(inventory, uuid, op.version ?? "", undefined)
            : byUrl.length === 1 && byUrl[0] !== undefined
              ? selectDeploymentUnit(inventory, byUrl[0].uuid, byUrl[0].version, byUrl[0].execEnvId)
              : softwareModuleError(
                  byUrl.length > 1 ? "VersionNotSpecified" : "UnknownDeploymentUnit",
                  "an Update without UUID must name the URL of exactly one installed DU",
                );
        if (isError(found)) return yield* Effect.fail(found);
        // Refused before anything changed: the DU is still there, in its version.
        const disabled = disabledError(inventory, found.execEnvId);
        if (disabled !== undefined)
          return { currentState: "Installed", du: found, error: disabled } satisfies Outcome;
        const url = op.url === undefined || op.url === "" ? found.url : op.url;
        return yield* attempt(
          deps.modules.update({
            duid: found.duid,
            uuid: found.uuid,
            url,
            ...(op.username === undefined ? {} : { username: op.username }),
            ...(op.password === undefined ? {} : { password: op.password }),
            fetch: deps.fetch(url, op.username, op.password),
          }),
          "Installed",
          // The DU is still there, in its old version.
          (error) => ({ currentState: "Installed", du: found, error }),
        );
      }
      case "UninstallOpStruct": {
        yield* checkUuid(op.uuid);
        const execEnvId = yield* resolveExecEnv(op.executionEnvRef, refs);
        const found = selectDeploymentUnit(inventory, op.uuid, op.version ?? "", execEnvId);
        if (isError(found)) return yield* Effect.fail(found);
        const disabled = disabledError(inventory, found.execEnvId);
        if (disabled !== undefined)
          return { currentState: "Installed", du: found, error: disabled } satisfies Outcome;
        return yield* attempt(
          deps.modules.uninstall({ duid: found.duid, uuid: found.uuid }),
          "Uninstalled",
          (error) => ({ currentState: "Installed", du: found, error }),
        );
      }
    }
  });

/** The UUID a result names when the operation's DU is unknown. */
const requestedUuid = (op: OperationStruct): string => {
  const u = op.uuid ?? "";
  return isDeploymentUnitUuid(u) ? u.toLowerCase() : NIL_UUID;
};

/**
 * Carries out `op` and returns its result. Never fails: every failure is a result with
 * CurrentState `Failed` (nothing installed) or the DU's state (an Update or Uninstall that
 * failed leaves it `Installed`) and the fault. References are those the DU had when the
 * operation ended (an uninstalled DU keeps the numbers it had, for the ACS to match).
 */
export const runDeploymentUnitOperation = (
  op: OperationStruct,
  deps: DeploymentUnitOperationDeps,
): Effect.Effect<OpResultStruct> =>
  Effect.gen(function* () {
    const startTime = yield* now;
    const numbered = Effect.orElseSucceed(
      Effect.flatMap(deps.modules.inventory, deps.refs),
      () => undefined,
    );
    // An uninstalled DU is named by the numbers it had before the operation.
    const before = op._tag === "UninstallOpStruct" ? yield* numbered : undefined;
    const outcome = yield* Effect.catchAll(
      perform(op, deps),
      (error): Effect.Effect<Outcome> => Effect.succeed({ currentState: "Failed", error }),
    );
    const refs = outcome.currentState === "Uninstalled" ? before : yield* numbered;
    const completeTime = yield* now;
    const du = outcome.du;
    return {
      ...(du !== undefined && refs !== undefined
        ? duFields(du, refs)
        : {
            uuid: du?.uuid ?? requestedUuid(op),
            deploymentUnitRef: "",
            version: du?.version ?? "",
            resolved: false,
            executionUnitRefList: "",
          }),
      currentState: outcome.currentState,
      startTime: cwmpDateTime(startTime),
      completeTime: cwmpDateTime(completeTime),
      fault:
        outcome.error === undefined
          ? noDeploymentUnitFault
          : deploymentUnitFault(outcome.error.faultCode, outcome.error.detail),
    };
  });
