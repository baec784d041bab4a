/**
 * Model-based test (§1.11, §1.12): random sequences of parameter RPCs run against the data
 * model and against a plain Map-based reference model of the `Device.X_CPEKIT_Test.` subtree,
 * written here independently from the runtime; every answer and fault code must agree.
 */
import { Effect, Either } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CwmpFault } from "../cwmp/fault.js";
import type { DataModel } from "./data-model.js";
import { T } from "./test-support/device-fixture.js";
import { makeTestDevice } from "./test-support/test-device.js";

const MAX_RULES = 3;

/** Top-level parameters of the subtree: default value, writable, validity check. */
const flat: Record<string, { def: string; writable: boolean; hidden?: boolean }> = {
  Int: { def: "0", writable: true },
  UInt: { def: "0", writable: true },
  Long: { def: "0", writable: true },
  ULong: { def: "0", writable: true },
  Bool: { def: "false", writable: true },
  Time: { def: "0001-01-01T00:00:00Z", writable: true },
  B64: { def: "", writable: true },
  Hex: { def: "", writable: true },
  Dec: { def: "0", writable: true },
  Str: { def: "", writable: true },
  Enum: { def: "Down", writable: true },
  Pattern: { def: "", writable: true },
  List: { def: "", writable: true },
  Step: { def: "0", writable: true },
  ReadOnly: { def: "fixed", writable: false },
  Once: { def: "", writable: true },
  Secret: { def: "", writable: true, hidden: true },
};

/** The reference model. */
class Ref {
  values = new Map<string, string>();
  rules = new Map<number, Set<number>>();
  ruleCounter = 0;
  subCounters = new Map<number, number>();
  notification = new Map<string, number>();
  key = "";

  /** Every entry of the subtree: name -> [writable, value (params only)]. */
  entries(): Map<string, { writable: boolean; value?: string }> {
    const e = new Map<string, { writable: boolean; value?: string }>();
    const param = (name: string, writable: boolean, def: string, hidden = false) =>
      e.set(name, { writable, value: hidden ? "" : (this.values.get(name) ?? def) });
    e.set(T, { writable: false });
    e.set(`${T}Rule.`, { writable: true });
    for (const [r, subs] of this.rules) {
      const base = `${T}Rule.${r}.`;
      e.set(base, { writable: true });
      param(`${base}Enable`, true, "false");
      param(`${base}Name`, true, "");
      param(`${base}Priority`, true, "1");
      e.set(`${base}Sub.`, { writable: true });
      for (const s of subs) {
        e.set(`${base}Sub.${s}.`, { writable: true });
        param(`${base}Sub.${s}.Value`, true, "");
      }
    }
    e.set(`${T}Port.`, { writable: false });
    for (const [n, name] of [
      [1, "lan1"],
      [2, "lan2"],
    ] as const) {
      e.set(`${T}Port.${n}.`, { writable: false });
      e.set(`${T}Port.${n}.Name`, { writable: false, value: name });
      e.set(`${T}Port.${n}.Status`, { writable: false, value: "Up" });
    }
    for (const [n, p] of Object.entries(flat)) param(`${T}${n}`, p.writable, p.def, p.hidden);
    e.set(`${T}RuleNumberOfEntries`, { writable: false, value: String(this.rules.size) });
    return e;
  }

  /** Fault code (0 when fine) of a value sent with `type` to a writable parameter (by its last name segment). */
  static valid(leaf: string, value: string, type: string): number {
    const paramType: Record<string, string> = {
      Int: "int",
      Priority: "unsignedInt",
      Bool: "boolean",
      Enable: "boolean",
    };
    const own = paramType[leaf] ?? "string";
    const integers = ["int", "unsignedInt"];
    if (type !== "string" && type !== own && !(integers.includes(type) && integers.includes(own)))
      return 9006;
    switch (leaf) {
      case "Int":
        return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= 100 ? 0 : 9007;
      case "Bool":
      case "Enable":
        return ["true", "false", "1", "0"].includes(value) ? 0 : 9007;
      case "Str":
      case "Name":
        return value.length <= 16 ? 0 : 9007;
      case "Enum":
        return ["Up", "Down", "Dormant"].includes(value) ? 0 : 9007;
      case "Priority":
        return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10 ? 0 : 9007;
      default:
        return 0;
    }
  }

  removeUnder(prefix: string) {
    for (const m of [this.values, this.notification])
      for (const k of [...m.keys()]) if (k.startsWith(prefix)) m.delete(k);
  }
}

type Outcome =
  | { ok: unknown }
  | { fault: number; details?: readonly (readonly [string, number])[] };

const outcome = <A>(e: Effect.Effect<A, CwmpFault>, map: (a: A) => unknown = (a) => a) =>
  Effect.runPromise(
    Effect.map(
      Effect.either(e),
      (r): Outcome =>
        Either.isRight(r)
          ? { ok: map(r.right) }
          : {
              fault: r.left.code,
              ...(r.left.setParameterValuesFaults
                ? {
                    details: r.left.setParameterValuesFaults.map(
                      (f) => [f.parameterName, f.faultCode] as const,
                    ),
                  }
                : {}),
            },
    ),
  );

