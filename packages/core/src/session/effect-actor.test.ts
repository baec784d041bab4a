import { Context, Data, Deferred, Effect, Exit, Runtime } from "effect";
import { describe, expect, it } from "vitest";
import { createActor, toPromise } from "xstate";
import { fromEffect, fromEffectWith } from "./effect-actor.js";

class Refused extends Data.TaggedError("Refused")<{ readonly reason: string }> {}

describe("fromEffect", () => {
  it("the actor's output is the program's value", async () => {
    const actor = createActor(
      fromEffect((n: number) => Effect.succeed(n * 2), Runtime.defaultRuntime),
      { input: 21 },
    );
    actor.start();
    await expect(toPromise(actor)).resolves.toBe(42);
  });

  it("the actor's error is the program's typed failure, not a wrapper", async () => {
    const actor = createActor(
      fromEffect(() => Effect.fail(new Refused({ reason: "no" })), Runtime.defaultRuntime),
      { input: undefined },
    );
    actor.start();
    const error = await toPromise(actor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Refused);
    expect((error as Refused).reason).toBe("no");
  });

  it("stopping the actor interrupts the program's fiber (finalizers run)", async () => {
    const started = Effect.runSync(Deferred.make<void>());
    const interrupted = Effect.runSync(Deferred.make<void>());
    const program = () =>
      Deferred.succeed(started, undefined).pipe(
        Effect.zipRight(Effect.never),
        Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)),
      );
    const actor = createActor(fromEffect(program, Runtime.defaultRuntime), { input: undefined });
    actor.start();
    await Effect.runPromise(Deferred.await(started));
    actor.stop();
    const exit = await Effect.runPromise(
      Deferred.await(interrupted).pipe(Effect.timeout("1 second"), Effect.exit),
    );
    expect(Exit.isSuccess(exit)).toBe(true);
  });
});

class Device extends Context.Tag("test/Device")<Device, string>() {}

const runtimeFor = (device: string): Runtime.Runtime<Device> =>
  Effect.runSync(Effect.provideService(Effect.runtime<Device>(), Device, device));

describe("fromEffectWith", () => {
  it("one actor logic runs each actor in the runtime its own input names", async () => {
    const logic = fromEffectWith(
      (input: { readonly runtime: Runtime.Runtime<Device>; readonly n: number }) =>
        Effect.map(Device, (device) => `${device}:${input.n}`),
      (input) => input.runtime,
    );
    const outputs = await Promise.all(
      ["dev-a", "dev-b"].map((device, n) => {
        const actor = createActor(logic, { input: { runtime: runtimeFor(device), n } });
        actor.start();
        return toPromise(actor);
      }),
    );
    expect(outputs).toEqual(["dev-a:0", "dev-b:1"]);
  });
});
