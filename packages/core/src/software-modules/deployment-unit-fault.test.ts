import { describe, expect, it } from "vitest";
import { FileTransferError } from "../ports/file-transfer.js";
import { softwareModuleError, softwareModuleFaultCodes } from "../ports/software-modules.js";
import {
  deploymentUnitFault,
  deploymentUnitFaultCode,
  fetchFaultCode,
  isDeploymentUnitUuid,
} from "./deployment-unit-fault.js";

describe("DU faults (XSD DeploymentUnitCPEFaultCodeType)", () => {
  it("§1.14-9022 … §1.14-9032 each reason of the port carries its fault code", () => {
    expect(softwareModuleFaultCodes).toMatchObject({
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
    });
    const e = softwareModuleError("VersionExists", "1.0 again");
    expect([e.reason, e.faultCode, e.message]).toEqual([
      "VersionExists",
      9032,
      "software module VersionExists (fault 9032): 1.0 again",
    ]);
  });

  it("§1.13 codes of the DU subset and the vendor range are kept; others fold into it", () => {
    for (const c of [9001, 9003, 9012, 9013, 9015, 9016, 9017, 9018, 9022, 9027, 9032, 9800, 9899])
      expect(deploymentUnitFaultCode(c)).toBe(c);
    expect(deploymentUnitFaultCode(9010)).toBe(9017);
    expect(deploymentUnitFaultCode(9011)).toBe(9017);
    expect(deploymentUnitFaultCode(9019)).toBe(9017);
    expect(deploymentUnitFaultCode(9020)).toBe(9017);
    expect(deploymentUnitFaultCode(9014)).toBe(9017);
    expect(deploymentUnitFaultCode(9002)).toBe(9001);
    expect(deploymentUnitFaultCode(9004)).toBe(9001);
    expect(deploymentUnitFaultCode(9033)).toBe(9001);
    expect(deploymentUnitFaultCode(9900)).toBe(9001);
    expect(deploymentUnitFaultCode(9799)).toBe(9001);
  });

  it("§1.14-9027 a package larger than the device accepts is 9027; other fetch failures keep their code", () => {
    const e = (reason: "TooLarge" | "Unreachable" | "InvalidConfig", faultCode: number) =>
      new FileTransferError({ reason, faultCode, detail: "" });
    expect(fetchFaultCode(e("TooLarge", 9010))).toBe(9027);
    expect(fetchFaultCode(e("InvalidConfig", 9010))).toBe(9017);
    expect(fetchFaultCode(e("Unreachable", 9015))).toBe(9015);
  });

  it("§1.14 the fault's string is the standard text, then the detail, at most 256 characters", () => {
    expect(deploymentUnitFault(9028, "")).toEqual({
      faultCode: 9028,
      faultString: "Unknown Deployment Unit",
    });
    expect(deploymentUnitFault(9002, "disk")).toEqual({
      faultCode: 9001,
      faultString: "Request denied: disk",
    });
    expect(deploymentUnitFault(9026, "x".repeat(400)).faultString).toHaveLength(256);
  });

  it("§1.14-9022 UUIDs: RFC 4122 text form, either case, nothing around it", () => {
    expect(isDeploymentUnitUuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")).toBe(true);
    expect(isDeploymentUnitUuid("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE")).toBe(true);
    expect(isDeploymentUnitUuid(" aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")).toBe(false);
    expect(isDeploymentUnitUuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee0")).toBe(false);
    expect(isDeploymentUnitUuid("aaaaaaaabbbb4ccc8dddeeeeeeeeeeee")).toBe(false);
    expect(isDeploymentUnitUuid("gaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee")).toBe(false);
    expect(isDeploymentUnitUuid("")).toBe(false);
  });
});
