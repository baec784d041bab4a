/**
 * Scenarios of CWMP 1.4 addressing (§1.12): alias-based addressing (`[alias]` path segments,
 * AddObject with an alias, `cpe-<n>` aliases, Alias uniqueness, InstanceMode) and instance
 * wildcards beyond GPV (partial paths, SPA/GPA, SPV refused). Both are optional: a device whose
 * AliasBasedAddressing / InstanceWildcardsSupported is not true skips them.
 * @module
 */
import type { CwmpMessage, ParameterValueStruct } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail, skip } from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";
import { managementServer as ms } from "./parameter-paths.js";

const gpv = (...parameterNames: string[]): CwmpMessage => ({
  _tag: "GetParameterValues",
  parameterNames,
});

const spv = (name: string, value: string, type = "string"): CwmpMessage => ({
  _tag: "SetParameterValues",
  parameterList: [{ name, value, type } as ParameterValueStruct],
  parameterKey: "",
});

const gpn = (parameterPath: string, nextLevel: boolean): CwmpMessage => ({
  _tag: "GetParameterNames",
  parameterPath,
  nextLevel,
});

/** Skips unless the boolean parameter `leaf` of ManagementServer reads true. */
const requireFlag = (ctx: ScenarioContext, leaf: string) =>
  Effect.gen(function* () {
    const { answers } = yield* drive(ctx, [gpv(ms(ctx, leaf))]);
    const a = answers[0];
    const on =
      a?._tag === "GetParameterValuesResponse" &&
      /^(true|1)$/.test(a.parameterList[0]?.value ?? "");
    if (!on) return yield* skip(`${leaf} is false or absent (optional)`);
  });

/** The answer at `i`, which must be tagged `tag`. */
const answerOf = <T extends CwmpMessage["_tag"]>(
  answers: readonly CwmpMessage[],
  i: number,
  tag: T,
) => {
  const a = answers[i];
  return a?._tag === tag
    ? Effect.succeed(a as Extract<CwmpMessage, { _tag: T }>)
    : fail(`request ${i + 1} answered ${a ? describeMessage(a) : "nothing"}, expected ${tag}`);
};

/** `name=value` of each entry of a GPV answer. */
const pairs = (r: Extract<CwmpMessage, { _tag: "GetParameterValuesResponse" }>) =>
  r.parameterList.map((p) => `${p.name}=${p.value}`);

/** The SPV fault codes of a fault answer (`9003>9007` for one SetParameterValuesFault 9007). */
const spvFaultCodes = (a: CwmpMessage | undefined): string =>
  a?._tag !== "Fault"
    ? (a?._tag ?? "nothing")
    : [
        a.detail?.faultCode ?? a.faultcode,
        ...(a.detail?.setParameterValuesFaults ?? []).map((f) => f.faultCode),
      ].join(">");

