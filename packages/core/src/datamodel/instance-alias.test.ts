import { fc, test } from "@fast-check/vitest";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { type ParameterProvider, ProviderError } from "../ports/parameter-provider.js";
import { makeMemoryStore } from "../ports/store.js";
import { compileSchema } from "./compiled-schema.js";
import { type DataModel, makeDataModel } from "./data-model.js";
import type { DataModelOptions } from "./device-context.js";
import type { ObjectSchema, ParameterSchema } from "./schema.js";
import { CELLULAR, deviceFixtureWith, fixtureInitial, T } from "./test-support/device-fixture.js";
import { makeMemoryProvider } from "./test-support/memory-provider.js";
import { faultOf } from "./test-support/test-device.js";

const MS = "Device.ManagementServer.";
const RULE = `${T}Rule.`;
const IF = `${CELLULAR}Interface.`;
/** A writable table served by a provider (see {@link dynProvider}). */
const DYN = `${T}Dyn.`;

/** A provider of the DYN table that adds and deletes instances itself; `failSet` refuses writes. */
const dynProvider = () => {
  const values = new Map<string, string>();
  const numbers: number[] = [];
  const log: string[] = [];
  const state = { failSet: false, failAliasGet: false };
  const provider: ParameterProvider = {
    name: "dyn",
    paths: [DYN],
    get: (paths) =>
      state.failAliasGet && paths.some((p) => p.endsWith(".Alias"))
        ? Effect.fail(new ProviderError({ reason: "Failed", provider: "dyn", detail: "no Alias" }))
        : Effect.sync(() => new Map(paths.map((p) => [p, values.get(p) ?? ""] as const))),
    set: (changes) =>
      state.failSet
        ? Effect.fail(new ProviderError({ reason: "Rejected", provider: "dyn", detail: "no" }))
        : Effect.sync(() => {
            for (const c of changes) {
              log.push(`set ${c.path}=${c.value}`);
              values.set(c.path, c.value);
            }
            return { status: 0 as const };
          }),
    instances: () => Effect.sync(() => [...numbers]),
    addInstance: () =>
      Effect.sync(() => {
        const n = (numbers.at(-1) ?? 0) + 1;
        numbers.push(n);
        log.push(`add ${n}`);
        return { status: 0 as const, instanceNumber: n };
      }),
    deleteInstance: (path) =>
      Effect.sync(() => {
        const n = Number(path.slice(DYN.length, -1));
        numbers.splice(numbers.indexOf(n), 1);
        log.push(`delete ${path}`);
        return { status: 0 as const };
      }),
  };
  return { provider, log, state };
};

const par = (
  path: string,
  type: ParameterSchema["type"],
  extra: Partial<ParameterSchema> = {},
): ParameterSchema => ({ path, type, access: "readWrite", ...extra });

/** The fixture with Alias parameters and the ManagementServer addressing parameters. */
const compiled = compileSchema(
  deviceFixtureWith(
    [
      par(`${MS}AliasBasedAddressing`, "boolean", { access: "readOnly", forcedInform: true }),
      par(`${MS}InstanceMode`, "string", {
        enumerations: ["InstanceNumber", "InstanceAlias"],
        default: "InstanceNumber",
      }),
      par(`${MS}InstanceWildcardsSupported`, "boolean", { access: "readOnly" }),
      par(`${RULE}{i}.Alias`, "string", { sizes: [{ maxLength: 64 }] }),
      par(`${RULE}{i}.Sub.{i}.Alias`, "string", { sizes: [{ maxLength: 64 }] }),
      par(`${IF}{i}.Alias`, "string", { sizes: [{ maxLength: 64 }] }),
      par(`${DYN}{i}.Alias`, "string", { sizes: [{ maxLength: 64 }] }),
      par(`${DYN}{i}.Name`, "string"),
    ],
    [
      {
        path: `${DYN}{i}.`,
        access: "readWrite",
        multiInstance: true,
        minEntries: 0,
      },
    ] as ObjectSchema[],
  ),
);

