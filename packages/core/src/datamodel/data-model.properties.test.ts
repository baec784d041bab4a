/** Property tests of the data-model runtime (§1.11, §1.12), each named by its invariant. */
import { fc, test } from "@fast-check/vitest";
import { Effect, Either } from "effect";
import { describe, expect } from "vitest";
import type { ParameterValueStruct } from "../cwmp/value.js";
import { makeMemoryStore } from "../ports/store.js";
import type { DataModel } from "./data-model.js";
import { T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { makeTestDevice } from "./test-support/test-device.js";

const run = <A>(e: Effect.Effect<A, unknown>): Promise<A> =>
  Effect.runPromise(e as Effect.Effect<A>);
const PK = "Device.ManagementServer.ParameterKey";
const APN = (n: number) => `Device.Cellular.Interface.${n}.APN`;

/** Everything observable: all values, and the values held by providers. */
const snapshot = (model: DataModel, providerValues: Map<string, string>[]) =>
  run(
    Effect.map(model.getParameterValues([""]), (all) => ({
      all,
      providers: providerValues.map((m) => [...m].sort()),
    })),
  );

const spvStruct: fc.Arbitrary<ParameterValueStruct> = fc.oneof(
  fc.record({
    name: fc.constantFrom(
      APN(1),
      APN(2),
      `${T}Str`,
      `${T}Int`,
      `${T}Enum`,
      `${T}ReadOnly`,
      `${T}Nope`,
    ),
    value: fc.constantFrom("1", "-5", "Up", "x", "x".repeat(70), "101"),
    type: fc.constantFrom("string", "int"),
  }),
);

/** Operations that may change the ParameterKey. */
const keyedOp = fc.record({
  kind: fc.constantFrom("spv", "add", "delete"),
  list: fc.array(spvStruct, { maxLength: 3 }),
  target: fc.constantFrom(`${T}Rule.`, `${T}Rule.1.`, `${T}Rule.2.`, `${T}Port.`, `${T}Nope.`),
  key: fc.string({ maxLength: 34 }),
});

describe("data-model invariants (§1.11, §1.12)", () => {
  // Mostly valid lists (in random order, so either provider may be written first), sometimes
  // with one bad struct; the second provider fails its first set, or never.
  const validPool: ParameterValueStruct[] = [
    { name: APN(1), value: "a", type: "string" },
    { name: APN(2), value: "b", type: "string" },
    { name: `${T}Str`, value: "s", type: "string" },
    { name: `${T}Int`, value: "7", type: "int" },
    { name: `${T}Enum`, value: "Up", type: "string" },
  ];
  const atomicList = fc
    .tuple(
      fc.shuffledSubarray(validPool, { minLength: 1 }),
      fc.option(spvStruct, { nil: undefined, freq: 3 }),
      fc.nat(),
    )
    .map(([valid, extra, at]) => {
      if (extra === undefined || valid.some((v) => v.name === extra.name)) return valid;
      const i = at % (valid.length + 1);
      return [...valid.slice(0, i), extra, ...valid.slice(i)];
    });

  test.prop([atomicList, fc.constantFrom<number | undefined>(0, 1, undefined)], { numRuns: 60 })(
    "§1.11 SetParameterValues is atomic: after a fault no value changed (also when a provider fails half-way)",
    async (list, failAfter) => {
      // Str and Int belong to a second provider, written after the cellular one: failing it
      // fails the SPV half-way, after the cellular values were set.
      const second = await run(
        makeMemoryProvider("second", [`${T}Str`, `${T}Int`], {
          [`${T}Str`]: "s0",
          [`${T}Int`]: "0",
        }),
      );
      second.failSetAfter = failAfter;
      const { model, cellular } = await run(makeTestDevice({ extraProviders: [second] }));
      const before = await snapshot(model, [cellular.values, second.values]);
      const result = await run(Effect.either(model.setParameterValues(list, "new")));
      if (Either.isLeft(result)) {
        expect(await snapshot(model, [cellular.values, second.values])).toEqual(before);
      } else {
        const after = await run(model.getParameterValues(list.map((s) => s.name)));
        expect(after.map((v) => v.value)).toEqual(list.map((s) => s.value));
      }
    },
  );

  test.prop([fc.array(keyedOp, { maxLength: 12 })], { numRuns: 60 })(
    "§1.11 ParameterKey changes only on success",
    async (ops) => {
      const { model } = await run(makeTestDevice());
      let expected = "";
      for (const op of ops) {
        const effect =
          op.kind === "spv"
            ? model.setParameterValues(op.list, op.key)
            : op.kind === "add"
              ? model.addObject(op.target, op.key)
              : model.deleteObject(op.target, op.key);
        const r = await run(Effect.either(effect as Effect.Effect<unknown, unknown>));
        if (Either.isRight(r)) expected = op.key;
        const key = await run(model.getParameterValues([PK]));
        expect(key[0]?.value).toBe(expected);
      }
    },
  );

  test.prop(
    [
      fc.array(fc.constantFrom("add", "add", "delete-first", "delete-last", "restart"), {
        maxLength: 25,
      }),
    ],
    { numRuns: 60 },
  )("§1.12 instance numbers are never reused, also across restarts", async (ops) => {
    const store = await run(makeMemoryStore());
    let device = await run(makeTestDevice({ store }));
    const given = new Set<number>();
    const table = "Device.ManagementServer.InformParameter.";
    const live = async () =>
      (await run(device.model.getParameterNames(table, true))).map((i) =>
        Number(i.name.slice(table.length, -1)),
      );
    for (const op of ops) {
      if (op === "restart") device = await run(makeTestDevice({ store }));
      else if (op === "add") {
        const { instanceNumber } = await run(device.model.addObject(table, ""));
        expect(given.has(instanceNumber)).toBe(false);
        given.add(instanceNumber);
      } else {
        const numbers = await live();
        const n = op === "delete-first" ? numbers[0] : numbers.at(-1);
        if (n !== undefined) await run(device.model.deleteObject(`${table}${n}.`, ""));
      }
    }
  });

  /** Random instances added to the tables, as a setup. */
  const setup = fc.array(
    fc.constantFrom(
      `${T}Rule.`,
      `${T}Rule.1.Sub.`,
      `${T}Rule.2.Sub.`,
      "Device.ManagementServer.InformParameter.",
    ),
    { maxLength: 6 },
  );
  const prepare = async (adds: readonly string[]) => {
    const { model } = await run(makeTestDevice());
    for (const a of adds) await run(Effect.either(model.addObject(a, "")));
    return model;
  };

  test.prop([setup], { numRuns: 30 })(
    "§1.12 every name GetParameterNames lists is accepted by GetParameterValues",
    async (adds) => {
      const model = await prepare(adds);
      const all = await run(model.getParameterNames("", false));
      for (const { name } of all) {
        const r = await run(Effect.either(model.getParameterValues([name])));
        expect(Either.isRight(r), name).toBe(true);
      }
    },
  );

  test.prop([setup], { numRuns: 20 })(
    "§1.12 GetParameterNames NextLevel rules hold for every path",
    async (adds) => {
      const model = await prepare(adds);
      const all = (await run(model.getParameterNames("", false))).map((i) => i.name);
      expect(all[0]).toBe("Device.");
      for (const path of all) {
        const deep = await run(Effect.either(model.getParameterNames(path, false)));
        const next = await run(Effect.either(model.getParameterNames(path, true)));
        if (!path.endsWith(".")) {
          expect(Either.getOrThrow(deep).map((i) => i.name)).toEqual([path]);
          expect(Either.isLeft(next) && next.left.code).toBe(9003);
          continue;
        }
        const below = all.filter((n) => n.startsWith(path));
        expect(Either.getOrThrow(deep).map((i) => i.name)).toEqual(below);
        const children = below.filter((n) => /^[^.]+\.?$/.test(n.slice(path.length)));
        expect(Either.getOrThrow(next).map((i) => i.name)).toEqual(children);
      }
    },
  );
});
