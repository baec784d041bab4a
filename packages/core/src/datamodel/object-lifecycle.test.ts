// Never reusing instance numbers is tagged [R] in §1.12 (A.3.2.6 / TR-106); GenieACS's simulator
// reuses the lowest free number, cpekit does not.
import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import type { StoreService } from "../ports/store.js";
import { DATAMODEL_SECTION } from "./device-state.js";
import { T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { faultOf, makeTestDevice, withDevice } from "./test-support/test-device.js";

const PK = "Device.ManagementServer.ParameterKey";

/** Keys under `prefix` of every map of the persisted data-model section. */
const storedKeysUnder = (store: StoreService, prefix: string) =>
  Effect.map(store.load, (doc) => {
    const section = Option.getOrUndefined(doc)?.[DATAMODEL_SECTION] as
      | Record<string, unknown>
      | undefined;
    return ["values", "attributes", "instances", "counters"].flatMap((m) =>
      Object.keys((section?.[m] ?? {}) as object)
        .filter((k) => k.startsWith(prefix))
        .map((k) => `${m}:${k}`),
    );
  });

describe("AddObject / DeleteObject (§1.12)", () => {
  it("§1.12 AddObject gives increasing numbers; the new instance reads schema defaults; NumberOfEntries follows", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        expect(yield* model.addObject(`${T}Rule.`, "a")).toEqual({ instanceNumber: 1, status: 0 });
        expect(yield* model.addObject(`${T}Rule.`, "b")).toEqual({ instanceNumber: 2, status: 0 });
        const r = yield* model.getParameterValues([`${T}Rule.2.`, `${T}RuleNumberOfEntries`, PK]);
        expect(r.map((x) => x.value)).toEqual(["false", "", "1", "2", "b"]);
      }),
    ));

  it("§1.12 instance numbers are not reused after DeleteObject; the subtree and its attributes go", () =>
    withDevice(({ model, store }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.addObject(`${T}Rule.2.Sub.`, "");
        yield* model.setParameterValues(
          [{ name: `${T}Rule.2.Name`, value: "x", type: "string" }],
          "",
        );
        yield* model.setParameterAttributes([
          {
            name: `${T}Rule.2.`,
            notificationChange: true,
            notification: 1,
            accessListChange: false,
            accessList: [],
          },
        ]);
        expect(yield* model.deleteObject(`${T}Rule.2.`, "del")).toBe(0);
        expect((yield* model.addObject(`${T}Rule.`, "")).instanceNumber).toBe(3);
        expect((yield* faultOf(model.getParameterValues([`${T}Rule.2.Name`]))).code).toBe(9005);
        const names = (yield* model.getParameterNames(`${T}Rule.`, true)).map((i) => i.name);
        expect(names).toEqual([`${T}Rule.1.`, `${T}Rule.3.`]);
        expect((yield* model.getParameterAttributes([`${T}Rule.3.Name`]))[0]?.notification).toBe(0);
        // Number 2 never comes back, so only the stored state can show that its subtree went.
        expect(yield* storedKeysUnder(store, `${T}Rule.2.`)).toEqual([]);
      }),
    ));

  it("§1.12 DeleteObject of a provider-owned instance drops the attributes stored for its subtree", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const rules = yield* makeMemoryProvider(
          "rules",
          [`${T}Rule.`],
          {},
          { [`${T}Rule.`]: [1, 2] },
        );
        const deleted: string[] = [];
        const provider: ParameterProvider = {
          ...rules,
          deleteInstance: (path) =>
            Effect.sync(() => {
              deleted.push(path);
              const n = Number(path.slice(`${T}Rule.`.length, -1));
              rules.tables.set(
                `${T}Rule.`,
                (rules.tables.get(`${T}Rule.`) ?? []).filter((i) => i !== n),
              );
              return { status: 0 as const };
            }),
        };
        const { model, store } = yield* makeTestDevice({ extraProviders: [provider] });
        yield* model.setParameterAttributes([
          {
            name: `${T}Rule.2.`,
            notificationChange: true,
            notification: 1,
            accessListChange: true,
            accessList: ["Subscriber"],
          },
        ]);
        expect(yield* storedKeysUnder(store, `${T}Rule.2.`)).not.toEqual([]);
        expect(yield* model.deleteObject(`${T}Rule.2.`, "del")).toBe(0);
        expect(deleted).toEqual([`${T}Rule.2.`]);
        expect(yield* storedKeysUnder(store, `${T}Rule.2.`)).toEqual([]);
        expect((yield* model.getParameterValues([PK]))[0]?.value).toBe("del");
      }),
    ));

  it("§1.12 a table at maxEntries is fault 9004", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) yield* model.addObject(`${T}Rule.`, "");
        expect((yield* faultOf(model.addObject(`${T}Rule.`, "x"))).code).toBe(9004);
        expect((yield* model.getParameterValues([PK]))[0]?.value).toBe("");
      }),
    ));

  it("§1.12 AddObject on a name without a dot, a non-table, an instance or a read-only table is 9005", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        for (const n of [
          `${T}Rule`,
          T,
          `${T}Port.`,
          `${T}Port.1.`,
          "Device.Nope.",
          `${T}Int`,
          "Device.Cellular.Interface.",
        ]) {
          expect((yield* faultOf(model.addObject(n, "k"))).code, n).toBe(9005);
        }
        expect((yield* model.getParameterValues([PK]))[0]?.value).toBe("");
      }),
    ));

  it("§1.12 DeleteObject of a table, an unknown instance or a read-only instance is 9005", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        for (const n of [
          `${T}Rule.`,
          `${T}Rule.9.`,
          `${T}Rule.1`,
          `${T}Port.1.`,
          T,
          "Device.Cellular.Interface.1.",
        ]) {
          expect((yield* faultOf(model.deleteObject(n, "k"))).code, n).toBe(9005);
        }
      }),
    ));

  it("§1.12 instance numbers are never reused across restarts (counters persisted)", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const first = yield* makeTestDevice();
        yield* first.model.addObject(`${T}Rule.`, "");
        yield* first.model.addObject(`${T}Rule.`, "");
        yield* first.model.deleteObject(`${T}Rule.2.`, "");
        const second = yield* makeTestDevice({ store: first.store });
        expect((yield* second.model.addObject(`${T}Rule.`, "")).instanceNumber).toBe(3);
      }) as Effect.Effect<void>,
    ));
});