/** The scenarios of this file. */
export const aliasScenarios: readonly Scenario[] = [
  {
    ids: ["§1.12-Alias"],
    title:
      "AliasBasedAddressing true: AddObject Table.[a]. sets that Alias, Table. gets cpe-<n>; [a] names it in GPV/SPV/DeleteObject; a taken alias is refused; InstanceAlias mode answers [a]",
    timeoutMs: 20_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* requireFlag(ctx, "AliasBasedAddressing");
        const table = ms(ctx, "InformParameter.");
        const target = ms(ctx, "PeriodicInformInterval");
        const first = yield* drive(ctx, [
          { _tag: "AddObject", objectName: `${table}[conf-a].`, parameterKey: "" },
          { _tag: "AddObject", objectName: table, parameterKey: "" },
          spv(`${table}[conf-a].ParameterName`, target),
          { _tag: "AddObject", objectName: `${table}[conf-a].`, parameterKey: "" },
        ]);
        const a = (yield* answerOf(first.answers, 0, "AddObjectResponse")).instanceNumber;
        const b = (yield* answerOf(first.answers, 1, "AddObjectResponse")).instanceNumber;
        yield* answerOf(first.answers, 2, "SetParameterValuesResponse");
        const dup = first.answers[3];
        yield* check(
          dup?._tag === "Fault" && [9003, 9007].includes(dup.detail?.faultCode ?? 0),
          `a second AddObject of [conf-a] answered ${dup ? describeMessage(dup) : "nothing"}, expected fault 9003 (alias taken)`,
        );

        const second = yield* drive(ctx, [
          gpv(`${table}${a}.Alias`, `${table}${a}.ParameterName`, `${table}${b}.Alias`),
          gpn(table, true),
          spv(`${table}${b}.Alias`, "conf-a"),
          spv(ms(ctx, "InstanceMode"), "InstanceAlias"),
          gpn(table, true),
          gpv(`${table}${a}.Alias`),
          spv(ms(ctx, "InstanceMode"), "InstanceNumber"),
        ]);
        const values = pairs(yield* answerOf(second.answers, 0, "GetParameterValuesResponse"));
        yield* check(
          values[0] === `${table}${a}.Alias=conf-a` &&
            values[1] === `${table}${a}.ParameterName=${target}`,
          `by number: ${values.slice(0, 2).join(", ")}`,
        );
        yield* check(
          (values[2] ?? "").startsWith(`${table}${b}.Alias=cpe-`),
          `an instance added without alias has ${values[2]}, expected a cpe- alias`,
        );
        const listed = (yield* answerOf(
          second.answers,
          1,
          "GetParameterNamesResponse",
        )).parameterList
          .map((p) => p.name)
          .sort();
        const twoAdded = [`${table}${a}.`, `${table}${b}.`].sort();
        yield* check(
          JSON.stringify(listed) === JSON.stringify(twoAdded),
          `the table lists ${listed.join(", ")} (not a third instance), expected ${twoAdded.join(", ")}`,
        );
        // Refused either way: as a duplicate (9007), or because the schema's Alias is
        // writeOnceReadOnly and instance b got its cpe- alias when it was added (9008).
        const duplicate = spvFaultCodes(second.answers[2]);
        yield* check(
          duplicate === "9003>9007" || duplicate === "9003>9008",
          `SPV giving instance ${b} the alias of ${a} answered ${duplicate}, expected 9003 with 9007 (or 9008 for a write-once Alias)`,
        );
        yield* answerOf(second.answers, 3, "SetParameterValuesResponse");
        const byAlias = (yield* answerOf(
          second.answers,
          4,
          "GetParameterNamesResponse",
        )).parameterList.map((p) => p.name);
        yield* check(
          byAlias.includes(`${table}[conf-a].`),
          `in InstanceAlias mode GPN lists ${byAlias.join(", ")}, expected ${table}[conf-a].`,
        );
        const aliased = pairs(yield* answerOf(second.answers, 5, "GetParameterValuesResponse"));
        yield* check(
          aliased[0] === `${table}[conf-a].Alias=conf-a`,
          `in InstanceAlias mode GPV answers ${aliased[0]}`,
        );

        const third = yield* drive(ctx, [
          { _tag: "DeleteObject", objectName: `${table}[conf-a].`, parameterKey: "" },
          gpn(table, true),
          gpv(`${table}[conf-a].Alias`),
        ]);
        yield* answerOf(third.answers, 0, "DeleteObjectResponse");
        const left = (yield* answerOf(third.answers, 1, "GetParameterNamesResponse")).parameterList
          .map((p) => p.name)
          .sort();
        yield* check(
          JSON.stringify(left) === JSON.stringify([`${table}${b}.`]),
          `after DeleteObject [conf-a] the table lists ${left.join(", ")}`,
        );
        const gone = third.answers[2];
        yield* check(
          gone?._tag === "Fault" && gone.detail?.faultCode === 9005,
          `GPV of the deleted [conf-a] answered ${gone ? describeMessage(gone) : "nothing"}, expected fault 9005`,
        );
      }),
  },
  {
    ids: ["§1.12-Wildcards"],
    title:
      "InstanceWildcardsSupported true: Table.*. in GPV and Table.*.Param in SPA/GPA reach every instance; SPV of Table.*.Param is refused (9005)",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* requireFlag(ctx, "InstanceWildcardsSupported");
        const table = ms(ctx, "InformParameter.");
        const add: CwmpMessage = { _tag: "AddObject", objectName: table, parameterKey: "" };
        const added = yield* drive(ctx, [add, add]);
        const n = [
          (yield* answerOf(added.answers, 0, "AddObjectResponse")).instanceNumber,
          (yield* answerOf(added.answers, 1, "AddObjectResponse")).instanceNumber,
        ];
        const { answers } = yield* drive(ctx, [
          gpv(`${table}*.`),
          {
            _tag: "SetParameterAttributes",
            parameterList: [
              {
                name: `${table}*.Enable`,
                notificationChange: true,
                notification: 1,
                accessListChange: false,
                accessList: [],
              },
            ],
          },
          { _tag: "GetParameterAttributes", parameterNames: [`${table}*.Enable`] },
          spv(`${table}*.Enable`, "false", "boolean"),
        ]);
        const all = (yield* answerOf(answers, 0, "GetParameterValuesResponse")).parameterList.map(
          (p) => p.name,
        );
        for (const i of n)
          yield* check(
            all.includes(`${table}${i}.Enable`),
            `GPV of ${table}*. lacks ${table}${i}.Enable`,
          );
        yield* check(
          all.every((name) => n.some((i) => name.startsWith(`${table}${i}.`))),
          `GPV of ${table}*. gave names outside its instances`,
        );
        yield* answerOf(answers, 1, "SetParameterAttributesResponse");
        const attributes = (yield* answerOf(
          answers,
          2,
          "GetParameterAttributesResponse",
        )).parameterList
          .map((p) => `${p.name}:${p.notification}`)
          .sort();
        const expected = n.map((i) => `${table}${i}.Enable:1`).sort();
        yield* check(
          JSON.stringify(attributes) === JSON.stringify(expected),
          `GPA after SPA of ${table}*.Enable: ${attributes.join(", ")}, expected ${expected.join(", ")}`,
        );
        const codes = spvFaultCodes(answers[3]);
        yield* check(
          codes === "9003>9005" || codes === "9005",
          `SPV of ${table}*.Enable answered ${codes}, expected fault 9005 (9003 with 9005)`,
        );
      }),
  },
];
