import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  encodeDeploymentUnitPackage,
  type FetchPackage,
  type SoftwareModuleError,
} from "@cpekit/core";
import { Effect, Either, Fiber, Stream } from "effect";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CAPACITY_KIB,
  deploymentUnitUuidOf,
  GENERIC_EXEC_ENV_TYPE,
  makeGenericSoftwareModules,
} from "./generic-software-modules.js";
import { packageDirectoryOf } from "./generic-software-modules-of.js";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "cpekit-generic-sm-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const UUID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const fetchOf = (bytes: Uint8Array): FetchPackage => Effect.succeed({ bytes });
const pkg = (version: string, more: Record<string, unknown> = {}) =>
  encodeDeploymentUnitPackage({
    name: "app",
    version,
    vendor: "V",
    executionUnits: [{ name: "main", autoStart: false }],
    ...more,
  });
const open = (capacityKiB?: number) =>
  Effect.runPromise(
    makeGenericSoftwareModules({
      directory: join(dir, "packages"),
      ...(capacityKiB === undefined ? {} : { capacityKiB }),
    }),
  );
const run = <A>(e: Effect.Effect<A, SoftwareModuleError>) => Effect.runPromise(Effect.either(e));
const faultOf = <A>(r: Either.Either<A, SoftwareModuleError>) =>
  Either.isLeft(r) ? r.left.faultCode : 0;

