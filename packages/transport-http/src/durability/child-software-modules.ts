/**
 * The agent child's `SoftwareModules` plugin: one EE whose installs always succeed, in memory
 * (a restart forgets the DUs, which the durability test does not look at: it checks that each
 * accepted ChangeDUState is reported by a DUStateChangeComplete, once, whatever the kills).
 * @module
 */
import { randomUUID } from "node:crypto";
import type { DeploymentUnitInfo, SoftwareModulesService } from "@cpekit/core";
import { Effect } from "effect";

/** A fresh plugin for one run of the child. */
export const childSoftwareModules = (): SoftwareModulesService => {
  const dus = new Map<string, DeploymentUnitInfo>();
  return {
    inventory: Effect.sync(() => ({
      execEnvs: [
        {
          id: "child",
          name: "child",
          type: "Child",
          vendor: "cpekit",
          version: "1",
          enabled: true,
          status: "Up",
        },
      ],
      deploymentUnits: [...dus.values()],
      executionUnits: [],
    })),
    install: (request) =>
      Effect.map(request.fetch, (fetched) => {
        const duid = `du-${dus.size + 1}`;
        const du: DeploymentUnitInfo = {
          duid,
          uuid: request.uuid ?? randomUUID(),
          name: request.url.split("/").at(-1) ?? "du",
          version: String(fetched.bytes.length),
          vendor: "cpekit",
          description: "",
          url: request.url,
          execEnvId: "child",
          status: "Installed",
          resolved: true,
          executionUnits: [],
        };
        dus.set(duid, du);
        return du;
      }),
    update: (request) =>
      Effect.map(request.fetch, () => dus.get(request.duid) as DeploymentUnitInfo),
    uninstall: (request) =>
      Effect.sync(() => {
        const du = dus.get(request.duid) as DeploymentUnitInfo;
        dus.delete(request.duid);
        return { ...du, status: "Uninstalled" as const };
      }),
    setExecutionUnitState: () => Effect.die("the child's DUs have no EUs"),
  };
};
