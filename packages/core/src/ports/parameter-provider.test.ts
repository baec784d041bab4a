import { Effect, Either } from "effect";
import { describe, expect, it } from "vitest";
import { ProviderError, providerFromPromises } from "./parameter-provider.js";

describe("providerFromPromises", () => {
  const provider = providerFromPromises({
    name: "plugin",
    paths: ["Device.X."],
    get: async (paths) => Object.fromEntries(paths.map((p) => [p, `v:${p}`])),
    set: async (changes) => {
      if (changes.some((c) => c.value === "bad"))
        throw Object.assign(new Error("refused"), { faultCode: 9007 });
      if (changes.some((c) => c.value === "boom")) throw new Error("link down");
      return changes.length > 1 ? { status: 1 } : undefined;
    },
  });

  it("turns a record answer into a Map and a missing status into 0", async () => {
    const got = await Effect.runPromise(provider.get(["Device.X.A"]));
    expect(got.get("Device.X.A")).toBe("v:Device.X.A");
    expect(await Effect.runPromise(provider.set([{ path: "Device.X.A", value: "1" }]))).toEqual({
      status: 0,
    });
    const two = [
      { path: "Device.X.A", value: "1" },
      { path: "Device.X.B", value: "2" },
    ];
    expect(await Effect.runPromise(provider.set(two))).toEqual({ status: 1 });
    expect(provider.instances).toBeUndefined();
  });

  it("turns a rejection into a ProviderError, keeping a numeric faultCode", async () => {
    const refused = await Effect.runPromise(
      Effect.either(provider.set([{ path: "Device.X.A", value: "bad" }])),
    );
    const failed = await Effect.runPromise(
      Effect.either(provider.set([{ path: "Device.X.A", value: "boom" }])),
    );
    expect(Either.isLeft(refused) && refused.left).toBeInstanceOf(ProviderError);
    expect(Either.isLeft(refused) && refused.left.faultCode).toBe(9007);
    expect(Either.isLeft(failed) && failed.left.faultCode).toBeUndefined();
    expect(Either.isLeft(failed) && failed.left.message).toContain("link down");
  });

  it("turns a get that answers nothing into a ProviderError, not a defect", async () => {
    const silent = providerFromPromises({
      name: "silent",
      paths: ["Device.X."],
      get: async () => undefined as never,
      set: async () => undefined,
    });
    const got = await Effect.runPromise(Effect.either(silent.get(["Device.X.A"])));
    expect(Either.isLeft(got) && got.left).toBeInstanceOf(ProviderError);
    expect(Either.isLeft(got) && got.left.message).toContain("get");
  });
});
