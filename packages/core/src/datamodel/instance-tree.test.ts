import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import type { CwmpFault } from "../cwmp/fault.js";
import { type ParameterProvider, ProviderError } from "../ports/parameter-provider.js";
import { compileSchema } from "./compiled-schema.js";
import type { DataModelOptions, DeviceContext } from "./device-context.js";
import { emptyDeviceState } from "./device-state.js";
import { parametersForNames } from "./get-parameter-values.js";
import {
  childrenOf,
  expandSchemaPath,
  makeTreeView,
  parametersOf,
  resolveName,
  rootNode,
  subtreeOf,
  type TreeNode,
  type TreeView,
} from "./instance-tree.js";
import { readValues } from "./read-values.js";
import { settledNow } from "./settled-now.js";
import { CELLULAR, deviceFixtureWith, T } from "./test-support/device-fixture.js";
import { compiledFixture } from "./test-support/test-device.js";

// The tree is read through a view over a bare context: the store-owned Port table has instances
// 1 and 2, and a provider serves the Cellular interfaces (given unsorted) counting its reads.

const IFACE = `${CELLULAR}Interface.`;

const fixture = (
  instances: Effect.Effect<readonly number[], ProviderError> = Effect.succeed([10, 2, 1]),
) => {
  const reads: string[] = [];
  const provider: ParameterProvider = {
    name: "cellular",
    paths: [CELLULAR],
    get: () => Effect.succeed(new Map()),
    set: () => Effect.succeed({ status: 0 }),
    instances: (tablePath) =>
      Effect.sync(() => reads.push(tablePath)).pipe(Effect.zipRight(instances)),
  };
  const state = emptyDeviceState();
  state.instances.set(`${T}Port.`, [1, 2]);
  const ctx: DeviceContext = {
    compiled: compiledFixture,
    providers: [provider],
    state,
    notifications: { lastKnown: new Map(), pending: new Map(), lightweight: new Map() },
    options: {},
    persist: Effect.void,
  };
  return { view: makeTreeView(ctx), reads };
};

const run = <A>(e: Effect.Effect<A, CwmpFault>) => Effect.runSync(e);
const faultOf = <A>(e: Effect.Effect<A, CwmpFault>) => {
  const f = Effect.runSync(Effect.flip(e));
  return { code: f.code, faultString: f.faultString };
};
const paths = (nodes: readonly TreeNode[]) => nodes.map((n) => `${n.kind} ${n.path}`);
const resolve = (view: TreeView, name: string, wildcards = false) =>
  paths(run(resolveName(view, name, wildcards)));
const invalid = (name: string) => ({ code: 9005, faultString: `Invalid parameter name ${name}` });

describe("makeTreeView: instance lists", () => {
  it("a provider's instance numbers are sorted ascending as numbers, and read once per view", () => {
    const { view, reads } = fixture();
    expect(view.knownInstancesOf(IFACE)).toBeUndefined();
    expect(run(view.instancesOf(IFACE, `${IFACE}{i}.`))).toEqual([1, 2, 10]);
    expect(run(view.instancesOf(IFACE, `${IFACE}{i}.`))).toEqual([1, 2, 10]);
    expect(reads).toEqual([IFACE]);
    expect(view.knownInstancesOf(IFACE)).toEqual([1, 2, 10]);
  });

  it("a store-owned table's instances come from the state; a table without any has none", () => {
    const { view, reads } = fixture();
    expect(run(view.instancesOf(`${T}Port.`, `${T}Port.{i}.`))).toEqual([1, 2]);
    expect(run(view.instancesOf(`${T}Rule.`, `${T}Rule.{i}.`))).toEqual([]);
    expect(view.knownInstancesOf(`${T}Rule.`)).toEqual([]);
    expect(reads).toEqual([]);
  });

  it("a provider's failure is its own fault code and message, else 9002", () => {
    const coded = fixture(
      Effect.fail(
        new ProviderError({
          reason: "Rejected",
          provider: "cellular",
          detail: "no",
          faultCode: 9001,
        }),
      ),
    );
    expect(faultOf(coded.view.instancesOf(IFACE, `${IFACE}{i}.`))).toEqual({
      code: 9001,
      faultString: "provider cellular Rejected: no",
    });
    const uncoded = fixture(
      Effect.fail(
        new ProviderError({ reason: "Unavailable", provider: "cellular", detail: "down" }),
      ),
    );
    expect(faultOf(uncoded.view.instancesOf(IFACE, `${IFACE}{i}.`)).code).toBe(9002);
    // A failed read is not cached.
    expect(uncoded.view.knownInstancesOf(IFACE)).toBeUndefined();
  });
});

