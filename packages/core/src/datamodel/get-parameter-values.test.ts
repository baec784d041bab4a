import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { makeMemoryStore } from "../ports/store.js";
import { makeDataModel } from "./data-model.js";
import { makeSchema } from "./schema.js";
import { T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { faultOf, withDevice } from "./test-support/test-device.js";

describe("GetParameterValues (§1.12)", () => {
  it("§1.12 full names give their value and type; several names at once keep request order", () =>
    withDevice(({ model }) =>
      Effect.map(
        model.getParameterValues([
          "Device.ManagementServer.PeriodicInformInterval",
          "Device.Cellular.Interface.2.RSSI",
          `${T}Enum`,
        ]),
        (r) =>
          expect(r).toEqual([
            {
              name: "Device.ManagementServer.PeriodicInformInterval",
              value: "3600",
              type: "unsignedInt",
            },
            { name: "Device.Cellular.Interface.2.RSSI", value: "-90", type: "int" },
            { name: `${T}Enum`, value: "Down", type: "string" },
          ]),
      ),
    ));

  it("§1.12 a partial path gives every parameter below it; NumberOfEntries counts instances", () =>
    withDevice(({ model }) =>
      Effect.map(model.getParameterValues(["Device.Cellular."]), (r) =>
        expect(r.map((v) => `${v.name}=${v.value}`)).toEqual([
          "Device.Cellular.Interface.1.Status=Up",
          "Device.Cellular.Interface.1.RSSI=-70",
          "Device.Cellular.Interface.1.APN=internet",
          "Device.Cellular.Interface.2.Status=Down",
          "Device.Cellular.Interface.2.RSSI=-90",
          "Device.Cellular.Interface.2.APN=ims",
          "Device.Cellular.InterfaceNumberOfEntries=2",
        ]),
      ),
    ));

  it("§1.12 the empty path gives the whole tree", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const all = yield* model.getParameterValues([""]);
        const params = (yield* model.getParameterNames("", false)).filter(
          (i) => !i.name.endsWith("."),
        );
        expect(all.map((v) => v.name)).toEqual(params.map((p) => p.name));
      }),
    ));

  it("§1.12 an unknown name, instance or a wildcard without support is fault 9005", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        for (const n of [
          "Device.Nope",
          `${T}Rule.1.Name`,
          "Device.Cellular.Interface.*.RSSI",
          "X.",
          "Device.Cellular.Interface.1",
          "Device.Cellular.Interface",
          "Device.Cellular",
          // A schema path names no instance.
          "Device.ManagementServer.InformParameter.{i}.Enable",
        ])
          expect(
            (yield* faultOf(model.getParameterValues(["Device.RootDataModelVersion", n]))).code,
            n,
          ).toBe(9005);
      }),
    ));

  it("§1.12 instance wildcards expand when InstanceWildcardsSupported is on", () =>
    withDevice(
      ({ model }) =>
        Effect.map(model.getParameterValues(["Device.Cellular.Interface.*.Status"]), (r) =>
          expect(r.map((v) => v.value)).toEqual(["Up", "Down"]),
        ),
      { options: { instanceWildcardsSupported: true } },
    ));

  it("§1.11 hidden parameters read as an empty string (getDeviceValues alone sees them)", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues([{ name: `${T}Secret`, value: "pw", type: "string" }], "");
        const r = yield* model.getParameterValues([
          "Device.ManagementServer.Password",
          `${T}Secret`,
        ]);
        expect(r.map((v) => v.value)).toEqual(["", ""]);
        // The device's own read (credential checks) sees the value; it never goes to the ACS.
        expect(yield* model.getDeviceValues([`${T}Secret`])).toEqual([
          { name: `${T}Secret`, value: "pw", type: "string" },
        ]);
      }),
    ));

  it("§1.12 GetParameterValues of 200 provider values makes one batched call", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const names = Array.from({ length: 200 }, (_, i) => `Device.Module.P${i}`);
        const schema = makeSchema({
          root: "Device",
          version: "2.17",
          objects: [
            { path: "Device.", access: "readOnly", multiInstance: false, minEntries: 1 },
            { path: "Device.Module.", access: "readOnly", multiInstance: false, minEntries: 1 },
          ],
          parameters: names.map((path) => ({ path, type: "string", access: "readOnly" }) as const),
        });
        const provider = yield* makeMemoryProvider(
          "module",
          ["Device.Module."],
          Object.fromEntries(names.map((n, i) => [n, `v${i}`])),
        );
        const model = yield* makeDataModel({
          schema,
          providers: [provider],
          store: yield* makeMemoryStore(),
        });
        const r = yield* model.getParameterValues(["Device.Module."]);
        expect(r).toHaveLength(200);
        expect(r[199]?.value).toBe("v199");
        expect(provider.calls).toEqual([{ method: "get", paths: names }]);
      }),
    ));
});