const sorted = <A>(l: readonly A[]) => [...l].map((x) => JSON.stringify(x)).sort();

type Cmd = fc.AsyncCommand<Ref, DataModel>;
const instance = fc.integer({ min: 1, max: 4 });

/** A writable-ish parameter name and a value/type to send. */
const spvItem = fc.oneof(
  fc.record({
    name: fc.constantFrom("Int", "Bool", "Str", "Enum", "ReadOnly", "Nope").map((n) => `${T}${n}`),
    value: fc.constantFrom("5", "-100", "101", "true", "0", "yes", "Up", "up", "", "x".repeat(17)),
    type: fc.constantFrom("string", "int"),
  }),
  fc.record({
    name: fc
      .tuple(instance, fc.constantFrom("Name", "Priority", "Enable"))
      .map(([r, l]) => `${T}Rule.${r}.${l}`),
    value: fc.constantFrom("1", "10", "0", "11", "a", "true", "x".repeat(17)),
    type: fc.constantFrom("string", "int", "boolean"),
  }),
  fc.record({
    name: fc.tuple(instance, instance).map(([r, s]) => `${T}Rule.${r}.Sub.${s}.Value`),
    value: fc.constantFrom("v", "w"),
    type: fc.constant("string"),
  }),
);

const names = fc.oneof(
  fc.constantFrom(
    T,
    `${T}Rule.`,
    `${T}Port.`,
    `${T}Int`,
    `${T}Nope`,
    `${T}Secret`,
    `${T}RuleNumberOfEntries`,
  ),
  instance.map((r) => `${T}Rule.${r}.`),
  instance.map((r) => `${T}Rule.${r}.Name`),
  fc.tuple(instance, instance).map(([r, s]) => `${T}Rule.${r}.Sub.${s}.`),
);

const key = fc.constantFrom("", "k1", "k2", "k3");

const refParams = (
  ref: Ref,
  name: string,
): [string, { writable: boolean; value?: string }][] | undefined => {
  const entries = ref.entries();
  if (!entries.has(name)) return undefined;
  return [...entries].filter(
    ([n, e]) => e.value !== undefined && (n === name || (name.endsWith(".") && n.startsWith(name))),
  );
};

const spv = (items: { name: string; value: string; type: string }[], k: string): Cmd => ({
  check: () => true,
  toString: () => `SPV ${JSON.stringify(items)} ${k}`,
  run: async (ref, real) => {
    const got = await outcome(real.setParameterValues(items, k));
    let expected: Outcome;
    if (new Set(items.map((i) => i.name)).size !== items.length) expected = { fault: 9003 };
    else {
      const entries = ref.entries();
      const details: [string, number][] = [];
      for (const i of items) {
        const e = entries.get(i.name);
        const leaf = i.name.slice(i.name.lastIndexOf(".") + 1);
        const code =
          e?.value === undefined ? 9005 : !e.writable ? 9008 : Ref.valid(leaf, i.value, i.type);
        if (code !== 0) details.push([i.name, code]);
      }
      if (details.length > 0) expected = { fault: 9003, details };
      else {
        for (const i of items) ref.values.set(i.name, i.value);
        ref.key = k;
        expected = { ok: 0 };
      }
    }
    expect(got).toEqual(expected);
  },
});

const addObject = (target: string, k: string): Cmd => ({
  check: () => true,
  toString: () => `AddObject ${target} ${k}`,
  run: async (ref, real) => {
    const got = await outcome(real.addObject(target, k));
    let expected: Outcome = { fault: 9005 };
    const sub = /Rule\.(\d+)\.Sub\.$/.exec(target);
    if (target === `${T}Rule.`) {
      if (ref.rules.size >= MAX_RULES) expected = { fault: 9004 };
      else {
        const n = ++ref.ruleCounter;
        ref.rules.set(n, new Set());
        expected = { ok: { instanceNumber: n, status: 0 } };
      }
    } else if (sub !== null && ref.rules.has(Number(sub[1]))) {
      const r = Number(sub[1]);
      const n = (ref.subCounters.get(r) ?? 0) + 1;
      ref.subCounters.set(r, n);
      ref.rules.get(r)?.add(n);
      expected = { ok: { instanceNumber: n, status: 0 } };
    }
    if ("ok" in expected) ref.key = k;
    expect(got).toEqual(expected);
  },
});

const deleteObject = (target: string, k: string): Cmd => ({
  check: () => true,
  toString: () => `DeleteObject ${target} ${k}`,
  run: async (ref, real) => {
    const got = await outcome(real.deleteObject(target, k));
    let expected: Outcome = { fault: 9005 };
    const rule = /Rule\.(\d+)\.$/.exec(target);
    const sub = /Rule\.(\d+)\.Sub\.(\d+)\.$/.exec(target);
    if (sub !== null) {
      const subs = ref.rules.get(Number(sub[1]));
      if (subs?.delete(Number(sub[2]))) expected = { ok: 0 };
    } else if (rule !== null && ref.rules.delete(Number(rule[1]))) {
      ref.subCounters.delete(Number(rule[1]));
      expected = { ok: 0 };
    }
    if ("ok" in expected) {
      ref.key = k;
      ref.removeUnder(target);
    }
    expect(got).toEqual(expected);
  },
});