describe("childrenOf, subtreeOf, parametersOf", () => {
  it("the root node is Device.", () => {
    expect(rootNode(fixture().view)).toEqual({
      kind: "object",
      path: "Device.",
      schemaPath: "Device.",
    });
  });

  it("the root's children are its single objects (object nodes) and then its parameters, in schema order", () => {
    const { view } = fixture();
    expect(run(childrenOf(view, rootNode(view)))).toEqual([
      ...["DeviceInfo.", "ManagementServer.", "X_CPEKIT_Test.", "Cellular."].map((o) => ({
        kind: "object",
        path: `Device.${o}`,
        schemaPath: `Device.${o}`,
      })),
      {
        kind: "param",
        path: "Device.RootDataModelVersion",
        schema: compiledFixture.schema.parameters.get("Device.RootDataModelVersion"),
      },
    ]);
  });

  it("an object's children are its tables, objects and parameters in schema order, with instance paths", () => {
    const { view } = fixture();
    const rule1 = { kind: "object", path: `${T}Rule.1.`, schemaPath: `${T}Rule.{i}.` } as const;
    expect(run(childrenOf(view, rule1))).toEqual([
      { kind: "table", path: `${T}Rule.1.Sub.`, schemaPath: `${T}Rule.{i}.Sub.{i}.` },
      {
        kind: "param",
        path: `${T}Rule.1.Enable`,
        schema: compiledFixture.schema.parameters.get(`${T}Rule.{i}.Enable`),
      },
      {
        kind: "param",
        path: `${T}Rule.1.Name`,
        schema: compiledFixture.schema.parameters.get(`${T}Rule.{i}.Name`),
      },
      {
        kind: "param",
        path: `${T}Rule.1.Priority`,
        schema: compiledFixture.schema.parameters.get(`${T}Rule.{i}.Priority`),
      },
    ]);
  });

  it("a table's children are its instances, ascending; a parameter has none", () => {
    const { view } = fixture();
    const table = { kind: "table", path: IFACE, schemaPath: `${IFACE}{i}.` } as const;
    expect(run(childrenOf(view, table))).toEqual(
      [1, 2, 10].map((n) => ({
        kind: "object",
        path: `${IFACE}${n}.`,
        schemaPath: `${IFACE}{i}.`,
      })),
    );
    const [name] = run(resolveName(view, `${T}Port.1.Name`, false));
    expect(run(childrenOf(view, name as TreeNode))).toEqual([]);
  });

  it("subtreeOf lists a node and everything below it in pre-order, instances ascending", () => {
    const { view } = fixture();
    const [ports] = run(resolveName(view, `${T}Port.`, false));
    expect(paths(run(subtreeOf(view, ports as TreeNode)))).toEqual([
      `table ${T}Port.`,
      `object ${T}Port.1.`,
      `param ${T}Port.1.Name`,
      `param ${T}Port.1.Status`,
      `object ${T}Port.2.`,
      `param ${T}Port.2.Name`,
      `param ${T}Port.2.Status`,
    ]);
  });

  it("parametersOf keeps only the parameters of the subtree; of a parameter, the parameter itself", () => {
    const { view } = fixture();
    const [ports] = run(resolveName(view, `${T}Port.`, false));
    expect(paths(run(parametersOf(view, ports as TreeNode)))).toEqual([
      `param ${T}Port.1.Name`,
      `param ${T}Port.1.Status`,
      `param ${T}Port.2.Name`,
      `param ${T}Port.2.Status`,
    ]);
    const [name] = run(resolveName(view, `${T}Port.2.Name`, false));
    expect(run(parametersOf(view, name as TreeNode))).toEqual([name]);
  });
});

