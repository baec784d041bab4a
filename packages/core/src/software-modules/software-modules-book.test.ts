import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { makeSectionStore, type SectionStore } from "../agent/section-store.js";
import { makeMemoryStore, StoreError } from "../ports/store.js";
import { makeSoftwareModulesBook, refsOf } from "./software-modules-book.js";
import {
  emptySoftwareModulesState,
  numberInstances,
  type PendingDuChange,
} from "./software-modules-state.js";

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

describe("the book's pending changes", () => {
  const change: PendingDuChange = {
    id: 1,
    commandKey: "k",
    operations: [{ _tag: "UninstallOpStruct", uuid: "u" }],
    results: [],
  };

  it("hasPending follows the saved state: set by a saved request, cleared when it is finished, unchanged by a failed save", async () => {
    await Effect.runPromise(
      Effect.gen(function* () {
        const memory = yield* makeSectionStore(yield* makeMemoryStore());
        let failWrites = false;
        const sections: SectionStore = {
          ...memory,
          write: (w) =>
            failWrites
              ? Effect.fail(new StoreError({ reason: "WriteFailed", path: "mem", detail: "full" }))
              : memory.write(w),
        };
        const book = yield* makeSoftwareModulesBook(sections, "Device.SoftwareModules.");
        expect(book.hasPending()).toBe(false);
        failWrites = true;
        const refused = yield* Effect.either(book.update((s) => ({ ...s, pending: [change] })));
        expect(Either.isLeft(refused)).toBe(true);
        expect(book.hasPending()).toBe(false);
        failWrites = false;
        yield* book.update((s) => ({ ...s, pending: [change] }));
        expect(book.hasPending()).toBe(true);
        expect((yield* book.get).pending).toEqual([change]);
        // A second book over the same store (the next start) finds the request.
        const reopened = yield* makeSoftwareModulesBook(sections, "Device.SoftwareModules.");
        expect(reopened.hasPending()).toBe(true);
        yield* book.update((s) => ({ ...s, pending: [] }));
        expect(book.hasPending()).toBe(false);
      }),
    );
  });
});
