/**
 * Test support: the data-model fixture with the TR-181 software-module tables and
 * `ManagementServer.DUStateChangeComplPolicy.` (the parameters the agent serves, as in the
 * generated Device:2 schema, which core may not import).
 * @module
 */

import type { ObjectSchema, ParameterSchema } from "../../datamodel/schema.js";
import { deviceFixtureWith } from "../../datamodel/test-support/device-fixture.js";

const SM = "Device.SoftwareModules.";
const POLICY = "Device.ManagementServer.DUStateChangeComplPolicy.";

const table = (name: string): ObjectSchema => ({
  path: `${SM}${name}.{i}.`,
  access: "readOnly",
  multiInstance: true,
  minEntries: 0,
  numEntriesParameter: `${SM}${name}NumberOfEntries`,
});

const ro = (path: string, type: ParameterSchema["type"] = "string"): ParameterSchema => ({
  path,
  type,
  access: "readOnly",
});
const rw = (path: string, extra: Partial<ParameterSchema> = {}): ParameterSchema => ({
  path,
  type: "string",
  access: "readWrite",
  ...extra,
});

/** The fixture plus software modules. */
export const softwareModulesSchema = deviceFixtureWith(
  [
    ...["ExecEnv", "DeploymentUnit", "ExecutionUnit"].map((t) =>
      ro(`${SM}${t}NumberOfEntries`, "unsignedInt"),
    ),
    rw(`${SM}ExecEnv.{i}.Enable`, { type: "boolean" }),
    ro(`${SM}ExecEnv.{i}.Status`),
    ro(`${SM}ExecEnv.{i}.Name`),
    ro(`${SM}ExecEnv.{i}.Type`),
    ro(`${SM}ExecEnv.{i}.AvailableDiskSpace`, "int"),
    ro(`${SM}ExecEnv.{i}.ActiveExecutionUnits`),
    ro(`${SM}ExecEnv.{i}.CreatedAt`, "dateTime"),
    ...[
      "UUID",
      "DUID",
      "Name",
      "Status",
      "URL",
      "Version",
      "ExecutionUnitList",
      "ExecutionEnvRef",
    ].map((p) => ro(`${SM}DeploymentUnit.{i}.${p}`)),
    ro(`${SM}DeploymentUnit.{i}.Resolved`, "boolean"),
    ...["EUID", "Name", "Status", "ExecutionFaultCode", "ExecutionEnvRef"].map((p) =>
      ro(`${SM}ExecutionUnit.{i}.${p}`),
    ),
    rw(`${SM}ExecutionUnit.{i}.RequestedState`, { enumerations: ["Idle", "Active"] }),
    rw(`${SM}ExecutionUnit.{i}.AutoStart`, { type: "boolean" }),
    rw(`${POLICY}Enable`, { type: "boolean", default: "false" }),
    rw(`${POLICY}OperationTypeFilter`, {
      enumerations: ["Install", "Update", "Uninstall"],
      list: {},
    }),
    rw(`${POLICY}ResultTypeFilter`, { enumerations: ["Success", "Failure", "Both"] }),
    rw(`${POLICY}FaultCodeFilter`, { list: {} }),
  ],
  [
    { path: SM, access: "readOnly", multiInstance: false, minEntries: 1 },
    table("ExecEnv"),
    table("DeploymentUnit"),
    table("ExecutionUnit"),
    { path: POLICY, access: "readOnly", multiInstance: false, minEntries: 1 },
  ],
);
