import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeSectionStore } from "../agent/section-store.js";
import { SoftwareModuleError } from "../ports/software-modules.js";
import { makeMemoryStore } from "../ports/store.js";
import type { OperationStruct, OpResultStruct } from "../soap/rpc-structs.js";
import { NIL_UUID } from "./deployment-unit-fault.js";
import { runDeploymentUnitOperation } from "./deployment-unit-operation.js";
import { encodeDeploymentUnitPackage } from "./deployment-unit-package.js";
import { makeSoftwareModulesBook } from "./software-modules-book.js";
import {
  GENERATED_UUID,
  type MemorySoftwareModules,
  makeMemorySoftwareModules,
  TEST_EE_TYPE,
} from "./test-support/memory-software-modules.js";

const UUID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const EE = "Device.SoftwareModules.ExecEnv.1";

const pkg = (
  version: string,
  more: Parameters<typeof encodeDeploymentUnitPackage>[0] | object = {},
) =>
  encodeDeploymentUnitPackage({
    name: "app",
    version,
    executionUnits: [{ name: "main", autoStart: false }],
    ...more,
  });

/** Files the fake fetch serves, by URL. */
const files = new Map<string, Uint8Array>([
  ["http://f/app-1.0", pkg("1.0")],
  ["http://f/app-1.1", pkg("1.1")],
  ["http://f/app-2.0", pkg("2.0")],
  ["http://f/other-ee", pkg("1.0", { executionEnvType: "Other EE" })],
  ["http://f/this-ee", pkg("1.0", { executionEnvType: TEST_EE_TYPE })],
  ["http://f/big", pkg("1.0", { files: { "big.txt": "x".repeat(20_000) } })],
  ["http://f/junk", new TextEncoder().encode("not a package")],
]);

const setup = () =>
  Effect.gen(function* () {
    const memory = makeMemorySoftwareModules();
    const sections = yield* makeSectionStore(yield* makeMemoryStore());
    const book = yield* makeSoftwareModulesBook(sections, "Device.SoftwareModules.");
    const fetched: string[] = [];
    const run = (op: OperationStruct) =>
      runDeploymentUnitOperation(op, {
        modules: memory.service,
        fetch: (url) =>
          Effect.suspend(() => {
            fetched.push(url);
            const bytes = files.get(url);
            return bytes === undefined
              ? Effect.fail(
                  new SoftwareModuleError({ reason: "Transfer", faultCode: 9016, detail: "404" }),
                )
              : Effect.succeed({ bytes });
          }),
        refs: (inv) => Effect.orDie(book.refs(inv)),
      });
    return { memory, run, fetched };
  });

const install = (url: string, uuid?: string, executionEnvRef?: string): OperationStruct => ({
  _tag: "InstallOpStruct",
  url,
  ...(uuid === undefined ? {} : { uuid }),
  ...(executionEnvRef === undefined ? {} : { executionEnvRef }),
});
const update = (uuid: string, version?: string, url?: string): OperationStruct => ({
  _tag: "UpdateOpStruct",
  uuid,
  ...(version === undefined ? {} : { version }),
  ...(url === undefined ? {} : { url }),
});
const uninstall = (uuid: string, version?: string, executionEnvRef?: string): OperationStruct => ({
  _tag: "UninstallOpStruct",
  uuid,
  ...(version === undefined ? {} : { version }),
  ...(executionEnvRef === undefined ? {} : { executionEnvRef }),
});

const go = <A>(
  body: (s: {
    memory: MemorySoftwareModules;
    run: (op: OperationStruct) => Effect.Effect<OpResultStruct>;
    fetched: string[];
  }) => Effect.Effect<A>,
) => Effect.runPromise(Effect.flatMap(setup(), body));

const code = (r: OpResultStruct) => r.fault.faultCode;

