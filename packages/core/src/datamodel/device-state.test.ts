import { Effect, Either, Option } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore } from "../ports/store.js";
import { DataModelError } from "./data-model-error.js";
import { DATAMODEL_SECTION, decodeDeviceState } from "./device-state.js";
import { T } from "./test-support/device-fixture.js";
import { makeTestDevice } from "./test-support/test-device.js";

describe("persisted data-model state (§1.11, §1.12)", () => {
  it("§1.11 values, attributes, instances and ParameterKey survive a restart", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const a = yield* makeTestDevice();
        yield* a.model.addObject(`${T}Rule.`, "");
        yield* a.model.setParameterValues(
          [{ name: `${T}Rule.1.Name`, value: "n", type: "string" }],
          "pk",
        );
        yield* a.model.setParameterAttributes([
          {
            name: `${T}Int`,
            notificationChange: true,
            notification: 1,
            accessListChange: true,
            accessList: ["Subscriber"],
          },
        ]);
        const b = yield* makeTestDevice({ store: a.store });
        const names = [
          `${T}Rule.`,
          "Device.ManagementServer.ParameterKey",
          `${T}RuleNumberOfEntries`,
        ];
        expect(yield* b.model.getParameterValues(names)).toEqual(
          yield* a.model.getParameterValues(names),
        );
        expect(yield* b.model.getParameterAttributes([`${T}Int`])).toEqual([
          { name: `${T}Int`, notification: 1, accessList: ["Subscriber"] },
        ]);
        const doc = Option.getOrThrow(yield* a.store.load);
        expect(Object.keys(doc)).toEqual([DATAMODEL_SECTION]);
      }) as Effect.Effect<void>,
    ));

  it("§1.11 other sections of the store document are kept when the data model saves", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* makeMemoryStore({ events: ["1 BOOT"] });
        const d = yield* makeTestDevice({ store });
        yield* d.model.addObject(`${T}Rule.`, "");
        expect(Option.getOrThrow(yield* store.load).events).toEqual(["1 BOOT"]);
      }) as Effect.Effect<void>,
    ));

  it("a corrupt section fails the load with CorruptState naming the field, never a silent reset", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const err = yield* Effect.flip(
          makeTestDevice({
            document: {
              [DATAMODEL_SECTION]: {
                version: 1,
                parameterKey: "",
                values: {},
                attributes: {},
                instances: { [`${T}Rule.`]: [0] },
                counters: {},
              },
            },
          }),
        );
        expect(err).toBeInstanceOf(DataModelError);
        expect((err as DataModelError).reason).toBe("CorruptState");
        expect((err as DataModelError).message).toContain("instances");
        expect(Either.isLeft(decodeDeviceState("garbage"))).toBe(true);
      }),
    ));
});
