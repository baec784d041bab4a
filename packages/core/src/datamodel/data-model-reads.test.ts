import { Deferred, Effect, Fiber, Option } from "effect";
import { describe, expect, it } from "vitest";
import { withDevice } from "./test-support/test-device.js";

const APN = "Device.Cellular.Interface.1.APN";

describe("DataModel reads done in place (issue 11)", () => {
  it("a read of stored values only (done in place when the device is idle) still waits for a write under way", () =>
    withDevice(({ model, cellular }) =>
      Effect.gen(function* () {
        const started = yield* Deferred.make<void>();
        const gate = yield* Deferred.make<void>();
        const set = cellular.set;
        (cellular as { set: typeof set }).set = (changes) =>
          Deferred.succeed(started, undefined).pipe(
            Effect.zipRight(Deferred.await(gate)),
            Effect.zipRight(set(changes)),
          );
        // Idle: answered at once, before any write.
        expect(yield* model.parameterKey).toBe("");
        const write = yield* Effect.fork(
          model.setParameterValues([{ name: APN, value: "new", type: "string" }], "k"),
        );
        yield* Deferred.await(started);
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
        yield* Deferred.succeed(gate, undefined);
        expect(yield* Fiber.join(write)).toBe(0);
        const [gpv, own, key] = yield* Fiber.join(reads);
        expect([gpv[0]?.value, own[0]?.value, key]).toEqual(["k", "k", "k"]);
        // Idle again: the next read is done in place and sees the write.
        expect(yield* model.parameterKey).toBe("k");
      }),
    ));
});
