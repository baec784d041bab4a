import { Effect, Option } from "effect";
import { describe, expect, it } from "vitest";
import { cwmpFault } from "../cwmp/fault.js";
import type { ParameterValueStruct } from "../cwmp/value.js";
import type { DataModel } from "../datamodel/data-model.js";
import { withDevice } from "../datamodel/test-support/test-device.js";
import { type DeviceValuesModel, readDeviceValues, setValueOf } from "./device-values.js";

const MS = "Device.ManagementServer.";

/** Wraps `model` so that every `getDeviceValues` call's names are recorded. */
const counted = (model: DataModel) => {
  const calls: (readonly string[])[] = [];
  const wrapped: DeviceValuesModel = {
    compiled: model.compiled,
    getDeviceValues: (names) => {
      calls.push(names);
      return model.getDeviceValues(names);
    },
  };
  return { calls, wrapped };
};

/**
 * A model without a schema answering from `values`: a call naming a missing value, or one in
 * `failing`, faults as the data model does (9005 and 9002).
 */
const recordModel = (values: Record<string, string>, failing: readonly string[] = []) => {
  const calls: (readonly string[])[] = [];
  const model: DeviceValuesModel = {
    getDeviceValues: (names) => {
      calls.push(names);
      if (names.some((n) => failing.includes(n))) return Effect.fail(cwmpFault(9002));
      if (names.some((n) => values[n] === undefined)) return Effect.fail(cwmpFault(9005));
      return Effect.succeed(
        names.map(
          (name): ParameterValueStruct => ({ name, value: values[name] ?? "", type: "string" }),
        ),
      );
    },
  };
  return { calls, model };
};

describe("reading several device values together (issue 11: one data-model call)", () => {
  it("reads the names in one call, hidden values as they are, and leaves out names the schema does not have", async () => {
    const { calls, values } = await withDevice(({ model }) =>
      Effect.gen(function* () {
        const { calls, wrapped } = counted(model);
        const values = yield* readDeviceValues(wrapped, [
          `${MS}PeriodicInformInterval`,
          `${MS}Password`,
          `${MS}NoSuchSetting`,
        ]);
        return { calls, values };
      }),
    );
    expect(calls).toEqual([[`${MS}PeriodicInformInterval`, `${MS}Password`]]);
    expect(values(`${MS}PeriodicInformInterval`)).toEqual(Option.some("3600"));
    // Hidden from the ACS (GetParameterValues answers ""), not from the device itself.
    expect(values(`${MS}Password`)).toEqual(Option.some("secret"));
    expect(values(`${MS}NoSuchSetting`)).toEqual(Option.none());
  });

  it("keeps a name with an instance number in the call (the schema names it with {i})", async () => {
    const { calls, values } = await withDevice(({ model }) =>
      Effect.gen(function* () {
        const { calls, wrapped } = counted(model);
        const values = yield* readDeviceValues(wrapped, [
          "Device.Cellular.Interface.1.APN",
          "Device.Cellular.Interface.2.APN",
        ]);
        return { calls, values };
      }),
    );
    expect(calls).toHaveLength(1);
    expect(values("Device.Cellular.Interface.1.APN")).toEqual(Option.some("internet"));
    expect(values("Device.Cellular.Interface.2.APN")).toEqual(Option.some("ims"));
  });

  it("makes no call when the schema has none of the names", async () => {
    const calls = await withDevice(({ model }) =>
      Effect.gen(function* () {
        const { calls, wrapped } = counted(model);
        const values = yield* readDeviceValues(wrapped, [`${MS}NoSuchSetting`]);
        expect(values(`${MS}NoSuchSetting`)).toEqual(Option.none());
        return calls;
      }),
    );
    expect(calls).toEqual([]);
  });

  it("reads each name alone when the call fails, so one unreadable or missing value hides no other", () => {
    const { calls, model } = recordModel(
      { [`${MS}URL`]: "http://acs", [`${MS}Username`]: "cpe", [`${MS}Password`]: "pw" },
      [`${MS}Password`],
    );
    const values = Effect.runSync(
      readDeviceValues(model, [`${MS}URL`, `${MS}Username`, `${MS}Password`, `${MS}Missing`]),
    );
    expect(calls).toEqual([
      [`${MS}URL`, `${MS}Username`, `${MS}Password`, `${MS}Missing`],
      [`${MS}URL`],
      [`${MS}Username`],
      [`${MS}Password`],
      [`${MS}Missing`],
    ]);
    expect(values(`${MS}URL`)).toEqual(Option.some("http://acs"));
    expect(values(`${MS}Username`)).toEqual(Option.some("cpe"));
    expect(values(`${MS}Password`)).toEqual(Option.none());
    expect(values(`${MS}Missing`)).toEqual(Option.none());
    expect(values(`${MS}NeverAsked`)).toEqual(Option.none());
  });

  it("a set value is a non-empty one", () => {
    const { model } = recordModel({ [`${MS}Username`]: "", [`${MS}Password`]: "pw" });
    const values = Effect.runSync(readDeviceValues(model, [`${MS}Username`, `${MS}Password`]));
    expect(setValueOf(values, `${MS}Username`)).toEqual(Option.none());
    expect(setValueOf(values, `${MS}Password`)).toEqual(Option.some("pw"));
    expect(setValueOf(values, `${MS}Missing`)).toEqual(Option.none());
  });
});