const device = (
  options: DataModelOptions = { aliasBasedAddressing: true },
  extra: readonly ParameterProvider[] = [],
) =>
  Effect.gen(function* () {
    const cellular = yield* makeMemoryProvider(
      "cellular",
      [CELLULAR],
      {
        [`${IF}1.Status`]: "Up",
        [`${IF}1.RSSI`]: "-70",
        [`${IF}1.APN`]: "internet",
        [`${IF}1.Alias`]: "wan",
        [`${IF}2.Status`]: "Down",
        [`${IF}2.RSSI`]: "-90",
        [`${IF}2.APN`]: "ims",
        [`${IF}2.Alias`]: "voice",
      },
      { [IF]: [1, 2] },
    );
    const model = yield* makeDataModel({
      schema: compiled,
      providers: [cellular, ...extra],
      store: yield* makeMemoryStore(),
      initial: fixtureInitial,
      options,
    });
    return { model, cellular };
  });

const run = <A>(f: (m: DataModel) => Effect.Effect<A, unknown>, options?: DataModelOptions) =>
  Effect.runPromise(Effect.flatMap(device(options), ({ model }) => f(model)) as Effect.Effect<A>);

const add = (m: DataModel, name: string) => m.addObject(name, "");
const values = (m: DataModel, names: string[]) =>
  Effect.map(m.getParameterValues(names), (l) => l.map((v) => `${v.name}=${v.value}`));
const spv = (m: DataModel, name: string, value: string) =>
  m.setParameterValues([{ name, value, type: "string" }], "k");