describe("resolveName (§1.12 names, 9005 for a name that designates nothing)", () => {
  it("the empty name and `Device.` are the root", () => {
    const { view } = fixture();
    expect(resolve(view, "")).toEqual(["object Device."]);
    expect(resolve(view, "Device.")).toEqual(["object Device."]);
  });

  it("a full parameter name through a table instance is that parameter", () => {
    const { view } = fixture();
    expect(run(resolveName(view, `${T}Port.2.Name`, false))).toEqual([
      {
        kind: "param",
        path: `${T}Port.2.Name`,
        schema: compiledFixture.schema.parameters.get(`${T}Port.{i}.Name`),
      },
    ]);
  });

  it("partial paths name objects, tables and instances", () => {
    const { view } = fixture();
    expect(run(resolveName(view, T, false))).toEqual([{ kind: "object", path: T, schemaPath: T }]);
    expect(run(resolveName(view, `${T}Port.`, false))).toEqual([
      { kind: "table", path: `${T}Port.`, schemaPath: `${T}Port.{i}.` },
    ]);
    expect(run(resolveName(view, `${T}Port.2.`, false))).toEqual([
      { kind: "object", path: `${T}Port.2.`, schemaPath: `${T}Port.{i}.` },
    ]);
  });

  it("a provider's table resolves through its instances, read once for several names", () => {
    const { view, reads } = fixture();
    expect(resolve(view, `${IFACE}10.Status`)).toEqual([`param ${IFACE}10.Status`]);
    expect(resolve(view, `${IFACE}2.RSSI`)).toEqual([`param ${IFACE}2.RSSI`]);
    expect(reads).toEqual([IFACE]);
  });

  it("`*` designates every instance when wildcards are on, ascending; with none, nothing (no fault)", () => {
    const { view } = fixture();
    expect(resolve(view, `${IFACE}*.Status`, true)).toEqual([
      `param ${IFACE}1.Status`,
      `param ${IFACE}2.Status`,
      `param ${IFACE}10.Status`,
    ]);
    expect(resolve(view, `${T}Rule.*.`, true)).toEqual([]);
  });

  it("`*` is an invalid name when wildcards are off", () => {
    const { view } = fixture();
    expect(faultOf(resolveName(view, `${T}Port.*.Name`, false))).toEqual(
      invalid(`${T}Port.*.Name`),
    );
  });

  it.each([
    ["the root without its dot", "Device"],
    ["another root", "InternetGatewayDevice.DeviceInfo."],
    ["an empty segment", "Device..DeviceInfo."],
    ["an unknown parameter", `${T}Nope`],
    ["an unknown object", `${T}Nope.`],
    ["an object named as a parameter (no dot)", "Device.DeviceInfo"],
    ["a parameter named as an object (with a dot)", `${T}Port.1.Name.`],
    ["a name going on below a parameter", `${T}Port.1.Name.More`],
    ["an instance named as a parameter (no dot)", `${T}Port.1`],
    ["a table named as a parameter (no dot)", `${T}Port`],
    ["an instance that does not exist", `${T}Port.3.`],
    ["an instance number with a leading zero", `${T}Port.01.`],
    ["a segment in a table that is not an instance number", `${T}Port.Name`],
    ["an alias segment while alias-based addressing is off", `${T}Port.[lan1].`],
  ])("%s is 9005 (%s)", (_why, name) => {
    const { view } = fixture();
    expect(faultOf(resolveName(view, name, true))).toEqual(invalid(name));
  });
});

