// §1.4: SetParameterValues is all or nothing. When a provider or the store fails, every value
// written so far (by providers or in the store) and the ParameterKey go back to what they were.
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type { StoreService } from "../ports/store.js";
import { CELLULAR, T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { faultOf, makeTestDevice, withDevice } from "./test-support/test-device.js";

const v = (name: string, value: string, type = "string"): ParameterValueStruct => ({
  name,
  value,
  type,
});
const PK = "Device.ManagementServer.ParameterKey";
const APN1 = `${CELLULAR}Interface.1.APN`;
const APN2 = `${CELLULAR}Interface.2.APN`;

/** Every later save of `store` fails, as a full disk would. */
const breakSaves = (store: StoreService) => {
  (store as { save: unknown }).save = () =>
    Effect.fail({ _tag: "StoreError", message: "disk full" } as never);
};

/** A second provider, serving the `Rule` table's Name parameters of the test subtree. */
const ruleProvider = makeMemoryProvider("rules", [`${T}Rule.{i}.Name`], {
  [`${T}Rule.1.Name`]: "old-name",
});

describe("SetParameterValues rollback (§1.4, §1.11)", () => {
  it("§1.4 a store that cannot save puts the providers' old values back", () =>
    withDevice(({ model, store, cellular }) =>
      Effect.gen(function* () {
        breakSaves(store);
        const f = yield* faultOf(
          model.setParameterValues([v(APN1, "new-apn"), v(`${T}Str`, "s")], "k"),
        );
        expect(f.code).toBe(9002);
        expect(cellular.values.get(APN1)).toBe("internet");
        // The provider got the new value, then the old one back.
        expect(cellular.calls.filter((c) => c.method === "set")).toEqual([
          { method: "set", paths: [APN1] },
          { method: "set", paths: [APN1] },
        ]);
        expect((yield* model.getParameterValues([`${T}Str`, PK])).map((x) => x.value)).toEqual([
          "",
          "",
        ]);
      }),
    ));

  it("§1.11 a failed save restores stored values in every shape: set before, never set, with a schema default; and the old ParameterKey", () =>
    withDevice(({ model, store }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues([v(`${T}Str`, "before"), v(`${T}Int`, "7", "int")], "k0");
        breakSaves(store);
        const names = [`${T}Str`, `${T}Int`, `${T}Enum`, `${T}Bool`, PK];
        const f = yield* faultOf(
          model.setParameterValues(
            [
              v(`${T}Str`, "after"),
              v(`${T}Int`, "8", "int"),
              v(`${T}Enum`, "Up"),
              v(`${T}Bool`, "true", "boolean"),
            ],
            "k1",
          ),
        );
        expect(f.code).toBe(9002);
        expect((yield* model.getParameterValues(names)).map((x) => x.value)).toEqual([
          "before",
          "7",
          "Down",
          "false",
          "k0",
        ]);
        expect(yield* model.parameterKey).toBe("k0");
      }),
    ));

  it("§1.11 a write-once parameter whose first write was rolled back still accepts a first write", () =>
    withDevice(({ model, store }) =>
      Effect.gen(function* () {
        const save = store.save;
        breakSaves(store);
        expect((yield* faultOf(model.setParameterValues([v(`${T}Once`, "a")], "k"))).code).toBe(
          9002,
        );
        (store as { save: unknown }).save = save;
        expect(yield* model.setParameterValues([v(`${T}Once`, "b")], "k")).toBe(0);
        expect((yield* model.getParameterValues([`${T}Once`]))[0]?.value).toBe("b");
      }),
    ));

  it("§1.4 a failing second provider makes the first one take its old values back; the failing one is not asked again", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const rules = yield* ruleProvider;
        rules.failSetAfter = 0;
        const { model, cellular } = yield* makeTestDevice({ extraProviders: [rules] });
        yield* model.addObject(`${T}Rule.`, "");
        const f = yield* faultOf(
          model.setParameterValues(
            [v(APN1, "a1"), v(`${T}Rule.1.Name`, "new"), v(APN2, "a2")],
            "k",
          ),
        );
        expect(f.code).toBe(9002);
        expect([cellular.values.get(APN1), cellular.values.get(APN2)]).toEqual(["internet", "ims"]);
        expect(cellular.calls.filter((c) => c.method === "set")).toEqual([
          { method: "set", paths: [APN1, APN2] },
          { method: "set", paths: [APN1, APN2] },
        ]);
        expect(rules.calls.filter((c) => c.method === "set")).toHaveLength(1);
        expect(yield* model.parameterKey).toBe("");
      }),
    ));

  it("§1.4 a provider's own fault code is the SPV's fault; a failed restore does not hide it", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const rules = yield* ruleProvider;
        const { model, cellular } = yield* makeTestDevice({ extraProviders: [rules] });
        yield* model.addObject(`${T}Rule.`, "");
        let sets = 0;
        const cellularSet = cellular.set;
        // The cellular provider takes the new value, then refuses to take the old one back.
        (cellular as { set: unknown }).set = (changes: Parameters<typeof cellularSet>[0]) =>
          sets++ === 0
            ? cellularSet(changes)
            : Effect.fail({ _tag: "ProviderError", message: "gone" } as never);
        (rules as { set: unknown }).set = () =>
          Effect.fail({ _tag: "ProviderError", faultCode: 9007, message: "refused" } as never);
        const f = yield* faultOf(
          model.setParameterValues([v(APN1, "a1"), v(`${T}Rule.1.Name`, "new")], "k"),
        );
        expect(f.code).toBe(9007);
        expect(sets).toBe(2);
      }),
    ));

  it("§1.4 the status is 1 when any provider applies later, 0 when all applied", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const rules = yield* ruleProvider;
        const { model } = yield* makeTestDevice({ extraProviders: [rules] });
        yield* model.addObject(`${T}Rule.`, "");
        const both = [v(APN1, "a1"), v(`${T}Rule.1.Name`, "n1")];
        expect(yield* model.setParameterValues(both, "k")).toBe(0);
        rules.setStatus = 1;
        expect(yield* model.setParameterValues(both, "k")).toBe(1);
        rules.setStatus = 0;
        expect(yield* model.setParameterValues(both, "k")).toBe(0);
      }),
    ));
});
