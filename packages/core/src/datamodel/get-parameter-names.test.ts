// The NextLevel matrix of §1.12 is tagged [R] (recalled from TR-069 A.3.2.3, implementations
// disagree): these tests pin the reading written down in cwmp-requirements.md.
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { T } from "./test-support/device-fixture.js";
import { faultOf, withDevice } from "./test-support/test-device.js";

const names = (list: readonly { name: string }[]) => list.map((i) => i.name);

describe("GetParameterNames NextLevel matrix (§1.12)", () => {
  it("§1.12 full parameter name + NextLevel=false gives that parameter", () =>
    withDevice(({ model }) =>
      Effect.map(model.getParameterNames(`${T}Int`, false), (r) =>
        expect(r).toEqual([{ name: `${T}Int`, writable: true }]),
      ),
    ));

  it("§1.12 full parameter name + NextLevel=true is fault 9003", () =>
    withDevice(({ model }) =>
      Effect.map(faultOf(model.getParameterNames(`${T}Int`, true)), (f) =>
        expect(f.code).toBe(9003),
      ),
    ));

  it("§1.12 partial path + NextLevel=false gives the object itself and everything below", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "k");
        yield* model.addObject(`${T}Rule.1.Sub.`, "k");
        const r = names(yield* model.getParameterNames(`${T}Rule.`, false));
        expect(r).toEqual([
          `${T}Rule.`,
          `${T}Rule.1.`,
          `${T}Rule.1.Sub.`,
          `${T}Rule.1.Sub.1.`,
          `${T}Rule.1.Sub.1.Value`,
          `${T}Rule.1.Enable`,
          `${T}Rule.1.Name`,
          `${T}Rule.1.Priority`,
        ]);
      }),
    ));

  it("§1.12 partial path + NextLevel=true gives only the direct children, not the object", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const r = yield* model.getParameterNames("Device.ManagementServer.", true);
        expect(names(r)).not.toContain("Device.ManagementServer.");
        expect(names(r)).toContain("Device.ManagementServer.URL");
        expect(r).toContainEqual({
          name: "Device.ManagementServer.InformParameter.",
          writable: true,
        });
        expect(names(r).every((n) => n.split(".").filter(Boolean).length === 3)).toBe(true);
        const ports = yield* model.getParameterNames(`${T}Port.`, true);
        expect(ports).toEqual([
          { name: `${T}Port.1.`, writable: false },
          { name: `${T}Port.2.`, writable: false },
        ]);
      }),
    ));

  it("§1.12 empty path + NextLevel=true gives just the root object", () =>
    withDevice(({ model }) =>
      Effect.map(model.getParameterNames("", true), (r) =>
        expect(r).toEqual([{ name: "Device.", writable: false }]),
      ),
    ));

  it("§1.12 empty path + NextLevel=false gives everything, starting with the root", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const r = names(yield* model.getParameterNames("", false));
        expect(r[0]).toBe("Device.");
        expect(r).toContain("Device.Cellular.Interface.2.RSSI");
        expect(r).toContain(`${T}Port.1.Name`);
        expect(new Set(r).size).toBe(r.length);
      }),
    ));

  it("§1.12 Writable of objects: tables and instances of writable tables only", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject(`${T}Rule.`, "");
        const r = yield* model.getParameterNames(T, true);
        expect(r).toContainEqual({ name: `${T}Rule.`, writable: true });
        expect(r).toContainEqual({ name: `${T}Port.`, writable: false });
        expect(r).toContainEqual({ name: `${T}ReadOnly`, writable: false });
        const rule = yield* model.getParameterNames(`${T}Rule.`, true);
        expect(rule).toEqual([{ name: `${T}Rule.1.`, writable: true }]);
        const single = yield* model.getParameterNames("Device.", true);
        expect(single).toContainEqual({ name: "Device.DeviceInfo.", writable: false });
      }),
    ));

  it("§1.12 unknown path, unknown instance or a parameter path with a dot is fault 9005", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        for (const p of [
          "Device.Nope.",
          `${T}Nope`,
          `${T}Rule.7.`,
          `${T}Int.`,
          "Device",
          "Other.",
          `${T}Rule.*.`,
        ]) {
          const f = yield* faultOf(model.getParameterNames(p, false));
          expect(f.code, p).toBe(9005);
        }
      }),
    ));

  it("§1.12 instance wildcards in GetParameterNames when InstanceWildcardsSupported", () =>
    withDevice(
      ({ model }) =>
        Effect.gen(function* () {
          const r = yield* model.getParameterNames("Device.Cellular.Interface.*.RSSI", false);
          expect(names(r)).toEqual([
            "Device.Cellular.Interface.1.RSSI",
            "Device.Cellular.Interface.2.RSSI",
          ]);
        }),
      { options: { instanceWildcardsSupported: true } },
    ));
});