describe("alias-based addressing (§1.12-Alias, TR-069 A.2.2.1)", () => {
  it("§1.12-Alias AliasBasedAddressing and InstanceWildcardsSupported read true when on, false when off", async () => {
    const names = [`${MS}AliasBasedAddressing`, `${MS}InstanceWildcardsSupported`];
    expect(
      await run((m) => values(m, names), {
        aliasBasedAddressing: true,
        instanceWildcardsSupported: true,
      }),
    ).toEqual([`${names[0]}=true`, `${names[1]}=true`]);
    expect(await run((m) => values(m, names), {})).toEqual([
      `${names[0]}=false`,
      `${names[1]}=false`,
    ]);
  });

  it("§1.12-Alias AddObject of Table.[alias]. creates an instance with that Alias; Table. gets cpe-<n>", () =>
    run((m) =>
      Effect.gen(function* () {
        const a = yield* add(m, `${RULE}[office].`);
        const b = yield* add(m, RULE);
        expect([a.instanceNumber, b.instanceNumber]).toEqual([1, 2]);
        expect(yield* values(m, [`${RULE}1.Alias`, `${RULE}2.Alias`])).toEqual([
          `${RULE}1.Alias=office`,
          `${RULE}2.Alias=cpe-2`,
        ]);
        expect(yield* m.parameterKey).toBe("");
      }),
    ));

  it("§1.12-Alias an [alias] names its instance in GPV, SPV, GPN, GPA, SPA and DeleteObject", () =>
    run((m) =>
      Effect.gen(function* () {
        yield* add(m, `${RULE}[office].`);
        yield* add(m, `${RULE}[lab].`);
        expect(yield* spv(m, `${RULE}[lab].Name`, "L")).toBe(0);
        expect(yield* values(m, [`${RULE}[lab].Name`, `${RULE}[office].Priority`])).toEqual([
          `${RULE}2.Name=L`,
          `${RULE}1.Priority=1`,
        ]);
        const gpn = yield* m.getParameterNames(`${RULE}[lab].`, true);
        expect(gpn.map((p) => p.name)).toContain(`${RULE}2.Name`);
        yield* m.setParameterAttributes([
          {
            name: `${RULE}[office].Name`,
            notificationChange: true,
            notification: 1,
            accessListChange: false,
            accessList: [],
          },
        ]);
        const gpa = yield* m.getParameterAttributes([`${RULE}[office].Name`]);
        expect(gpa.map((a) => `${a.name}:${a.notification}`)).toEqual([`${RULE}1.Name:1`]);
        // A nested table under an aliased instance, itself addressed by alias.
        yield* add(m, `${RULE}[lab].Sub.[x].`);
        expect(yield* values(m, [`${RULE}[lab].Sub.[x].Alias`])).toEqual([
          `${RULE}2.Sub.1.Alias=x`,
        ]);
        expect(yield* m.deleteObject(`${RULE}[lab].`, "del")).toBe(0);
        expect(yield* m.parameterKey).toBe("del");
        expect((yield* faultOf(values(m, [`${RULE}[lab].Name`]))).code).toBe(9005);
        expect(yield* values(m, [`${RULE}[office].Name`])).toEqual([`${RULE}1.Name=`]);
        expect((yield* m.getParameterNames(RULE, true)).map((p) => p.name)).toEqual([`${RULE}1.`]);
      }),
    ));

  it("§1.12-Alias aliases of a provider's table are read from the provider", () =>
    run((m) =>
      Effect.map(values(m, [`${IF}[voice].APN`, `${IF}[wan].Status`]), (r) =>
        expect(r).toEqual([`${IF}2.APN=ims`, `${IF}1.Status=Up`]),
      ),
    ));

  it("§1.12-Alias §1.14-9005 an unknown alias, a table without Alias, or [alias] with addressing off: 9005", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const { model: on } = yield* device();
        yield* add(on, `${RULE}[a].`);
        for (const name of [`${RULE}[b].Name`, `${T}Port.[lan1].Name`, `${RULE}[].Name`])
          expect((yield* faultOf(values(on, [name]))).code, name).toBe(9005);
        expect((yield* faultOf(add(on, `${T}Port.[p].`))).code).toBe(9005);
        const { model: off } = yield* device({});
        yield* add(off, RULE);
        expect((yield* faultOf(values(off, [`${RULE}[cpe-1].Name`]))).code).toBe(9005);
        // Without alias-based addressing no alias is given either.
        expect(yield* values(off, [`${RULE}1.Alias`])).toEqual([`${RULE}1.Alias=`]);
        expect((yield* faultOf(add(off, `${RULE}[a].`))).code).toBe(9005);
      }),
    ));

  it("§1.12-Alias §1.14-9003 AddObject of an alias another instance has: 9003, nothing added, key kept", () =>
    run((m) =>
      Effect.gen(function* () {
        yield* m.addObject(`${RULE}[a].`, "first");
        const f = yield* faultOf(m.addObject(`${RULE}[a].`, "second"));
        expect(f.code).toBe(9003);
        expect(yield* m.parameterKey).toBe("first");
        expect((yield* m.getParameterNames(RULE, true)).map((p) => p.name)).toEqual([`${RULE}1.`]);
        // An alias that is no valid Alias (starts with a digit): 9007.
        expect((yield* faultOf(add(m, `${RULE}[9x].`))).code).toBe(9007);
      }),
    ));

  it("§1.12-Alias §1.14-9004 AddObject of a table at its maxEntries: 9004, also by [alias]", () =>
    run((m) =>
      Effect.gen(function* () {
        for (const a of ["a", "b", "c"]) yield* add(m, `${RULE}[${a}].`);
        expect((yield* faultOf(add(m, `${RULE}[d].`))).code).toBe(9004);
        expect((yield* faultOf(add(m, RULE))).code).toBe(9004);
      }),
    ));

  it("§1.12-Alias the cpe-<n> alias skips one the ACS already gave", () =>
    run((m) =>
      Effect.gen(function* () {
        yield* add(m, `${RULE}[cpe-2].`);
        yield* add(m, RULE);
        expect(yield* values(m, [`${RULE}2.Alias`])).toEqual([`${RULE}2.Alias=cpe-2-2`]);
      }),
    ));

  it("§1.12-Alias §1.14-9007 SPV of an Alias another instance has: 9003 with 9007 for it, nothing written", () =>
    run((m) =>
      Effect.gen(function* () {
        yield* add(m, `${RULE}[a].`);
        yield* add(m, `${RULE}[b].`);
        const f = yield* faultOf(
          m.setParameterValues(
            [
              { name: `${RULE}1.Name`, value: "n", type: "string" },
              { name: `${RULE}2.Alias`, value: "a", type: "string" },
            ],
            "k",
          ),
        );
        expect(f.code).toBe(9003);
        expect(f.setParameterValuesFaults?.map((e) => `${e.parameterName}:${e.faultCode}`)).toEqual(
          [`${RULE}2.Alias:9007`],
        );
        expect(yield* values(m, [`${RULE}1.Name`, `${RULE}2.Alias`])).toEqual([
          `${RULE}1.Name=`,
          `${RULE}2.Alias=b`,
        ]);
        // Two instances swapping their aliases in one call is allowed.
        yield* m.setParameterValues(
          [
            { name: `${RULE}1.Alias`, value: "b", type: "string" },
            { name: `${RULE}2.Alias`, value: "a", type: "string" },
          ],
          "swap",
        );
        expect(yield* values(m, [`${RULE}[a].Name`])).toEqual([`${RULE}2.Name=`]);
        // Two instances given the same new alias in one call: both refused.
        const both = yield* faultOf(
          m.setParameterValues(
            [
              { name: `${RULE}1.Alias`, value: "z", type: "string" },
              { name: `${RULE}2.Alias`, value: "z", type: "string" },
            ],
            "k",
          ),
        );
        expect(both.setParameterValuesFaults?.map((e) => e.faultCode)).toEqual([9007, 9007]);
        // An Alias [alias] segments could not name: 9007.
        const bad = yield* faultOf(spv(m, `${RULE}1.Alias`, "a.b"));
        expect(bad.setParameterValuesFaults?.[0]?.faultCode).toBe(9007);
        expect(yield* m.parameterKey).toBe("swap");
      }),
    ));

  it("§1.12-Alias InstanceMode=InstanceAlias: GPN, GPV and GPA answers name instances by [alias]", () =>
    run((m) =>
      Effect.gen(function* () {
        yield* add(m, `${RULE}[office].`);
        yield* add(m, `${RULE}[office].Sub.`);
        yield* spv(m, `${MS}InstanceMode`, "InstanceAlias");
        expect(yield* values(m, [`${RULE}1.Sub.1.Alias`, `${IF}2.APN`])).toEqual([
          `${RULE}[office].Sub.[cpe-1].Alias=cpe-1`,
          `${IF}[voice].APN=ims`,
        ]);
        const gpn = yield* m.getParameterNames(RULE, true);
        expect(gpn.map((p) => p.name)).toEqual([`${RULE}[office].`]);
        const gpa = yield* m.getParameterAttributes([`${RULE}1.Name`]);
        expect(gpa.map((a) => a.name)).toEqual([`${RULE}[office].Name`]);
        // Tables without an Alias parameter keep their numbers.
        expect(yield* values(m, [`${T}Port.1.Name`])).toEqual([`${T}Port.1.Name=lan1`]);
        yield* spv(m, `${MS}InstanceMode`, "InstanceNumber");
        expect(yield* values(m, [`${RULE}[office].Name`])).toEqual([`${RULE}1.Name=`]);
      }),
    ));
});