describe("resolveName: refusals that ask no provider, and [alias] segments (§1.12-Alias)", () => {
  it("§1.14-9005 a name with an empty segment is 9005 before any provider is asked, even one that would fail", () => {
    const { view, reads } = fixture(
      Effect.fail(
        new ProviderError({ reason: "Unavailable", provider: "cellular", detail: "down" }),
      ),
    );
    for (const name of [`${IFACE}1..Status`, `${IFACE}..`, `${IFACE}*..Status`])
      expect(faultOf(resolveName(view, name, true))).toEqual(invalid(name));
    expect(reads).toEqual([]);
  });

  // A bare view over the fixture with an Alias on the Rule table; Rule 1 has the Alias "a".
  const aliasView = (options: DataModelOptions) => {
    const state = emptyDeviceState();
    state.instances.set(`${T}Rule.`, [1, 2]);
    state.values.set(`${T}Rule.1.Alias`, "a");
    return makeTreeView({
      compiled: compileSchema(
        deviceFixtureWith([{ path: `${T}Rule.{i}.Alias`, type: "string", access: "readWrite" }]),
      ),
      providers: [],
      state,
      notifications: { lastKnown: new Map(), pending: new Map(), lightweight: new Map() },
      options,
      persist: Effect.void,
    });
  };

  it("§1.12-Alias with alias-based addressing on, [alias] names the instance with that Alias, by number", () => {
    const view = aliasView({ aliasBasedAddressing: true });
    expect(resolve(view, `${T}Rule.[a].Name`)).toEqual([`param ${T}Rule.1.Name`]);
    expect(faultOf(resolveName(view, `${T}Rule.[b].`, false))).toEqual(invalid(`${T}Rule.[b].`));
  });

  it("§1.12-Alias §1.14-9005 with alias-based addressing off, [alias] is 9005 even when an instance has that Alias", () => {
    const view = aliasView({});
    for (const name of [`${T}Rule.[a].Name`, `${T}Rule.[a].`])
      expect(faultOf(resolveName(view, name, true))).toEqual(invalid(name));
    expect(
      faultOf(resolveName(aliasView({ aliasBasedAddressing: false }), `${T}Rule.[a].`, false)),
    ).toEqual(invalid(`${T}Rule.[a].`));
  });
});

describe("expandSchemaPath", () => {
  it("`{i}` matches every instance; a schema path matching nothing gives an empty list", () => {
    const { view } = fixture();
    expect(paths(run(expandSchemaPath(view, `${T}Port.{i}.Name`)))).toEqual([
      `param ${T}Port.1.Name`,
      `param ${T}Port.2.Name`,
    ]);
    expect(run(expandSchemaPath(view, `${T}Port.{i}.`))).toEqual([]);
    expect(run(expandSchemaPath(view, `${T}Nope`))).toEqual([]);
  });
});

describe("NumberOfEntries read through the view", () => {
  const counter = (view: TreeView, path: string) => {
    const schema = view.ctx.compiled.schema.parameters.get(path);
    if (schema === undefined) throw new Error(`no ${path} in the fixture`);
    return { kind: "param" as const, path, schema };
  };

  it("§1.12 counts a stored table's instances at once and a provider's table through the provider", () => {
    const { view, reads } = fixture();
    view.ctx.state.instances.set(`${T}Rule.`, [1, 4]);
    const stored = readValues(view, [counter(view, `${T}RuleNumberOfEntries`)]);
    expect(settledNow(stored)).toBeDefined();
    expect(run(stored)).toEqual(["2"]);
    expect(reads).toEqual([]);
    const both = readValues(view, [
      counter(view, `${T}RuleNumberOfEntries`),
      counter(view, `${CELLULAR}InterfaceNumberOfEntries`),
    ]);
    expect(settledNow(both)).toBeUndefined();
    expect(run(both)).toEqual(["2", "3"]);
    expect(reads).toEqual([IFACE]);
  });
});

describe("parametersForNames run again", () => {
  it("an effect that did not settle (a provider's table to read) gives the same parameters at every run, not appended twice", () => {
    const { view, reads } = fixture();
    const names = [`${T}Port.1.`, IFACE];
    const params = parametersForNames(view, names);
    expect(settledNow(params)).toBeUndefined();
    const first = run(params).map((n) => n.path);
    expect(first.some((p) => p.startsWith(`${T}Port.1.`))).toBe(true);
    expect(first.some((p) => p.startsWith(`${IFACE}10.`))).toBe(true);
    expect(run(params).map((n) => n.path)).toEqual(first);
    expect(reads).toEqual([IFACE]);
  });
});