describe("the generic device's software modules (Annex H)", () => {
  it("§1.4-ChangeDUState one EE; an install keeps one file per DU and an index, both read again by the next open (the DU, its EU state, the EE's Enable)", async () => {
    const sm = await open();
    const installed = await Effect.runPromise(
      sm.install({ uuid: UUID, url: "http://x/app", fetch: fetchOf(pkg("1.0")) }),
    );
    expect(installed).toMatchObject({
      uuid: UUID,
      version: "1.0",
      status: "Installed",
      vendor: "V",
    });
    const [euid] = installed.executionUnits;
    await Effect.runPromise(sm.setExecutionUnitState(euid as string, "Active"));
    const files = await readdir(join(dir, "packages"));
    expect(files.sort()).toEqual([`${installed.duid}.json`, "index.json"]);
    expect(
      JSON.parse(await readFile(join(dir, "packages", "index.json"), "utf8")).units,
    ).toHaveLength(1);
    const again = await open();
    const inv = await Effect.runPromise(again.inventory);
    expect(inv.execEnvs.map((e) => [e.id, e.type, e.status])).toEqual([
      ["generic-host", GENERIC_EXEC_ENV_TYPE, "Up"],
    ]);
    expect(inv.deploymentUnits.map((d) => [d.uuid, d.version, d.url])).toEqual([
      [UUID, "1.0", "http://x/app"],
    ]);
    expect(inv.executionUnits.map((u) => [u.name, u.status])).toEqual([["main", "Active"]]);
    const used = Math.ceil(pkg("1.0").length / 1024);
    expect(inv.execEnvs[0]?.availableDiskSpaceKiB).toBe(DEFAULT_CAPACITY_KIB - used);
  });

  it("§1.14-9025 §1.14-9026 §1.14-9027 §1.14-9018 another EE type, the same UUID and version, a package over the space left, bytes that are no package: refused, nothing written", async () => {
    const sm = await open(2);
    await Effect.runPromise(sm.install({ uuid: UUID, url: "u", fetch: fetchOf(pkg("1.0")) }));
    const install = (bytes: Uint8Array, uuid = UUID) =>
      run(sm.install({ uuid, url: "u", fetch: fetchOf(bytes) }));
    expect(faultOf(await install(pkg("2.0", { executionEnvType: "Docker" })))).toBe(9025);
    expect(faultOf(await install(pkg("2.0", { executionEnvType: GENERIC_EXEC_ENV_TYPE })))).toBe(0);
    expect(faultOf(await install(pkg("1.0")))).toBe(9026);
    expect(faultOf(await install(pkg("3.0", { files: { big: "x".repeat(3000) } })))).toBe(9027);
    expect(faultOf(await install(new TextEncoder().encode("#!/bin/sh")))).toBe(9018);
    const inv = await Effect.runPromise(sm.inventory);
    expect(inv.deploymentUnits.map((d) => d.version)).toEqual(["1.0", "2.0"]);
    expect((await readdir(join(dir, "packages"))).length).toBe(3);
  });

  it("§1.14-9030 §1.14-9032 an update to an older or an installed version is refused; a newer one replaces the file, keeps the EU ids and a running EU running", async () => {
    const sm = await open();
    const du = await Effect.runPromise(
      sm.install({ uuid: UUID, url: "u", fetch: fetchOf(pkg("1.5")) }),
    );
    const euid = du.executionUnits[0] as string;
    await Effect.runPromise(sm.setExecutionUnitState(euid, "Active"));
    const update = (version: string) =>
      run(
        sm.update({ duid: du.duid, uuid: UUID, url: `u${version}`, fetch: fetchOf(pkg(version)) }),
      );
    expect(faultOf(await update("1.4"))).toBe(9030);
    expect(faultOf(await update("1.5"))).toBe(9032);
    const done = await update("2.0");
    expect(
      Either.isRight(done) && [done.right.version, done.right.url, done.right.executionUnits],
    ).toEqual(["2.0", "u2.0", [euid]]);
    const inv = await Effect.runPromise(sm.inventory);
    expect(inv.executionUnits.map((u) => [u.euid, u.status, u.version])).toEqual([
      [euid, "Active", "2.0"],
    ]);
    const file = await readFile(join(dir, "packages", `${du.duid}.json`), "utf8");
    expect(JSON.parse(file).version).toBe("2.0");
  });

  it("§1.14-9029 a DU shows Status Updating while its update fetches the package, Installed after", async () => {
    const sm = await open();
    const du = await Effect.runPromise(
      sm.install({ uuid: UUID, url: "u", fetch: fetchOf(pkg("1.0")) }),
    );
    const statuses: string[] = [];
    const slowFetch: FetchPackage = Effect.flatMap(sm.inventory, (inv) => {
      statuses.push(inv.deploymentUnits[0]?.status ?? "");
      return fetchOf(pkg("2.0"));
    });
    await Effect.runPromise(sm.update({ duid: du.duid, uuid: UUID, url: "u", fetch: slowFetch }));
    statuses.push((await Effect.runPromise(sm.inventory)).deploymentUnits[0]?.status ?? "");
    expect(statuses).toEqual(["Updating", "Installed"]);
  });

  it("§1.14-9024 a disabled EE refuses installs and starts and stops its EUs; uninstall removes the DU's file and entry", async () => {
    const sm = await open();
    const du = await Effect.runPromise(
      sm.install({ uuid: UUID, url: "u", fetch: fetchOf(pkg("1.0")) }),
    );
    const euid = du.executionUnits[0] as string;
    await Effect.runPromise(sm.setExecutionUnitState(euid, "Active"));
    const disable = sm.setExecEnvEnabled;
    if (disable === undefined) throw new Error("the generic EE can be disabled");
    expect((await Effect.runPromise(disable("generic-host", false))).status).toBe("Disabled");
    expect((await Effect.runPromise(sm.inventory)).executionUnits[0]?.status).toBe("Idle");
    expect(faultOf(await run(sm.install({ url: "u", fetch: fetchOf(pkg("2.0")) })))).toBe(9024);
    expect(faultOf(await run(sm.setExecutionUnitState(euid, "Active")))).toBe(9024);
    await Effect.runPromise(disable("generic-host", true));
    const gone = await Effect.runPromise(sm.uninstall({ duid: du.duid, uuid: UUID }));
    expect(gone.status).toBe("Uninstalled");
    expect(await readdir(join(dir, "packages"))).toEqual(["index.json"]);
    expect((await Effect.runPromise(sm.inventory)).executionUnits).toEqual([]);
  });

  it("§1.4-CPE-AutonomousDUStateChangeComplete a local install is published as an autonomous Install with the name-based UUID of its vendor and name", async () => {
    const sm = await open();
    const changes = sm.autonomousChanges;
    if (changes === undefined) throw new Error("no autonomous changes");
    const first = await Effect.runPromise(
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(Stream.runHead(changes));
        yield* Effect.yieldNow();
        yield* sm.installLocally(pkg("1.0"), "local");
        return yield* Fiber.join(fiber);
      }),
    );
    expect(
      first._tag === "Some" && [first.value.operation, first.value.deploymentUnit.uuid],
    ).toEqual(["Install", deploymentUnitUuidOf("V", "app")]);
    expect(deploymentUnitUuidOf("V", "app")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(deploymentUnitUuidOf("V", "app")).not.toBe(deploymentUnitUuidOf("V", "app2"));
  });

  it("keeps the packages of a store `x/device.json` in `x/device.packages`", () => {
    expect(packageDirectoryOf("/s/device.json")).toBe("/s/device.packages");
    expect(packageDirectoryOf("/s/state")).toBe("/s/state.packages");
  });

  it("refuses to start on an unreadable index or one of another version, naming it (9002), rather than forget the DUs", async () => {
    await mkdir(join(dir, "packages"));
    await writeFile(join(dir, "packages", "index.json"), "{not json");
    const r = await Effect.runPromise(
      Effect.either(makeGenericSoftwareModules({ directory: join(dir, "packages") })),
    );
    expect(Either.isLeft(r) && r.left.faultCode).toBe(9002);
    expect(Either.isLeft(r) && r.left.detail).toContain("package index");
    await writeFile(join(dir, "packages", "index.json"), '{"version":2,"units":[]}');
    const newer = await Effect.runPromise(
      Effect.either(makeGenericSoftwareModules({ directory: join(dir, "packages") })),
    );
    expect(Either.isLeft(newer) && newer.left.detail).toContain("not a version 1 index");
  });
});
