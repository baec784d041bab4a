/**
 * `ManagementServer.DUStateChangeComplPolicy` (TR-181, requirements §1.13): which DU changes
 * the CPE made on its own are reported with `12 AUTONOMOUS DU STATE CHANGE COMPLETE` and an
 * AutonomousDUStateChangeComplete. Each filter names what MUST be included: an operation not
 * in OperationTypeFilter, a result not matching ResultTypeFilter, or a failure whose code is
 * not in FaultCodeFilter is not reported.
 * @module
 */
import { Effect, Option } from "effect";
import { readParameterValue } from "../agent/device-value.js";
import type { DataModel } from "../datamodel/data-model.js";
import type { DeploymentUnitOperation } from "../ports/software-modules.js";

/** The policy's values as read from the data model. */
export interface DuStateChangePolicy {
  readonly enable: boolean;
  /** `Install`, `Update`, `Uninstall` items. */
  readonly operationTypeFilter: readonly string[];
  /** `Success`, `Failure` or `Both`; any other value includes no result. */
  readonly resultTypeFilter: string;
  /** The fault codes of failures reported (as text items). */
  readonly faultCodeFilter: readonly string[];
}

/** What the policy is asked about: one autonomous change. */
export interface DuChangeFacts {
  readonly operation: DeploymentUnitOperation;
  /** 0 for success. */
  readonly faultCode: number;
}

const listItems = (value: string): readonly string[] =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/** True when `policy` lets the CPE report `change`. */
export const isDuChangeReported = (policy: DuStateChangePolicy, change: DuChangeFacts): boolean => {
  if (!policy.enable || !policy.operationTypeFilter.includes(change.operation)) return false;
  const success = change.faultCode === 0;
  const result = policy.resultTypeFilter;
  if (!(result === "Both" || result === (success ? "Success" : "Failure"))) return false;
  return success || policy.faultCodeFilter.includes(String(change.faultCode));
};

/**
 * The policy under `prefix` (e.g. `Device.ManagementServer.`), or none when the model has no
 * `DUStateChangeComplPolicy.Enable` (a profile without it): then nothing is reported, since
 * the policy's Enable defaults to false.
 */
export const readDuStateChangePolicy = (
  model: Pick<DataModel, "getParameterValues">,
  prefix: string,
): Effect.Effect<Option.Option<DuStateChangePolicy>> =>
  Effect.gen(function* () {
    const get = (name: string) =>
      readParameterValue(model, `${prefix}DUStateChangeComplPolicy.${name}`);
    const enable = yield* get("Enable");
    if (Option.isNone(enable)) return Option.none();
    const text = (o: Option.Option<string>) => Option.getOrElse(o, () => "");
    return Option.some({
      enable: enable.value === "true" || enable.value === "1",
      operationTypeFilter: listItems(text(yield* get("OperationTypeFilter"))),
      resultTypeFilter: text(yield* get("ResultTypeFilter")),
      faultCodeFilter: listItems(text(yield* get("FaultCodeFilter"))),
    });
  });
