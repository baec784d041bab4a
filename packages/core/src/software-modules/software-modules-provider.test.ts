import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { makeSectionStore } from "../agent/section-store.js";
import { makeMemoryStore } from "../ports/store.js";
import { encodeDeploymentUnitPackage } from "./deployment-unit-package.js";
import { makeSoftwareModulesBook } from "./software-modules-book.js";
import { makeSoftwareModulesProvider } from "./software-modules-provider.js";
import { makeMemorySoftwareModules } from "./test-support/memory-software-modules.js";
import { softwareModulesSchema } from "./test-support/software-modules-schema.js";

const SM = "Device.SoftwareModules.";

const setup = (withEnable = true) =>
  Effect.gen(function* () {
    const memory = makeMemorySoftwareModules();
    const book = yield* makeSoftwareModulesBook(
      yield* makeSectionStore(yield* makeMemoryStore()),
      SM,
    );
    const { setExecEnvEnabled: _drop, ...withoutEnable } = memory.service;
    const provider = makeSoftwareModulesProvider({
      modules: withEnable ? memory.service : withoutEnable,
      refs: book.refs,
      schema: softwareModulesSchema,
    });
    const install = (version: string) =>
      memory.service.install({
        url: `http://x/${version}`,
        fetch: Effect.succeed({
          bytes: encodeDeploymentUnitPackage({ name: `n${version}`, version }),
        }),
      });
    return { memory, provider, install };
  });

const go = <A>(
  withEnable: boolean,
  body: (s: Effect.Effect.Success<ReturnType<typeof setup>>) => Effect.Effect<A, unknown>,
) => Effect.runPromise(Effect.orDie(Effect.flatMap(setup(withEnable), body)));

describe("Device.SoftwareModules. as a view of the port", () => {
  it("§1.12 instance numbers follow installs and are not reused after an uninstall; values the plugin does not give are the schema's zero", async () => {
    await go(true, ({ provider, install, memory }) =>
      Effect.gen(function* () {
        yield* install("1");
        yield* install("2");
        expect(yield* provider.instances?.(`${SM}DeploymentUnit.`) ?? Effect.succeed([])).toEqual([
          1, 2,
        ]);
        yield* memory.service.uninstall({ duid: "du-1", uuid: "" });
        yield* install("3");
        expect(yield* provider.instances?.(`${SM}DeploymentUnit.`) ?? Effect.succeed([])).toEqual([
          2, 3,
        ]);
        expect(yield* provider.instances?.(`${SM}ExecEnv.`) ?? Effect.succeed([])).toEqual([1]);
        expect(
          yield* provider.instances?.(`${SM}ExecEnv.1.ApplicationData.`) ?? Effect.succeed([9]),
        ).toEqual([]);
        const values = yield* provider.get([
          `${SM}DeploymentUnit.3.Version`,
          `${SM}DeploymentUnit.3.ExecutionUnitList`,
          `${SM}DeploymentUnitNumberOfEntries`,
          `${SM}ExecEnv.1.CreatedAt`,
          `${SM}ExecEnv.1.AvailableDiskSpace`,
          `${SM}ExecEnv.1.Enable`,
          `${SM}DeploymentUnit.1.Version`,
        ]);
        expect(Object.fromEntries(values)).toEqual({
          [`${SM}DeploymentUnit.3.Version`]: "3",
          [`${SM}DeploymentUnit.3.ExecutionUnitList`]: `${SM}ExecutionUnit.3`,
          [`${SM}DeploymentUnitNumberOfEntries`]: "2",
          [`${SM}ExecEnv.1.CreatedAt`]: "0001-01-01T00:00:00Z",
          [`${SM}ExecEnv.1.AvailableDiskSpace`]: "9",
          [`${SM}ExecEnv.1.Enable`]: "true",
          // A DU gone since: its old number reads as the type's zero, never another DU.
          [`${SM}DeploymentUnit.1.Version`]: "",
        });
      }),
    );
  });

  it("§1.14-9024 ExecEnv.{i}.Enable goes to the plugin; without setExecEnvEnabled it is refused 9001; other writes 9008; a bad RequestedState 9007 with nothing applied", async () => {
    await go(true, ({ provider, memory, install }) =>
      Effect.gen(function* () {
        yield* install("1");
        yield* provider.set([{ path: `${SM}ExecEnv.1.Enable`, value: "false" }]);
        expect(memory.calls.at(-1)).toBe("ee false");
        const other = yield* Effect.either(
          provider.set([{ path: `${SM}ExecutionUnit.1.AutoStart`, value: "true" }]),
        );
        expect(Either.isLeft(other) && other.left.faultCode).toBe(9008);
        const bad = yield* Effect.either(
          provider.set([
            { path: `${SM}ExecutionUnit.1.RequestedState`, value: "Active" },
            { path: `${SM}ExecutionUnit.1.RequestedState`, value: "Paused" },
          ]),
        );
        expect(Either.isLeft(bad) && bad.left.faultCode).toBe(9007);
        expect(memory.calls.filter((c) => c.startsWith("eu "))).toEqual([]);
        const unknown = yield* Effect.either(
          provider.set([{ path: `${SM}ExecutionUnit.7.RequestedState`, value: "Active" }]),
        );
        expect(Either.isLeft(unknown) && unknown.left.faultCode).toBe(9005);
      }),
    );
    await go(false, ({ provider }) =>
      Effect.gen(function* () {
        const r = yield* Effect.either(
          provider.set([{ path: `${SM}ExecEnv.1.Enable`, value: "false" }]),
        );
        expect(Either.isLeft(r) && r.left.faultCode).toBe(9001);
      }),
    );
  });
});
