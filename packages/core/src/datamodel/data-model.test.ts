import { Deferred, Effect, Fiber, Option } from "effect";
import { describe, expect, it } from "vitest";
import { compiledFixture, withDevice } from "./test-support/test-device.js";

const APN = "Device.Cellular.Interface.1.APN";

describe("DataModel", () => {
  it("serializes the operations of one device: a read issued during a slow write waits for it", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>();
        const gate = yield* Deferred.make<void>();
        const set = cellular.set;
        // The provider's write blocks until the gate opens: without the device lock the read
        // below would run in the middle of the write and see the old value.
        (cellular as { set: typeof set }).set = (changes) =>
          Deferred.succeed(started, undefined).pipe(
            Effect.zipRight(Deferred.await(gate)),
            Effect.zipRight(set(changes)),
          );
        const write = yield* Effect.fork(
          model.setParameterValues([{ name: APN, value: "new", type: "string" }], "k"),
        );
        yield* Deferred.await(started);
        const read = yield* Effect.fork(
          model.getParameterValues([APN, "Device.ManagementServer.ParameterKey"]),
        );
        for (let i = 0; i < 20; i++) yield* Effect.yieldNow();
        expect(Option.isNone(yield* Fiber.poll(read))).toBe(true);
        yield* Deferred.succeed(gate, undefined);
        expect(yield* Fiber.join(write)).toBe(0);
        expect((yield* Fiber.join(read)).map((v) => v.value)).toEqual(["new", "k"]);
      }),
    ));

  it("compiles a schema once: pattern facets and the Inform lists are precomputed", () => {
    expect(compiledFixture.warnings).toEqual([]);
    expect(compiledFixture.patterns.get("Device.X_CPEKIT_Test.Pattern")).toHaveLength(2);
    expect(compiledFixture.forcedInform).toContain("Device.ManagementServer.ParameterKey");
    expect(compiledFixture.activeByDefault).toEqual([
      "Device.DeviceInfo.SoftwareVersion",
      "Device.DeviceInfo.ProvisioningCode",
      "Device.ManagementServer.ConnectionRequestURL",
    ]);
    expect(compiledFixture.informParameterTable).toBe(
      "Device.ManagementServer.InformParameter.{i}.",
    );
  });
});
