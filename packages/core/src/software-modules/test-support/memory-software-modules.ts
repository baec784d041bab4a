/**
 * Test support: a `SoftwareModules` plugin in memory with one EE (`ee-1`, type `Test EE`) that
 * reads cpekit DU packages, with the plugin-side rules (9025 another EE type, 9026 duplicate,
 * 9027 larger than `capacityBytes`, 9030 downgrade, 9032 version exists), a record of every
 * call, and a way to report an autonomous change.
 * @module
 */
import { Effect, PubSub, Stream } from "effect";
import type {
  AutonomousDeploymentUnitChange,
  DeploymentUnitInfo,
  ExecutionUnitInfo,
  SoftwareModulesService,
} from "../../ports/software-modules.js";
import { softwareModuleError } from "../../ports/software-modules.js";
import {
  compareDeploymentUnitVersions,
  isPackageParseFailure,
  parseDeploymentUnitPackage,
} from "../deployment-unit-package.js";

export const TEST_EE = "ee-1";
export const TEST_EE_TYPE = "Test EE";
export const GENERATED_UUID = "11111111-2222-5333-8444-555555555555";

/** The in-memory plugin and what a test inspects. */
export interface MemorySoftwareModules {
  readonly service: SoftwareModulesService;
  readonly calls: string[];
  readonly dus: Map<string, DeploymentUnitInfo>;
  readonly eus: Map<string, ExecutionUnitInfo>;
  readonly setEnabled: (enabled: boolean) => void;
  readonly report: (change: AutonomousDeploymentUnitChange) => Effect.Effect<void>;
}

/** A fresh plugin; `capacityBytes` bounds one package (9027 above). */
export const makeMemorySoftwareModules = (capacityBytes = 10_000): MemorySoftwareModules => {
  const calls: string[] = [];
  const dus = new Map<string, DeploymentUnitInfo>();
  const eus = new Map<string, ExecutionUnitInfo>();
  let enabled = true;
  let next = 1;
  const pubsub = Effect.runSync(PubSub.unbounded<AutonomousDeploymentUnitChange>());

  const read = (bytes: Uint8Array) => {
    const p = parseDeploymentUnitPackage(bytes);
    if (isPackageParseFailure(p)) return Effect.fail(softwareModuleError("Corrupted", p.detail));
    if (p.executionEnvType !== undefined && p.executionEnvType !== TEST_EE_TYPE)
      return Effect.fail(softwareModuleError("ExecEnvMismatch", p.executionEnvType));
    if (bytes.length > capacityBytes)
      return Effect.fail(softwareModuleError("ResourcesExceeded", `${bytes.length} bytes`));
    return Effect.succeed(p);
  };

  const service: SoftwareModulesService = {
    inventory: Effect.sync(() => ({
      execEnvs: [
        {
          id: TEST_EE,
          name: "test",
          type: TEST_EE_TYPE,
          vendor: "cpekit",
          version: "1",
          enabled,
          status: enabled ? "Up" : "Disabled",
          allocatedDiskSpaceKiB: 10,
          availableDiskSpaceKiB: 9,
        },
      ],
      deploymentUnits: [...dus.values()],
      executionUnits: [...eus.values()],
    })),
    install: (request) =>
      Effect.gen(function* () {
        calls.push(`install ${request.uuid ?? "-"} ${request.url}`);
        const { bytes } = yield* request.fetch;
        const p = yield* read(bytes);
        const uuid = request.uuid ?? GENERATED_UUID;
        if ([...dus.values()].some((d) => d.uuid === uuid && d.version === p.version))
          return yield* Effect.fail(softwareModuleError("DuplicateDeploymentUnit", uuid));
        const duid = `du-${next++}`;
        const euids = p.executionUnits.map((u, i) => {
          const euid = `${duid}-eu-${i + 1}`;
          eus.set(euid, {
            euid,
            name: u.name,
            execEnvLabel: u.name,
            status: "Idle",
            executionFaultCode: "NoFault",
            executionFaultMessage: "",
            autoStart: u.autoStart,
            vendor: p.vendor,
            version: p.version,
            description: "",
            duid,
            execEnvId: TEST_EE,
          });
          return euid;
        });
        const du: DeploymentUnitInfo = {
          duid,
          uuid,
          name: p.name,
          version: p.version,
          vendor: p.vendor,
          description: p.description,
          url: request.url,
          execEnvId: TEST_EE,
          status: "Installed",
          resolved: true,
          executionUnits: euids,
        };
        dus.set(duid, du);
        return du;
      }),
    update: (request) =>
      Effect.gen(function* () {
        calls.push(`update ${request.duid} ${request.url}`);
        const current = dus.get(request.duid);
        if (current === undefined)
          return yield* Effect.fail(softwareModuleError("UnknownDeploymentUnit", request.duid));
        const { bytes } = yield* request.fetch;
        const p = yield* read(bytes);
        if ([...dus.values()].some((d) => d.uuid === current.uuid && d.version === p.version))
          return yield* Effect.fail(softwareModuleError("VersionExists", p.version));
        if (compareDeploymentUnitVersions(p.version, current.version) < 0)
          return yield* Effect.fail(softwareModuleError("DowngradeNotPermitted", p.version));
        const du = { ...current, version: p.version, url: request.url };
        dus.set(du.duid, du);
        return du;
      }),
    uninstall: (request) =>
      Effect.sync(() => {
        calls.push(`uninstall ${request.duid}`);
        const du = dus.get(request.duid) as DeploymentUnitInfo;
        dus.delete(request.duid);
        for (const euid of du.executionUnits) eus.delete(euid);
        return { ...du, status: "Uninstalled" as const };
      }),
    setExecutionUnitState: (euid, requested) =>
      Effect.gen(function* () {
        calls.push(`eu ${euid} ${requested}`);
        const eu = eus.get(euid);
        if (eu === undefined)
          return yield* Effect.fail(softwareModuleError("InvalidArguments", euid));
        const after = { ...eu, status: requested };
        eus.set(euid, after);
        return after;
      }),
    setExecEnvEnabled: (_id, value) =>
      Effect.flatMap(
        Effect.sync(() => {
          calls.push(`ee ${value}`);
          enabled = value;
        }),
        () => Effect.map(service.inventory, (i) => i.execEnvs[0] as never),
      ),
    autonomousChanges: Stream.fromPubSub(pubsub),
  };
  return {
    service,
    calls,
    dus,
    eus,
    setEnabled: (v) => {
      enabled = v;
    },
    report: (change) => Effect.asVoid(PubSub.publish(pubsub, change)),
  };
};
