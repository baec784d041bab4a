/**
 * Scenarios of §1.12 (addressing, GetParameterNames, instance numbers, SetParameterValues
 * rules), §1.11 (ParameterKey, attributes) and the §1.14 faults they provoke.
 * @module
 */
import type { CwmpMessage, Fault, ParameterInfoStruct } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail, informValue } from "../scenario-checks.js";
import { drive, driveFault, driveOne, exchangesOf, settled } from "../session-driver.js";

const ms = (ctx: ScenarioContext, name: string) => `${ctx.device.root}ManagementServer.${name}`;
const di = (ctx: ScenarioContext, name: string) => `${ctx.device.root}DeviceInfo.${name}`;

const gpn = (parameterPath: string, nextLevel: boolean): CwmpMessage => ({
  _tag: "GetParameterNames",
  parameterPath,
  nextLevel,
});

const spv = (
  list: readonly (readonly [string, string, string])[],
  parameterKey: string,
): CwmpMessage => ({
  _tag: "SetParameterValues",
  parameterList: list.map(([name, value, type]) => ({ name, value, type: type as "string" })),
  parameterKey,
});

const names = (list: readonly ParameterInfoStruct[]) => list.map((p) => p.name);

/** The SetParameterValuesFault codes of a fault, by parameter name. */
const spvFaults = (f: Fault): Map<string, number> =>
  new Map((f.detail?.setParameterValuesFaults ?? []).map((x) => [x.parameterName, x.faultCode]));

/** An SPV of one parameter must fail with 9003 and a per-parameter `code` for it. */
const spvRefused = (
  ctx: ScenarioContext,
  name: string,
  value: string,
  type: string,
  code: number,
) =>
  Effect.gen(function* () {
    const f = yield* driveFault(ctx, spv([[name, value, type]], "refused"), 9003);
    const got = spvFaults(f).get(name);
    yield* check(
      got === code,
      `SetParameterValuesFault for ${name}: ${got ?? "none"}, expected ${code}`,
    );
  });

