// SPV fault codes (9003 twice-named, 9006, 9007, 9008) are tagged [R] in §1.12 (A.3.2.1);
// the ParameterKey rule of §1.11 is [V].
import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { T } from "./test-support/device-fixture.js";
import { faultOf, withDevice } from "./test-support/test-device.js";

const v = (name: string, value: string, type = "string"): ParameterValueStruct => ({
  name,
  value,
  type,
});
const PK = "Device.ManagementServer.ParameterKey";

describe("SetParameterValues (§1.4, §1.11, §1.12)", () => {
  it("§1.12 valid values of every type are accepted, then read back; ParameterKey follows", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const list = [
          v(`${T}Int`, "-100", "int"),
          v(`${T}UInt`, "4294967295", "unsignedInt"),
          v(`${T}Long`, "-9223372036854775808", "long"),
          v(`${T}ULong`, "18446744073709551615", "unsignedLong"),
          v(`${T}Bool`, "1", "boolean"),
          v(`${T}Time`, "2024-02-29T23:59:59.123+05:30", "dateTime"),
          v(`${T}B64`, "AAECAwQFBgc=", "base64"),
          v(`${T}Hex`, "0aFF", "hexBinary"),
          v(`${T}Dec`, "1.25", "decimal"),
          v(`${T}Enum`, "Dormant"),
          v(`${T}Pattern`, "00D09E"),
          v(`${T}List`, "A, C"),
          v(`${T}Step`, "95", "unsignedInt"),
        ];
        expect(yield* model.setParameterValues(list, "key-1")).toBe(0);
        const back = yield* model.getParameterValues(list.map((s) => s.name));
        expect(back.map((b) => b.value)).toEqual(list.map((s) => s.value));
        expect((yield* model.getParameterValues([PK]))[0]?.value).toBe("key-1");
      }),
    ));

  it("§1.12 each bad parameter gets its own fault inside 9003: 9005, 9006, 9007, 9008", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(
          model.setParameterValues(
            [
              v(`${T}Int`, "5", "int"),
              v("Device.Nope", "1"),
              v(`${T}Rule.`, "1"),
              v(`${T}Bool`, "true", "dateTime"),
              v(`${T}Int`.replace("Int", "UInt"), "-1", "unsignedInt"),
              v(`${T}ReadOnly`, "x"),
              v("Device.DeviceInfo.UpTime", "5", "unsignedInt"),
            ],
            "k",
          ),
        );
        expect(f.code).toBe(9003);
        expect(f.setParameterValuesFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
          ["Device.Nope", 9005],
          [`${T}Rule.`, 9005],
          [`${T}Bool`, 9006],
          [`${T}UInt`, 9007],
          [`${T}ReadOnly`, 9008],
          ["Device.DeviceInfo.UpTime", 9008],
        ]);
        expect((yield* model.getParameterValues([`${T}Int`, PK])).map((x) => x.value)).toEqual([
          "0",
          "",
        ]);
      }),
    ));

  it.each([
    ["Int", "101", "int"],
    ["Int", "1.0", "int"],
    ["UInt", "4294967296", "unsignedInt"],
    ["Long", "9223372036854775808", "long"],
    ["ULong", "-1", "unsignedLong"],
    ["Bool", "yes", "boolean"],
    ["Bool", "TRUE", "boolean"],
    ["Time", "2023-02-29T00:00:00Z", "dateTime"],
    ["Time", "2024-01-01 00:00:00", "dateTime"],
    ["Time", "2024-01-01T24:00:01Z", "dateTime"],
    ["B64", "AAECAwQFBgcI", "base64"],
    ["B64", "A===", "base64"],
    ["Hex", "", "hexBinary"],
    ["Hex", "abc", "hexBinary"],
    ["Hex", "0102030405", "hexBinary"],
    ["Dec", "1.6", "decimal"],
    ["Str", "x".repeat(17), "string"],
    ["Enum", "up", "string"],
    ["Pattern", "00d09e", "string"],
    ["Pattern", "00D09E0", "string"],
    ["List", "A,B,C,A", "string"],
    ["List", "A,D", "string"],
    ["Step", "7", "unsignedInt"],
  ])("§1.12 %s = %j (%s) is fault 9007", (name, value, type) =>
    withDevice(({ model }) =>
      Effect.map(faultOf(model.setParameterValues([v(`${T}${name}`, value, type)], "k")), (f) =>
        expect(f.setParameterValuesFaults).toEqual([
          { parameterName: `${T}${name}`, faultCode: 9007, faultString: "Invalid parameter value" },
        ]),
      ),
    ),
  );

  it("§1.12 the same parameter twice is fault 9003 and changes nothing", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        const f = yield* faultOf(
          model.setParameterValues([v(`${T}Str`, "a"), v(`${T}Str`, "b")], "k"),
        );
        expect(f.code).toBe(9003);
        expect(f.setParameterValuesFaults).toBeUndefined();
        expect((yield* model.getParameterValues([`${T}Str`, PK])).map((x) => x.value)).toEqual([
          "",
          "",
        ]);
      }),
    ));

  it("§1.12 integer types are compatible with each other and string matches any type; others are 9006", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues(
          [v(`${T}Int`, "7", "unsignedLong"), v(`${T}Bool`, "true", "xsd:string")],
          "",
        );
        expect(
          (yield* model.getParameterValues([`${T}Int`, `${T}Bool`])).map((x) => x.value),
        ).toEqual(["7", "true"]);
        const f = yield* faultOf(model.setParameterValues([v(`${T}Int`, "7", "boolean")], ""));
        expect(f.setParameterValuesFaults?.[0]?.faultCode).toBe(9006);
      }),
    ));

  it("§1.11 a writeOnceReadOnly parameter accepts only its first write (9008 after)", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.setParameterValues([v(`${T}Once`, "a")], "");
        const f = yield* faultOf(model.setParameterValues([v(`${T}Once`, "b")], ""));
        expect(f.setParameterValuesFaults?.[0]?.faultCode).toBe(9008);
      }),
    ));

  it("§1.5 an InformParameter naming a forced-inform parameter is fault 9007", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject("Device.ManagementServer.InformParameter.", "");
        const name = "Device.ManagementServer.InformParameter.1.ParameterName";
        const f = yield* faultOf(
          model.setParameterValues([v(name, "Device.DeviceInfo.SoftwareVersion")], ""),
        );
        expect(f.setParameterValuesFaults?.[0]).toMatchObject({
          parameterName: name,
          faultCode: 9007,
        });
        yield* model.setParameterValues([v(name, "Device.DeviceInfo.Manufacturer")], "");
      }),
    ));

  it("§1.5 an InformParameter EventList holding 4 VALUE CHANGE is fault 9007 (TR-181 EventList)", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        yield* model.addObject("Device.ManagementServer.InformParameter.", "");
        const name = "Device.ManagementServer.InformParameter.1.EventList";
        const f = yield* faultOf(
          model.setParameterValues([v(name, "1 BOOT, 4 VALUE CHANGE")], "k"),
        );
        expect(f.setParameterValuesFaults).toEqual([
          { parameterName: name, faultCode: 9007, faultString: "Invalid parameter value" },
        ]);
        yield* model.setParameterValues([v(name, "1 BOOT,2 PERIODIC")], "k");
        expect((yield* model.getParameterValues([name]))[0]?.value).toBe("1 BOOT,2 PERIODIC");
      }),
    ));

  it("§1.4 status 1 when a provider applies the change only later; provider gets one batched set", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        cellular.setStatus = 1;
        const status = yield* model.setParameterValues(
          [
            v("Device.Cellular.Interface.1.APN", "a"),
            v(`${T}Str`, "s"),
            v("Device.Cellular.Interface.2.APN", "b"),
          ],
          "k",
        );
        expect(status).toBe(1);
        expect(cellular.calls.filter((c) => c.method === "set")).toEqual([
          {
            method: "set",
            paths: ["Device.Cellular.Interface.1.APN", "Device.Cellular.Interface.2.APN"],
          },
        ]);
        expect(cellular.values.get("Device.Cellular.Interface.2.APN")).toBe("b");
      }),
    ));

  it("§1.4 a provider failing leaves every value and the ParameterKey as they were", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        cellular.failSetAfter = 0;
        const f = yield* faultOf(
          model.setParameterValues(
            [v("Device.Cellular.Interface.1.APN", "a"), v(`${T}Str`, "s")],
            "k",
          ),
        );
        expect(f.code).toBe(9002);
        expect(cellular.values.get("Device.Cellular.Interface.1.APN")).toBe("internet");
        expect((yield* model.getParameterValues([`${T}Str`, PK])).map((x) => x.value)).toEqual([
          "",
          "",
        ]);
      }),
    ));

  it("§1.11 a ParameterKey over 32 characters is fault 9003; 32 characters are accepted", () =>
    withDevice(({ model }) =>
      Effect.gen(function* () {
        expect((yield* faultOf(model.setParameterValues([], "k".repeat(33)))).code).toBe(9003);
        expect(yield* model.parameterKey).toBe("");
        yield* model.setParameterValues([], "k".repeat(32));
        expect(yield* model.parameterKey).toBe("k".repeat(32));
      }),
    ));

  it("§1.11 a store that cannot save turns the SPV into fault 9002 and changes nothing", () =>
    withDevice(({ model, store }) =>
      Effect.gen(function* () {
        // Sabotage the store after creation: every save fails.
        (store as { save: unknown }).save = () =>
          Effect.fail({ _tag: "StoreError", message: "disk full" } as never);
        const f = yield* faultOf(model.setParameterValues([v(`${T}Str`, "s")], "k"));
        expect(f.code).toBe(9002);
        expect((yield* model.getParameterValues([`${T}Str`, PK])).map((x) => x.value)).toEqual([
          "",
          "",
        ]);
        expect(Option.isNone(yield* store.load)).toBe(true);
      }),
    ));
});
