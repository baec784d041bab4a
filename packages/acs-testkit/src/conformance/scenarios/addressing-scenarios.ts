/**
 * Scenarios of §1.12 addressing: partial paths, the GetParameterNames NextLevel matrix,
 * objects' Writable, instance numbers and wildcards (with the faults they provoke).
 * @module
 */
import type { CwmpMessage, ParameterInfoStruct } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario } from "../scenario.js";
import { check, fail, skip } from "../scenario-checks.js";
import { drive, driveFault, driveOne, settled } from "../session-driver.js";
import { deviceInfo as di, managementServer as ms } from "./parameter-paths.js";

const gpn = (parameterPath: string, nextLevel: boolean): CwmpMessage => ({
  _tag: "GetParameterNames",
  parameterPath,
  nextLevel,
});

const names = (list: readonly ParameterInfoStruct[]) => list.map((p) => p.name);

/** The scenarios of this file. */
export const addressingScenarios: readonly Scenario[] = [
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
    ids: ["§1.12-Wildcards"],
    title:
      "with InstanceWildcardsSupported true, GPV of Table.*.Param returns it for every instance",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const flag = ms(ctx, "InstanceWildcardsSupported");
        const table = ms(ctx, "InformParameter.");
        const add: CwmpMessage = { _tag: "AddObject", objectName: table, parameterKey: "" };
        const { answers } = yield* drive(ctx, [
          { _tag: "GetParameterValues", parameterNames: [flag] },
          add,
          add,
        ]);
        const f = answers[0];
        const supported =
          f?._tag === "GetParameterValuesResponse" &&
          /^(true|1)$/.test(f.parameterList[0]?.value ?? "");
        if (!supported)
          return yield* skip("InstanceWildcardsSupported is false or absent (optional)");
        const n = answers
          .slice(1)
          .map((a) => (a._tag === "AddObjectResponse" ? a.instanceNumber : -1));
        const r = yield* driveOne(
          ctx,
          { _tag: "GetParameterValues", parameterNames: [`${table}*.Enable`] },
          "GetParameterValuesResponse",
        );
        const expected = n.map((i) => `${table}${i}.Enable`).sort();
        const got = r.parameterList.map((p) => p.name).sort();
        yield* check(
          JSON.stringify(got) === JSON.stringify(expected),
          `got ${got.join(", ")}, expected ${expected.join(", ")}`,
        );
      }),
  },
];