const gpv = (name: string): Cmd => ({
  check: () => true,
  toString: () => `GPV ${name}`,
  run: async (ref, real) => {
    const got = await outcome(real.getParameterValues([name]), (l) =>
      sorted(l.map((p) => [p.name, p.value])),
    );
    const params = refParams(ref, name);
    expect(got).toEqual(
      params === undefined ? { fault: 9005 } : { ok: sorted(params.map(([n, e]) => [n, e.value])) },
    );
    const pk = await Effect.runPromise(real.parameterKey);
    expect(pk).toBe(ref.key);
  },
});

const gpn = (path: string, nextLevel: boolean): Cmd => ({
  check: () => true,
  toString: () => `GPN ${path} ${nextLevel}`,
  run: async (ref, real) => {
    const got = await outcome(real.getParameterNames(path, nextLevel), (l) =>
      sorted(l.map((i) => [i.name, i.writable])),
    );
    const entries = ref.entries();
    let expected: Outcome;
    if (!entries.has(path)) expected = { fault: 9005 };
    else if (!path.endsWith("."))
      expected = nextLevel
        ? { fault: 9003 }
        : { ok: sorted([[path, entries.get(path)?.writable]]) };
    else {
      const below = [...entries].filter(([n]) =>
        nextLevel
          ? n.startsWith(path) && /^[^.]+\.?$/.test(n.slice(path.length))
          : n.startsWith(path),
      );
      expected = { ok: sorted(below.map(([n, e]) => [n, e.writable])) };
    }
    expect(got).toEqual(expected);
  },
});

const spa = (name: string, notification: 0 | 1 | 2): Cmd => ({
  check: () => true,
  toString: () => `SPA ${name} ${notification}`,
  run: async (ref, real) => {
    const got = await outcome(
      real.setParameterAttributes([
        { name, notificationChange: true, notification, accessListChange: false, accessList: [] },
      ]),
    );
    const params = refParams(ref, name);
    if (params !== undefined) for (const [n] of params) ref.notification.set(n, notification);
    expect(got).toEqual(params === undefined ? { fault: 9005 } : { ok: undefined });
  },
});

const gpa = (name: string): Cmd => ({
  check: () => true,
  toString: () => `GPA ${name}`,
  run: async (ref, real) => {
    const got = await outcome(real.getParameterAttributes([name]), (l) =>
      sorted(l.map((a) => [a.name, a.notification])),
    );
    const params = refParams(ref, name);
    expect(got).toEqual(
      params === undefined
        ? { fault: 9005 }
        : { ok: sorted(params.map(([n]) => [n, ref.notification.get(n) ?? 0])) },
    );
  },
});

const addRule = fc.tuple(fc.constant(`${T}Rule.`), key).map(([t, k]) => addObject(t, k));

// Adding and deleting rules are listed more than once so that sequences reach the full table,
// delete the newest instance and add again (where reusing a number would show).
const commands = [
  fc
    .tuple(fc.array(spvItem, { minLength: 1, maxLength: 3 }), key)
    .map(([items, k]) => spv(items, k)),
  addRule,
  addRule,
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(`${T}Port.`, `${T}Int`, `${T}Nope.`, `${T}Rule`),
        instance.map((r) => `${T}Rule.${r}.Sub.`),
      ),
      key,
    )
    .map(([t, k]) => addObject(t, k)),
  fc
    .tuple(
      fc.oneof(
        instance.map((r) => `${T}Rule.${r}.`),
        fc.tuple(instance, instance).map(([r, s]) => `${T}Rule.${r}.Sub.${s}.`),
        fc.constantFrom(`${T}Rule.`, `${T}Port.1.`),
      ),
      key,
    )
    .map(([t, k]) => deleteObject(t, k)),
  fc.tuple(instance, key).map(([r, k]) => deleteObject(`${T}Rule.${r}.`, k)),
  names.map(gpv),
  fc.tuple(names, fc.boolean()).map(([p, n]) => gpn(p, n)),
  fc.tuple(names, fc.constantFrom(0 as const, 1 as const, 2 as const)).map(([n, v]) => spa(n, v)),
  names.map(gpa),
];

describe("data model against a reference model (§1.11, §1.12)", () => {
  it("§1.11 §1.12 random SPV/AddObject/DeleteObject/GPV/GPN/SPA/GPA sequences agree with the reference model", async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
        const { model } = await Effect.runPromise(makeTestDevice());
        await fc.asyncModelRun(() => ({ model: new Ref(), real: model }), cmds);
      }),
      { numRuns: 100 },
    );
  });
});