describe("runDeploymentUnitOperation (TR-069 Annex H)", () => {
  it("§1.4-ChangeDUState an Install names the DU, its version, its EUs and ends Installed with fault 0", async () => {
    const r = await go(({ run }) => run(install("http://f/app-1.0", UUID, EE)));
    expect(r).toMatchObject({
      uuid: UUID,
      deploymentUnitRef: "Device.SoftwareModules.DeploymentUnit.1",
      version: "1.0",
      currentState: "Installed",
      resolved: true,
      executionUnitRefList: "Device.SoftwareModules.ExecutionUnit.1",
      fault: { faultCode: 0, faultString: "" },
    });
    expect(r.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("§1.4-ChangeDUState an Install without UUID gets the plugin's UUID; upper-case UUIDs are passed lower-cased", async () => {
    await go(({ run, memory }) =>
      Effect.gen(function* () {
        expect((yield* run(install("http://f/app-1.0"))).uuid).toBe(GENERATED_UUID);
        yield* run(install("http://f/app-2.0", UUID.toUpperCase()));
        expect(memory.calls[1]).toBe(`install ${UUID} http://f/app-2.0`);
      }),
    );
  });

  it("§1.14-9022 a UUID not in RFC 4122 form fails every operation with 9022, nothing fetched, the result names the nil UUID", async () => {
    await go(({ run, fetched, memory }) =>
      Effect.gen(function* () {
        for (const op of [
          install("http://f/app-1.0", "not-a-uuid"),
          update("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeeZ"),
          uninstall("aaaaaaaabbbb4ccc8dddeeeeeeeeeeee"),
        ]) {
          const r = yield* run(op);
          expect([code(r), r.currentState, r.uuid]).toEqual([9022, "Failed", NIL_UUID]);
          expect(r.fault.faultString).toContain("Invalid UUID format");
        }
        expect(fetched).toEqual([]);
        expect(memory.calls).toEqual([]);
      }),
    );
  });

  it("§1.14-9023 an ExecutionEnvRef naming no EE fails with 9023 (with or without the trailing dot); the EE's own ref installs", async () => {
    await go(({ run }) =>
      Effect.gen(function* () {
        for (const ref of [
          "Device.SoftwareModules.ExecEnv.2",
          "Device.SoftwareModules.ExecEnv.x",
          "Device.SoftwareModules.DeploymentUnit.1",
        ])
          expect(code(yield* run(install("http://f/app-1.0", UUID, ref)))).toBe(9023);
        expect(code(yield* run(install("http://f/app-1.0", UUID, `${EE}.`)))).toBe(0);
      }),
    );
  });

  it("§1.14-9024 a disabled EE fails Install, Update and Uninstall with 9024 and nothing is changed", async () => {
    await go(({ run, memory }) =>
      Effect.gen(function* () {
        yield* run(install("http://f/app-1.0", UUID));
        memory.setEnabled(false);
        expect(code(yield* run(install("http://f/app-2.0", UUID, EE)))).toBe(9024);
        const u = yield* run(update(UUID));
        expect([code(u), u.currentState, u.version]).toEqual([9024, "Installed", "1.0"]);
        expect(code(yield* run(uninstall(UUID)))).toBe(9024);
        expect(memory.calls).toEqual([`install ${UUID} http://f/app-1.0`]);
      }),
    );
  });

  it("§1.14-9025 §1.14-9026 §1.14-9027 the plugin's refusals are reported with their codes, CurrentState Failed", async () => {
    await go(({ run }) =>
      Effect.gen(function* () {
        expect(code(yield* run(install("http://f/other-ee", UUID)))).toBe(9025);
        expect(code(yield* run(install("http://f/this-ee", UUID)))).toBe(0);
        const dup = yield* run(install("http://f/app-1.0", UUID));
        expect([code(dup), dup.currentState, dup.deploymentUnitRef]).toEqual([9026, "Failed", ""]);
        expect(code(yield* run(install("http://f/big")))).toBe(9027);
      }),
    );
  });

  it("§1.14-9028 Update and Uninstall of a UUID (or a UUID and Version) not installed fail with 9028", async () => {
    await go(({ run }) =>
      Effect.gen(function* () {
        expect(code(yield* run(update(UUID)))).toBe(9028);
        expect(code(yield* run(uninstall(UUID)))).toBe(9028);
        yield* run(install("http://f/app-1.0", UUID));
        expect(code(yield* run(uninstall(UUID, "9.9")))).toBe(9028);
        expect(code(yield* run(update(UUID, "9.9")))).toBe(9028);
      }),
    );
  });

  it("§1.14-9029 an operation on a DU whose Status is not Installed fails with 9029", async () => {
    await go(({ run, memory }) =>
      Effect.gen(function* () {
        const r = yield* run(install("http://f/app-1.0", UUID));
        const du = [...memory.dus.values()][0];
        if (du === undefined) throw new Error("no DU");
        memory.dus.set(du.duid, { ...du, status: "Uninstalling" });
        expect(r.currentState).toBe("Installed");
        expect(code(yield* run(update(UUID)))).toBe(9029);
        expect(code(yield* run(uninstall(UUID)))).toBe(9029);
      }),
    );
  });

  it("§1.14-9030 §1.14-9032 an Update to an older version fails 9030, to an installed version 9032; the DU stays Installed in its version", async () => {
    await go(({ run }) =>
      Effect.gen(function* () {
        yield* run(install("http://f/app-1.1", UUID));
        const down = yield* run(update(UUID, undefined, "http://f/app-1.0"));
        expect([code(down), down.currentState, down.version]).toEqual([9030, "Installed", "1.1"]);
        expect(down.deploymentUnitRef).toBe("Device.SoftwareModules.DeploymentUnit.1");
        const same = yield* run(update(UUID, undefined, "http://f/app-1.1"));
        expect(code(same)).toBe(9032);
        const up = yield* run(update(UUID, "1.1", "http://f/app-2.0"));
        expect([code(up), up.version]).toEqual([0, "2.0"]);
      }),
    );
  });

  it("§1.14-9031 Update or Uninstall without Version while two versions are installed fail 9031; with the Version they work", async () => {
    await go(({ run }) =>
      Effect.gen(function* () {
        yield* run(install("http://f/app-1.0", UUID));
        yield* run(install("http://f/app-1.1", UUID));
        expect(code(yield* run(update(UUID, undefined, "http://f/app-2.0")))).toBe(9031);
        expect(code(yield* run(uninstall(UUID)))).toBe(9031);
        const r = yield* run(uninstall(UUID, "1.0"));
        expect([code(r), r.currentState, r.version]).toEqual([0, "Uninstalled", "1.0"]);
        expect(r.deploymentUnitRef).toBe("Device.SoftwareModules.DeploymentUnit.1");
        expect(r.executionUnitRefList).toBe("Device.SoftwareModules.ExecutionUnit.1");
      }),
    );
  });

  it("§1.4-ChangeDUState an Update without URL fetches the DU's own URL; one without UUID is found by its URL", async () => {
    await go(({ run, fetched }) =>
      Effect.gen(function* () {
        yield* run(install("http://f/app-1.0", UUID));
        expect(code(yield* run(update(UUID)))).toBe(9032);
        expect(fetched.at(-1)).toBe("http://f/app-1.0");
        const byUrl = yield* run({ _tag: "UpdateOpStruct", url: "http://f/app-1.0" });
        expect(code(byUrl)).toBe(9032);
        const unknownUrl = yield* run({ _tag: "UpdateOpStruct", url: "http://f/app-2.0" });
        expect(code(unknownUrl)).toBe(9028);
      }),
    );
  });

  it("§1.4-ChangeDUState a fetch failure or a package that is not one is reported (9016, 9018), nothing installed", async () => {
    await go(({ run, memory }) =>
      Effect.gen(function* () {
        expect(code(yield* run(install("http://f/missing", UUID)))).toBe(9016);
        expect(code(yield* run(install("http://f/junk", UUID)))).toBe(9018);
        expect(memory.dus.size).toBe(0);
      }),
    );
  });
});
