/**
 * Scenarios of the §1.12 SetParameterValues rules, §1.11 (ParameterKey, AccessList) and the
 * §1.14 faults and fault shape they provoke.
 * @module
 */
import type { CwmpMessage, Fault } from "@cpekit/core";
import { Effect } from "effect";
import type { Scenario, ScenarioContext } from "../scenario.js";
import { check, describeMessage, fail, informValue, skip } from "../scenario-checks.js";
import { drive, driveFault, driveOne, exchangesOf, settled } from "../session-driver.js";
import { deviceInfo as di, managementServer as ms } from "./parameter-paths.js";

const spv = (
  list: readonly (readonly [string, string, string])[],
  parameterKey: string,
): CwmpMessage => ({
  _tag: "SetParameterValues",
  parameterList: list.map(([name, value, type]) => ({ name, value, type: type as "string" })),
  parameterKey,
});

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
    ids: ["§1.11-CanDeny", "§1.14-9009"],
    title:
      "active notification on UpTime (canDeny) refused with 9009 (skipped when the CPE accepts it)",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "UpTime");
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterAttributes",
            parameterList: [
              {
                name,
                notificationChange: true,
                notification: 2,
                accessListChange: false,
                accessList: [],
              },
            ],
          },
        ]);
        const a = answers[0];
        if (a?._tag === "SetParameterAttributesResponse")
          return yield* skip(
            "the CPE accepts active notification on UpTime (allowed: canDeny is a MAY)",
          );
        yield* check(
          a?._tag === "Fault" && a.detail?.faultCode === 9009,
          `SetParameterAttributes answered ${a ? describeMessage(a) : "nothing"}`,
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
