import { Deferred, Effect, Fiber, Option } from "effect";
import { describe, expect, it } from "vitest";
import type { MemoryProvider } from "./test-support/memory-provider.js";
import { compiledFixture, withDevice } from "./test-support/test-device.js";

const APN = "Device.Cellular.Interface.1.APN";

/**
 * Makes the cellular provider's writes wait until `release`: a write is then under way, half
 * done, until the test lets it finish. `started` waits for the first write to begin.
 */
const holdWrites = (cellular: MemoryProvider) =>
  Effect.gen(function* () {
    const started = yield* Deferred.make<void>();
    const gate = yield* Deferred.make<void>();
    const set = cellular.set;
    (cellular as { set: typeof set }).set = (changes) =>
      Deferred.succeed(started, undefined).pipe(
        Effect.zipRight(Deferred.await(gate)),
        Effect.zipRight(set(changes)),
      );
    return { started: Deferred.await(started), release: Deferred.succeed(gate, undefined) };
  });

describe("DataModel", () => {
  it("serializes the operations of one device: a read issued during a slow write waits for it", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        // Without the device lock the read below would run in the middle of the write and see
        // the old value.
        const held = yield* holdWrites(cellular);
        const write = yield* Effect.fork(
          model.setParameterValues([{ name: APN, value: "new", type: "string" }], "k"),
        );
        yield* held.started;
        const read = yield* Effect.fork(
          model.getParameterValues([APN, "Device.ManagementServer.ParameterKey"]),
        );
        for (let i = 0; i < 20; i++) yield* Effect.yieldNow();
        expect(Option.isNone(yield* Fiber.poll(read))).toBe(true);
        yield* held.release;
        expect(yield* Fiber.join(write)).toBe(0);
        expect((yield* Fiber.join(read)).map((v) => v.value)).toEqual(["new", "k"]);
      }),
    ));

  it("a read of stored values only (done in place when the device is idle) still waits for a write under way", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        const held = yield* holdWrites(cellular);
        // Idle: answered at once, before any write.
        expect(yield* model.parameterKey).toBe("");
        const write = yield* Effect.fork(
          model.setParameterValues([{ name: APN, value: "new", type: "string" }], "k"),
        );
        yield* held.started;
        // ParameterKey is a stored value: read in place it would show "" mid-write.
        const reads = yield* Effect.fork(
          Effect.all([
            model.getParameterValues(["Device.ManagementServer.ParameterKey"]),
            model.getDeviceValues(["Device.ManagementServer.ParameterKey"]),
            model.parameterKey,
          ]),
        );
        for (let i = 0; i < 20; i++) yield* Effect.yieldNow();
        expect(Option.isNone(yield* Fiber.poll(reads))).toBe(true);
        yield* held.release;
        expect(yield* Fiber.join(write)).toBe(0);
        const [gpv, own, key] = yield* Fiber.join(reads);
        expect([gpv[0]?.value, own[0]?.value, key]).toEqual(["k", "k", "k"]);
        // Idle again: the next read is done in place and sees the write.
        expect(yield* model.parameterKey).toBe("k");
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