describe("alias-based addressing on a provider's table and with the option off (§1.12-Alias)", () => {
  it("§1.12-Alias AddObject on a provider's table writes the alias through the provider: [d1] as asked, cpe-<n> otherwise", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const dyn = dynProvider();
        const { model } = yield* device({ aliasBasedAddressing: true }, [dyn.provider]);
        expect((yield* model.addObject(`${DYN}[d1].`, "k")).instanceNumber).toBe(1);
        expect((yield* model.addObject(DYN, "k")).instanceNumber).toBe(2);
        expect(dyn.log).toEqual([
          "add 1",
          `set ${DYN}1.Alias=d1`,
          "add 2",
          `set ${DYN}2.Alias=cpe-2`,
        ]);
        expect(yield* values(model, [`${DYN}[d1].Alias`, `${DYN}[cpe-2].Alias`])).toEqual([
          `${DYN}1.Alias=d1`,
          `${DYN}2.Alias=cpe-2`,
        ]);
        expect((yield* faultOf(model.addObject(`${DYN}[d1].`, "x"))).code).toBe(9003);
        expect(yield* model.parameterKey).toBe("k");
        // DeleteObject by alias hands the provider the numbered instance path.
        expect(yield* model.deleteObject(`${DYN}[d1].`, "gone")).toBe(0);
        expect(dyn.log.at(-1)).toBe(`delete ${DYN}1.`);
      }),
    ));

  it("§1.12-Alias a provider that refuses an asked-for alias: the instance it added is deleted again, the fault is the provider's, the key kept; a refused cpe-<n> alias leaves the instance", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const dyn = dynProvider();
        dyn.state.failSet = true;
        const { model } = yield* device({ aliasBasedAddressing: true }, [dyn.provider]);
        const f = yield* faultOf(model.addObject(`${DYN}[d1].`, "k"));
        expect(f.code).toBe(9002);
        expect(dyn.log).toEqual(["add 1", `delete ${DYN}1.`]);
        expect(yield* model.parameterKey).toBe("");
        // The cpe-<n> alias is the agent's own idea: refused, the instance stays without one.
        expect(yield* model.addObject(DYN, "k2")).toEqual({ instanceNumber: 1, status: 0 });
        expect(dyn.log).toEqual(["add 1", `delete ${DYN}1.`, "add 1"]);
        expect(yield* model.parameterKey).toBe("k2");
      }),
    ));

  it("§1.12-Alias a provider that cannot serve its Alias values: AddObject still adds (no alias), InstanceAlias answers keep numbers, [x] is a fault", () =>
    Effect.runPromise(
      Effect.gen(function* () {
        const dyn = dynProvider();
        dyn.state.failAliasGet = true;
        const { model } = yield* device({ aliasBasedAddressing: true }, [dyn.provider]);
        // The first instance: no alias to read yet, so cpe-1 is given.
        expect(yield* model.addObject(DYN, "k")).toEqual({ instanceNumber: 1, status: 0 });
        // The second: the aliases in use cannot be read, so none is given.
        expect(yield* model.addObject(DYN, "k")).toEqual({ instanceNumber: 2, status: 0 });
        expect(dyn.log).toEqual(["add 1", `set ${DYN}1.Alias=cpe-1`, "add 2"]);
        yield* spv(model, `${MS}InstanceMode`, "InstanceAlias");
        expect(yield* values(model, [`${DYN}1.Name`])).toEqual([`${DYN}1.Name=`]);
        expect((yield* faultOf(values(model, [`${DYN}[x].Name`]))).code).toBe(9002);
      }),
    ));

  it("§1.12-Alias with alias-based addressing off: InstanceAlias mode answers by number, and SPV takes any unique Alias", () =>
    run(
      (m) =>
        Effect.gen(function* () {
          yield* add(m, RULE);
          yield* add(m, RULE);
          yield* spv(m, `${MS}InstanceMode`, "InstanceAlias");
          expect(yield* spv(m, `${RULE}1.Alias`, "a.b")).toBe(0);
          expect(yield* values(m, [`${RULE}1.Alias`])).toEqual([`${RULE}1.Alias=a.b`]);
          // Uniqueness holds whatever the option: Alias is the table's unique key.
          const dup = yield* faultOf(spv(m, `${RULE}2.Alias`, "a.b"));
          expect(dup.setParameterValuesFaults?.map((e) => e.faultCode)).toEqual([9007]);
        }),
      {},
    ));

  it("§1.12-Alias an empty Alias is not an alias: two instances may both have none, and [] names nothing", () =>
    run(
      (m) =>
        Effect.gen(function* () {
          yield* add(m, RULE);
          yield* add(m, RULE);
          yield* m.setParameterValues(
            [
              { name: `${RULE}1.Alias`, value: "", type: "string" },
              { name: `${RULE}2.Alias`, value: "", type: "string" },
            ],
            "",
          );
          expect(yield* values(m, [`${RULE}1.Alias`, `${RULE}2.Alias`])).toEqual([
            `${RULE}1.Alias=`,
            `${RULE}2.Alias=`,
          ]);
        }),
      {},
    ));
});

