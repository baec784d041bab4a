/** §1.14-9002: a device-side failure the ACS cannot cause answers Internal error, and only that call. */
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { T } from "../datamodel/test-support/device-fixture.js";
import { makeTestDevice } from "../datamodel/test-support/test-device.js";
import type { ParameterProvider } from "../ports/parameter-provider.js";
import { makeBuiltInRpcRegistry } from "./built-in-handlers.js";

const UPTIME = "Device.DeviceInfo.UpTime";

/** A provider of UpTime whose code throws while `broken` is set (a plugin bug, a dead daemon). */
const flakyUptime = () => {
  const state = { broken: true };
  const provider: ParameterProvider = {
    name: "flaky",
    paths: [UPTIME],
    get: (paths) =>
      Effect.sync(() => {
        if (state.broken) throw new Error("sensor daemon gone");
        return new Map(paths.map((p) => [p, "42"] as const));
      }),
    set: () => Effect.die("read-only"),
  };
  return { state, provider };
};

describe("fault 9002 Internal error (§1.14-9002)", () => {
  it("§1.14-9002 a provider that throws: GetParameterValues answers 9002 (Server); the next call, and stored values, are unaffected", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const flaky = flakyUptime();
        const { model } = yield* makeTestDevice({ extraProviders: [flaky.provider] });
        yield* model.setParameterValues([{ name: `${T}Str`, value: "kept", type: "string" }], "k1");
        const registry = makeBuiltInRpcRegistry();
        const call = (parameterNames: string[]) =>
          Effect.map(
            registry.dispatch(
              { _tag: "GetParameterValues", parameterNames },
              { dataModel: model, session: { version: "1.4", header: {} } },
            ),
            (r) => r.response,
          );
        const broken = yield* call([`${T}Str`, UPTIME]);
        expect(broken).toMatchObject({
          _tag: "Fault",
          faultcode: "Server",
          detail: { faultCode: 9002 },
        });
        flaky.state.broken = false;
        const fine = yield* call([`${T}Str`, UPTIME]);
        expect(fine).toMatchObject({
          _tag: "GetParameterValuesResponse",
          parameterList: [
            { name: `${T}Str`, value: "kept" },
            { name: UPTIME, value: "42" },
          ],
        });
        expect(yield* model.parameterKey).toBe("k1");
      }),
    ));
});
