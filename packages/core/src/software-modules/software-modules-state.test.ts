import { fc, test } from "@fast-check/vitest";
import { Either } from "effect";
import { describe, expect, it } from "vitest";
import {
  decodeSoftwareModulesState,
  emptySoftwareModulesState,
  encodeSoftwareModulesState,
  numberInstances,
} from "./software-modules-state.js";

describe("software modules state", () => {
  test.prop([
    fc.array(fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 5 }), {
      maxLength: 12,
    }),
  ])(
    "§1.12 over any sequence of inventories, each key present has a number, numbers of present keys are distinct, and a number once given never goes to another key",
    (inventories) => {
      let numbers = emptySoftwareModulesState.numbers;
      const owner = new Map<number, string>();
      for (const keys of inventories) {
        numbers = numberInstances(numbers, "executionUnits", keys);
        const byKey = numbers.byKey.executionUnits;
        expect(Object.keys(byKey).sort()).toEqual([...keys].sort());
        const given = keys.map((k) => byKey[k] as number);
        expect(new Set(given).size).toBe(keys.length);
        for (const k of keys) {
          const n = byKey[k] as number;
          expect(owner.get(n) ?? k).toBe(k);
          owner.set(n, k);
        }
      }
    },
  );

  it("§1.12 instance numbers are given in order, kept for known keys, never reused after a key goes", () => {
    const a = numberInstances(emptySoftwareModulesState.numbers, "deploymentUnits", ["x", "y"]);
    expect(a.byKey.deploymentUnits).toEqual({ x: 1, y: 2 });
    expect(numberInstances(a, "deploymentUnits", ["y", "x"])).toBe(a);
    const b = numberInstances(a, "deploymentUnits", ["y", "z"]);
    expect(b.byKey.deploymentUnits).toEqual({ y: 2, z: 3 });
    const c = numberInstances(b, "deploymentUnits", ["x"]);
    expect(c.byKey.deploymentUnits).toEqual({ x: 4 });
    expect(c.last).toEqual({ execEnvs: 0, deploymentUnits: 4, executionUnits: 0 });
    expect(numberInstances(c, "executionUnits", ["e", "e"]).byKey.executionUnits).toEqual({ e: 1 });
  });

  it("§1.5-11-DU-STATE-CHANGE-COMPLETE a pending request survives encoding; a malformed section is named", () => {
    const state = {
      ...emptySoftwareModulesState,
      nextId: 3,
      pending: [
        {
          id: 2,
          commandKey: "k",
          operations: [
            { _tag: "InstallOpStruct" as const, url: "http://x/a", uuid: "u" },
            { _tag: "UninstallOpStruct" as const, uuid: "u", version: "1" },
            { _tag: "UpdateOpStruct" as const },
          ],
          results: [],
        },
      ],
    };
    const back = decodeSoftwareModulesState(
      JSON.parse(JSON.stringify(encodeSoftwareModulesState(state))),
    );
    expect(back).toEqual(Either.right(state));
    const bad = decodeSoftwareModulesState({ version: 1, nextId: "x" });
    expect(Either.isLeft(bad) && bad.left.message).toContain('section "softwareModules"');
  });
});
