import { describe, expect, it } from "vitest";
import { refsOf } from "./software-modules-book.js";
import { emptySoftwareModulesState, numberInstances } from "./software-modules-state.js";

describe("software-module references", () => {
  const numbers = numberInstances(
    numberInstances(emptySoftwareModulesState.numbers, "execEnvs", ["a", "b"]),
    "deploymentUnits",
    ["d"],
  );
  const refs = refsOf({ ...emptySoftwareModulesState, numbers }, "Device.SoftwareModules.");

  it("§1.14-9023 an ExecutionEnvRef names an EE by its path, with or without the trailing dot; anything else names none", () => {
    expect(refs.execEnvIdOf("Device.SoftwareModules.ExecEnv.2")).toBe("b");
    expect(refs.execEnvIdOf("Device.SoftwareModules.ExecEnv.1.")).toBe("a");
    for (const bad of [
      "Device.SoftwareModules.ExecEnv.3",
      "Device.SoftwareModules.ExecEnv.0",
      "Device.SoftwareModules.ExecEnv.01",
      "Device.SoftwareModules.ExecEnv.1.Name",
      "Device.SoftwareModules.DeploymentUnit.1",
      "InternetGatewayDevice.SoftwareModules.ExecEnv.1",
      "",
    ])
      expect(refs.execEnvIdOf(bad)).toBeUndefined();
  });

  it("§1.4-CPE-DUStateChangeComplete references are object paths without the trailing dot; unknown keys give the empty string", () => {
    expect(refs.execEnvRef("b")).toBe("Device.SoftwareModules.ExecEnv.2");
    expect(refs.deploymentUnitRef("d")).toBe("Device.SoftwareModules.DeploymentUnit.1");
    expect(refs.deploymentUnitRef("zz")).toBe("");
    expect(refs.executionUnitRef("e")).toBe("");
    expect(refs.keyOf("execEnvs", 2)).toBe("b");
    expect(refs.numberOf("deploymentUnits", "d")).toBe(1);
  });
});