describe("instance wildcards (§1.12-Wildcards, TR-069 A.2.2.2)", () => {
  const wild: DataModelOptions = { instanceWildcardsSupported: true, aliasBasedAddressing: true };

  it("§1.12-Wildcards Table.*.Param and Table.*. in GPV, GPA and SPA reach every instance", () =>
    run(
      (m) =>
        Effect.gen(function* () {
          yield* add(m, RULE);
          yield* add(m, RULE);
          expect(yield* values(m, [`${RULE}*.Priority`])).toEqual([
            `${RULE}1.Priority=1`,
            `${RULE}2.Priority=1`,
          ]);
          const sub = yield* values(m, [`${RULE}*.`]);
          expect(
            sub.filter((v) => v.endsWith(".Alias=cpe-1") || v.endsWith(".Alias=cpe-2")),
          ).toEqual([`${RULE}1.Alias=cpe-1`, `${RULE}2.Alias=cpe-2`]);
          yield* m.setParameterAttributes([
            {
              name: `${RULE}*.Name`,
              notificationChange: true,
              notification: 2,
              accessListChange: false,
              accessList: [],
            },
          ]);
          const gpa = yield* m.getParameterAttributes([`${RULE}*.Name`]);
          expect(gpa.map((a) => `${a.name}:${a.notification}`)).toEqual([
            `${RULE}1.Name:2`,
            `${RULE}2.Name:2`,
          ]);
        }),
      wild,
    ));

  it("§1.12-Wildcards §1.14-9005 SPV, AddObject and DeleteObject never take a wildcard: 9005, nothing changed", () =>
    run(
      (m) =>
        Effect.gen(function* () {
          yield* add(m, RULE);
          const f = yield* faultOf(spv(m, `${RULE}*.Name`, "x"));
          expect(f.code).toBe(9003);
          expect(f.setParameterValuesFaults?.map((e) => e.faultCode)).toEqual([9005]);
          expect((yield* faultOf(m.deleteObject(`${RULE}*.`, ""))).code).toBe(9005);
          expect((yield* faultOf(add(m, `${RULE}*.Sub.`))).code).toBe(9005);
          expect(yield* values(m, [`${RULE}1.Name`])).toEqual([`${RULE}1.Name=`]);
        }),
      wild,
    ));
});