/** The scenarios of this file. */
export const dataModelScenarios: readonly Scenario[] = [
  {
    ids: ["§1.12-GPN-FullName", "§1.14-9003"],
    title: "GPN of a parameter: NextLevel=false gives just it, NextLevel=true fault 9003",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "SerialNumber");
        const r = yield* driveOne(ctx, gpn(name, false), "GetParameterNamesResponse");
        yield* check(
          JSON.stringify(names(r.parameterList)) === JSON.stringify([name]),
          `got ${names(r.parameterList).join(", ")}`,
        );
        yield* driveFault(ctx, gpn(name, true), 9003);
      }),
  },
  {
    ids: ["§1.12-GPN-NextLevel"],
    title: "GPN partial path NextLevel=true: immediate children only, not the object itself",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const path = ms(ctx, "");
        const r = yield* driveOne(ctx, gpn(path, true), "GetParameterNamesResponse");
        const list = names(r.parameterList);
        yield* check(!list.includes(path), "the object itself is listed");
        const deep = list.filter((n) => {
          const rest = n.slice(path.length);
          return !n.startsWith(path) || rest === "" || rest.replace(/\.$/, "").includes(".");
        });
        yield* check(deep.length === 0, `not immediate children: ${deep.slice(0, 3).join(", ")}`);
        yield* check(list.includes(ms(ctx, "URL")), "ManagementServer.URL missing");
      }),
  },
  {
    ids: ["§1.12-GPN-Subtree"],
    title: "GPN partial path NextLevel=false: the object itself and everything below it",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const path = ms(ctx, "");
        const table = ms(ctx, "InformParameter.");
        const added = yield* driveOne(
          ctx,
          { _tag: "AddObject", objectName: table, parameterKey: "" },
          "AddObjectResponse",
        );
        const r = yield* driveOne(ctx, gpn(path, false), "GetParameterNamesResponse");
        const list = names(r.parameterList);
        yield* check(list.includes(path), "the object itself is not listed");
        yield* check(
          list.every((n) => n.startsWith(path)),
          "names outside the path",
        );
        const deep = `${table}${added.instanceNumber}.`;
        yield* check(list.includes(deep), `${deep} (two levels down) not listed`);
        yield* check(
          list.some((n) => n.startsWith(deep) && !n.endsWith(".")),
          `no parameter of ${deep}`,
        );
      }),
  },
  {
    ids: ["§1.12-GPN-Root"],
    title: "GPN empty path NextLevel=true: just the root object",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const r = yield* driveOne(ctx, gpn("", true), "GetParameterNamesResponse");
        yield* check(
          JSON.stringify(names(r.parameterList)) === JSON.stringify([ctx.device.root]),
          `got ${names(r.parameterList).slice(0, 5).join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.12-GPN-Writable"],
    title: "objects' Writable: a table true (AddObject), a fixed object false",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { answers } = yield* drive(ctx, [gpn(ms(ctx, ""), true), gpn(ctx.device.root, true)]);
        const a = answers[0];
        const b = answers[1];
        if (a?._tag !== "GetParameterNamesResponse" || b?._tag !== "GetParameterNamesResponse")
          return yield* fail("GPN failed");
        const table = a.parameterList.find((p) => p.name === ms(ctx, "InformParameter."));
        yield* check(
          table?.writable === true,
          `InformParameter. ${table ? `writable=${table.writable}` : "missing"}`,
        );
        const fixed = b.parameterList.find((p) => p.name === di(ctx, ""));
        yield* check(
          fixed?.writable === false,
          `DeviceInfo. ${fixed ? `writable=${fixed.writable}` : "missing"}`,
        );
      }),
  },
  {
    ids: ["§1.12-PartialPath", "§1.14-9005"],
    title: "GPV of '' gives the whole tree; an object name without '.' or an unknown name: 9005",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const r = yield* driveOne(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [""] },
          "GetParameterValuesResponse",
        );
        yield* check(r.parameterList.length > 10, `${r.parameterList.length} values for ''`);
        yield* check(
          r.parameterList.every((p) => p.name.startsWith(ctx.device.root)),
          "names outside the root",
        );
        yield* driveFault(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [di(ctx, "NoSuchParameter")] },
          9005,
        );
        yield* driveFault(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [`${ctx.device.root}DeviceInfo`] },
          9005,
        );
      }),
  },
  {
    ids: ["§1.12-AddObject-Instances"],
    title: "instance numbers >= 1, unique, not reused after DeleteObject, unchanged by a reboot",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const table = ms(ctx, "InformParameter.");
        const add: CwmpMessage = { _tag: "AddObject", objectName: table, parameterKey: "" };
        const first = yield* drive(ctx, [add, add]);
        const n = first.answers.map((a) =>
          a._tag === "AddObjectResponse" ? a.instanceNumber : -1,
        );
        const [a = -1, b = -1] = n;
        yield* check(a >= 1 && b >= 1 && a !== b, `instances ${n.join(", ")}`);
        yield* driveOne(
          ctx,
          { _tag: "DeleteObject", objectName: `${table}${b}.`, parameterKey: "" },
          "DeleteObjectResponse",
        );
        const c = yield* driveOne(ctx, add, "AddObjectResponse");
        yield* check(
          c.instanceNumber !== b && c.instanceNumber !== a,
          `instance ${c.instanceNumber} reused`,
        );
        if (ctx.device.restart === undefined) return;
        yield* ctx.device.restart;
        yield* settled(ctx);
        const r = yield* driveOne(ctx, gpn(table, true), "GetParameterNamesResponse");
        const expected = [`${table}${a}.`, `${table}${c.instanceNumber}.`].sort();
        const got = names(r.parameterList).sort();
        yield* check(
          JSON.stringify(got) === JSON.stringify(expected),
          `after reboot ${got.join(", ")}, expected ${expected.join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.12-SPV-Atomic", "§1.4-SetParameterValues"],
    title:
      "SPV with one bad parameter: fault 9003 with a SetParameterValuesFault (9005) and nothing applied",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const good = ms(ctx, "PeriodicInformInterval");
        const bad = di(ctx, "NoSuchParameter");
        const f = yield* driveFault(
          ctx,
          spv(
            [
              [good, "777", "unsignedInt"],
              [bad, "1", "string"],
            ],
            "atomic",
          ),
          9003,
        );
        const faults = spvFaults(f);
        yield* check(faults.get(bad) === 9005, `fault for ${bad}: ${faults.get(bad) ?? "none"}`);
        yield* check(!faults.has(good), `a fault for the good parameter (${faults.get(good)})`);
        const r = yield* driveOne(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [good] },
          "GetParameterValuesResponse",
        );
        yield* check(r.parameterList[0]?.value !== "777", "the good parameter was applied");
      }),
  },
  {
    ids: ["§1.12-SPV-Duplicate"],
    title: "SPV naming one parameter twice: fault 9003",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "PeriodicInformInterval");
        yield* driveFault(
          ctx,
          spv(
            [
              [name, "100", "unsignedInt"],
              [name, "200", "unsignedInt"],
            ],
            "dup",
          ),
          9003,
        );
      }),
  },
  {
    ids: ["§1.12-SPV-Lexical"],
    title: "SPV accepts boolean 0/false and a dateTime with fractional seconds",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const { answers } = yield* drive(ctx, [
          spv([[ms(ctx, "PeriodicInformEnable"), "0", "boolean"]], ""),
          spv([[ms(ctx, "PeriodicInformEnable"), "false", "boolean"]], ""),
          spv([[ms(ctx, "PeriodicInformTime"), "2026-01-01T00:00:00.123Z", "dateTime"]], ""),
        ]);
        for (const [i, a] of answers.entries())
          yield* check(
            a._tag === "SetParameterValuesResponse",
            `SPV #${i + 1} answered ${describeMessage(a)}`,
          );
      }),
  },
  {
    ids: ["§1.14-9008"],
    title: "SPV of a read-only parameter: 9003 with SetParameterValuesFault 9008",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* spvRefused(ctx, di(ctx, "SerialNumber"), "X", "string", 9008);
      }),
  },
  {
    ids: ["§1.14-9007"],
    title: "SPV of an unsignedInt with value 'abc': 9003 with SetParameterValuesFault 9007",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* spvRefused(ctx, ms(ctx, "PeriodicInformInterval"), "abc", "unsignedInt", 9007);
      }),
  },
  {
    ids: ["§1.14-9006"],
    title: "SPV of an unsignedInt sent as xsi:type boolean: 9003 with SetParameterValuesFault 9006",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* spvRefused(ctx, ms(ctx, "PeriodicInformInterval"), "true", "boolean", 9006);
      }),
  },
  {
    ids: ["§1.14-9000"],
    title: "an unknown method: fault 9000",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const element = {
          name: "cwmp:X_00CAFE_NoSuchMethod",
          namespace: "cwmp",
          localName: "X_00CAFE_NoSuchMethod",
          attributes: {},
          text: "",
          children: [],
        };
        yield* driveFault(
          ctx,
          { _tag: "VendorMessage", name: "X_00CAFE_NoSuchMethod", element },
          9000,
        );
      }),
  },
  {
    ids: ["§1.14-FaultShape"],
    title:
      "SOAP Fault: faultcode Client for 9005, faultstring 'CWMP fault', detail/cwmp:Fault with FaultCode",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const driven = yield* drive(ctx, [
          { _tag: "GetParameterValues", parameterNames: [di(ctx, "NoSuchParameter")] },
        ]);
        const entry = (yield* exchangesOf(ctx, driven.session)).find(
          (e) => e.request.message === "Fault",
        );
        if (entry === undefined)
          return yield* fail(`no Fault (answered ${driven.answers[0]?._tag})`);
        const xml = entry.request.body;
        yield* check(/<(\w+:)?faultcode>\s*(\w+:)?Client\s*</.test(xml), "faultcode is not Client");
        yield* check(
          /<(\w+:)?faultstring>\s*CWMP fault\s*</.test(xml),
          "faultstring is not 'CWMP fault'",
        );
        yield* check(
          /<(\w+:)?detail>[\s\S]*<(\w+:)?Fault[\s>][\s\S]*<FaultCode>\s*9005\s*</.test(xml),
          "no detail/cwmp:Fault/FaultCode 9005",
        );
      }),
  },
  {
    ids: ["§1.11-ParameterKey"],
    title: "ParameterKey follows successful SPV/AddObject/DeleteObject only, and is in the Inform",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const pk = ms(ctx, "ParameterKey");
        const table = ms(ctx, "InformParameter.");
        const read: CwmpMessage = { _tag: "GetParameterValues", parameterNames: [pk] };
        const value = (a: CwmpMessage | undefined) =>
          a?._tag === "GetParameterValuesResponse" ? a.parameterList[0]?.value : `(${a?._tag})`;
        const one = yield* drive(ctx, [
          spv([[ms(ctx, "PeriodicInformInterval"), "600", "unsignedInt"]], "k1"),
          read,
          spv([[di(ctx, "SerialNumber"), "X", "string"]], "k2"),
          read,
          { _tag: "AddObject", objectName: table, parameterKey: "k3" },
          read,
        ]);
        yield* check(value(one.answers[1]) === "k1", `after SPV: "${value(one.answers[1])}"`);
        yield* check(one.answers[2]?._tag === "Fault", "the read-only SPV succeeded (test setup)");
        yield* check(
          value(one.answers[3]) === "k1",
          `after a failed SPV: "${value(one.answers[3])}"`,
        );
        yield* check(value(one.answers[5]) === "k3", `after AddObject: "${value(one.answers[5])}"`);
        const added = one.answers[4];
        const n = added?._tag === "AddObjectResponse" ? added.instanceNumber : 0;
        const two = yield* drive(ctx, [
          { _tag: "DeleteObject", objectName: `${table}${n}.`, parameterKey: "k4" },
        ]);
        yield* check(
          informValue(two.inform, pk) === "k3",
          `Inform ParameterKey "${informValue(two.inform, pk)}"`,
        );
        const three = yield* drive(ctx, [read]);
        yield* check(
          value(three.answers[0]) === "k4",
          `after DeleteObject: "${value(three.answers[0])}"`,
        );
        yield* check(
          informValue(three.inform, pk) === "k4",
          `Inform ParameterKey "${informValue(three.inform, pk)}"`,
        );
      }),
  },
  {
    ids: ["§1.11-AccessList"],
    title: "SPA AccessList ['Subscriber'] is kept and read back by GPA",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "PeriodicInformInterval");
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterAttributes",
            parameterList: [
              {
                name,
                notificationChange: false,
                notification: 0,
                accessListChange: true,
                accessList: ["Subscriber"],
              },
            ],
          },
          { _tag: "GetParameterAttributes", parameterNames: [name] },
        ]);
        const a = answers[1];
        if (a?._tag !== "GetParameterAttributesResponse")
          return yield* fail(`GPA answered ${a?._tag}`);
        const list = a.parameterList[0]?.accessList ?? [];
        yield* check(
          JSON.stringify(list) === '["Subscriber"]',
          `AccessList ${JSON.stringify(list)}`,
        );
      }),
  },
];
