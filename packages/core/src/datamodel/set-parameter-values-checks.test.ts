// §1.12 SPV per-parameter faults (9005, 9008, 9007) [R] A.3.2.1 and the InformParameter rules of
// §1.5 [V] TR-181. Each refused struct breaks one rule only; each accepted one is the near miss.
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { makeMemoryStore } from "../ports/store.js";
import { compileSchema } from "./compiled-schema.js";
import { makeDataModel } from "./data-model.js";
import { deviceFixtureWith, fixtureInitial, T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { faultOf, makeTestDevice, withDevice } from "./test-support/test-device.js";

const v = (name: string, value: string, type = "string"): ParameterValueStruct => ({
  name,
  value,
  type,
});
const IP = "Device.ManagementServer.InformParameter.";

describe("SetParameterValues checks (§1.12, §1.5)", () => {
  it("§1.12 a partial path is 9005 even where it covers writable parameters, and nothing is written", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(model.setParameterValues([v(T, "5", "int")], "k"));
        expect(f.setParameterValuesFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
          [T, 9005],
        ]);
        expect((yield* model.getParameterValues([`${T}Int`]))[0]?.value).toBe("0");
        expect(yield* model.parameterKey).toBe("");
      }),
    ));

  it("§1.12 an instance wildcard is 9005 in SetParameterValues, even when it matches instances", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        const name = `${T}Rule.*.Name`;
        const f = yield* faultOf(model.setParameterValues([v(name, "x")], "k"));
        expect(f.setParameterValuesFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
          [name, 9005],
        ]);
        expect((yield* model.getParameterValues([`${T}Rule.1.Name`]))[0]?.value).toBe("");
      }),
    ));

  it("§1.11 a write-once parameter owned by a provider is the provider's to refuse, even with a stored value", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        // First life: no provider, the value is stored by the data model.
        const first = yield* makeTestDevice();
        yield* first.model.setParameterValues([v(`${T}Once`, "a")], "");
        // Second life over the same store: a provider now owns the parameter.
        const once = yield* makeMemoryProvider("once", [`${T}Once`], { [`${T}Once`]: "a" });
        const { model } = yield* makeTestDevice({ store: first.store, extraProviders: [once] });
        expect(yield* model.setParameterValues([v(`${T}Once`, "b")], "")).toBe(0);
        expect(once.values.get(`${T}Once`)).toBe("b");
      }),
    ));

  it("§1.11 a write-once parameter never written accepts its first write; a readWrite one any number", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues([v(`${T}Str`, "1")], "");
        yield* model.setParameterValues([v(`${T}Str`, "2")], "");
        yield* model.setParameterValues([v(`${T}Once`, "first")], "");
        expect(
          (yield* model.getParameterValues([`${T}Str`, `${T}Once`])).map((x) => x.value),
        ).toEqual(["2", "first"]);
      }),
    ));

  it("§1.5 an ordinary parameter may hold a value that names a forced-inform parameter", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.addObject(`${T}Rule.1.Sub.`, "");
        yield* model.addObject(IP, "");
        const forced = "Device.RootDataModelVersion";
        const list = [
          v(`${T}Rule.1.Sub.1.Value`, forced),
          v(`${T}Secret`, forced),
          // The same table's EventList is not checked for parameter names.
          v(`${IP}1.EventList`, forced),
        ];
        expect(yield* model.setParameterValues(list, "k")).toBe(0);
      }),
    ));

  it("§1.5 an InformParameter naming a forced-inform parameter is 9007 with surrounding spaces too", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(IP, "");
        const name = `${IP}1.ParameterName`;
        const f = yield* faultOf(
          model.setParameterValues([v(name, " Device.RootDataModelVersion ")], "k"),
        );
        expect(f.setParameterValuesFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
          [name, 9007],
        ]);
      }),
    ));

  it("§1.5 4 VALUE CHANGE is refused in an InformParameter EventList only, not in its ParameterName", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(IP, "");
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.addObject(`${T}Rule.1.Sub.`, "");
        expect(
          yield* model.setParameterValues(
            [
              v(`${IP}1.ParameterName`, "4 VALUE CHANGE"),
              v(`${T}Rule.1.Sub.1.Value`, "4 VALUE CHANGE"),
            ],
            "k",
          ),
        ).toBe(0);
        const f = yield* faultOf(
          model.setParameterValues([v(`${IP}1.EventList`, "4 VALUE CHANGE")], "k"),
        );
        expect(f.setParameterValuesFaults?.[0]?.faultCode).toBe(9007);
      }),
    ));

  it("§1.11 §1.12 whole-request 9003 faults say what is wrong: the ParameterKey's length, the name given twice", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const long = yield* faultOf(model.setParameterValues([], "k".repeat(33)));
        expect([long.code, long.faultString]).toEqual([
          9003,
          "ParameterKey longer than 32 characters",
        ]);
        const twice = yield* faultOf(
          model.setParameterValues([v(`${T}Str`, "a"), v(`${T}Str`, "b")], "k"),
        );
        expect([twice.code, twice.faultString]).toEqual([9003, `Parameter ${T}Str given twice`]);
      }),
    ));

  it("§1.12 a bad value fails with 9007 alone when its name, type and access are right", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(model.setParameterValues([v(`${T}Int`, "101", "int")], "k"));
        expect(f.code).toBe(9003);
        expect(f.setParameterValuesFaults).toEqual([
          { parameterName: `${T}Int`, faultCode: 9007, faultString: "Invalid parameter value" },
        ]);
      }),
    ));

  it("§1.12-Alias §1.14-9007 an Alias another instance keeps is 9007 under its own name, after the other structs' faults", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const model = yield* makeDataModel({
          schema: compileSchema(
            deviceFixtureWith([
              { path: `${T}Rule.{i}.Alias`, type: "string", access: "readWrite" },
            ]),
          ),
          providers: [],
          store: yield* makeMemoryStore(),
          initial: fixtureInitial,
        });
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.addObject(`${T}Rule.`, "");
        yield* model.setParameterValues([v(`${T}Rule.1.Alias`, "a")], "");
        const f = yield* faultOf(
          model.setParameterValues(
            [v(`${T}Rule.1.Name`, "n"), v(`${T}Nope`, "x"), v(`${T}Rule.2.Alias`, "a")],
            "k",
          ),
        );
        expect(f.setParameterValuesFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
          [`${T}Nope`, 9005],
          [`${T}Rule.2.Alias`, 9007],
        ]);
        expect((yield* model.getParameterValues([`${T}Rule.2.Alias`]))[0]?.value).toBe("");
      }),
    ));
});