describe("alias addressing properties (§1.12-Alias)", () => {
  const aliases = fc.uniqueArray(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/), {
    minLength: 1,
    maxLength: 3,
  });

  test.prop([aliases, fc.array(fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), { maxLength: 3 })], {
    numRuns: 40,
  })(
    "§1.12-Alias every [alias] path reads what its numbered path reads, and InstanceAlias answers name it back",
    (list, priorities) =>
      run((m) =>
        Effect.gen(function* () {
          const numbers: number[] = [];
          for (const a of list) numbers.push((yield* add(m, `${RULE}[${a}].`)).instanceNumber);
          for (let i = 0; i < list.length; i++)
            yield* m.setParameterValues(
              [
                {
                  name: `${RULE}[${list[i]}].Priority`,
                  value: String(priorities[i] ?? 1),
                  type: "unsignedInt",
                },
              ],
              "",
            );
          const byAlias = yield* m.getParameterValues(list.map((a) => `${RULE}[${a}].Priority`));
          const byNumber = yield* m.getParameterValues(numbers.map((n) => `${RULE}${n}.Priority`));
          expect(byAlias).toEqual(byNumber);
          expect(byNumber.map((v) => v.value)).toEqual(
            list.map((_, i) => String(priorities[i] ?? 1)),
          );
          yield* spv(m, `${MS}InstanceMode`, "InstanceAlias");
          const named = yield* m.getParameterValues(numbers.map((n) => `${RULE}${n}.Priority`));
          expect(named.map((v) => v.name)).toEqual(list.map((a) => `${RULE}[${a}].Priority`));
        }),
      ),
  );
});
