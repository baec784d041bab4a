/**
 * Scenarios of §1.5 (Inform events and forced parameters), §1.10 (periodic Inform) and the
 * notification rules of §1.11 that end in an Inform.
 * @module
 */
import type { CwmpMessage } from "@cpekit/core";
import { Effect } from "effect";
import type { InformRecord } from "../../acs-session.js";
import type { Scenario, ScenarioContext } from "../scenario.js";
import {
  check,
  eventCodes,
  fail,
  hasEvent,
  informValue,
  nextInform,
  noInformWithin,
  skip,
} from "../scenario-checks.js";
import { drive, informExchange, settled, wake } from "../session-driver.js";
import { deviceInfo as di, managementServer as ms } from "./parameter-paths.js";

const valueChange = "4 VALUE CHANGE";

const spa = (name: string, notification: 0 | 1 | 2): CwmpMessage => ({
  _tag: "SetParameterAttributes",
  parameterList: [
    { name, notificationChange: true, notification, accessListChange: false, accessList: [] },
  ],
});

/** Changes `name` on the device side, skipping when the device cannot. */
const changeOnDevice = (ctx: ScenarioContext, name: string, value: string) =>
  Effect.gen(function* () {
    const change = ctx.device.changeValue;
    if (change === undefined || !(ctx.device.changeableParameters ?? []).includes(name))
      return yield* skip(`the device cannot change ${name} on its side`);
    yield* change(name, value);
  });

/** Numbered event codes that appear more than once in one Inform. */
const repeatedSingles = (r: InformRecord): string[] => {
  const singles = r.inform.event.map((e) => e.eventCode).filter((c) => /^\d/.test(c));
  return singles.filter((c, i) => singles.indexOf(c) !== i);
};

/** The forced-inform parameters of Device:2 (§1.5), relative to the root. */
const forcedInform = [
  "RootDataModelVersion",
  "DeviceInfo.HardwareVersion",
  "DeviceInfo.SoftwareVersion",
  "DeviceInfo.ProvisioningCode",
  "ManagementServer.ParameterKey",
  "ManagementServer.ConnectionRequestURL",
  "ManagementServer.AliasBasedAddressing",
];

/** The scenarios of this file. */
export const eventScenarios: readonly Scenario[] = [
  {
    ids: ["§1.5-0-BOOTSTRAP", "§1.5-1-BOOT"],
    title: "first contact: 0 BOOTSTRAP + 1 BOOT; after a power cycle 1 BOOT without 0 BOOTSTRAP",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const codes = eventCodes(inform.inform.event);
        yield* check(
          hasEvent(inform, "0 BOOTSTRAP") && hasEvent(inform, "1 BOOT"),
          `first Inform carried ${codes.join(", ")}`,
        );
        if (ctx.device.restart === undefined)
          return yield* skip("the device cannot be power-cycled");
        // The device records the delivery after the session's last answer: let it do so.
        yield* Effect.sleep("500 millis");
        yield* ctx.device.restart;
        const again = yield* nextInform(ctx, "after the power cycle", 8_000);
        const codes2 = eventCodes(again.inform.event);
        yield* check(
          hasEvent(again, "1 BOOT") && !hasEvent(again, "0 BOOTSTRAP"),
          `Inform after power cycle carried ${codes2.join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.5-0-BOOTSTRAP"],
    title: "a new ManagementServer.URL gives 0 BOOTSTRAP to the new ACS",
    timeoutMs: 12_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const moved = `${ctx.acs.url}?moved=1`;
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [{ name: ms(ctx, "URL"), value: moved, type: "string" }],
            parameterKey: "",
          },
        ]);
        yield* check(
          answers[0]?._tag === "SetParameterValuesResponse",
          `SPV of URL answered ${answers[0]?._tag}`,
        );
        const r = yield* Effect.either(
          ctx.acs.nextInform({ deviceId: ctx.device.deviceId, timeoutMs: 3_000 }),
        );
        const next =
          r._tag === "Right"
            ? r.right
            : yield* Effect.zipRight(wake(ctx), nextInform(ctx, "after the URL change"));
        yield* check(
          hasEvent(next, "0 BOOTSTRAP"),
          `Inform to the new URL carried ${eventCodes(next.inform.event).join(", ")}`,
        );
        const entry = yield* informExchange(ctx, next);
        yield* check(
          entry?.url.includes("moved=1") === true,
          `posted to ${entry?.url}, not the new URL`,
        );
      }),
  },
  {
    ids: ["§1.5-2-PERIODIC", "§1.10-Periodic"],
    title:
      "PeriodicInformInterval 2 s with PeriodicInformTime phase .5 s: 2 PERIODIC Informs on that phase",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        // Phase: whole seconds + 0.5, odd seconds (the time is in the past: only the phase counts).
        yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [
              { name: ms(ctx, "PeriodicInformInterval"), value: "2", type: "unsignedInt" },
              {
                name: ms(ctx, "PeriodicInformTime"),
                value: "2020-01-01T00:00:01.5Z",
                type: "dateTime",
              },
              { name: ms(ctx, "PeriodicInformEnable"), value: "true", type: "boolean" },
            ],
            parameterKey: "",
          },
        ]);
        const a = yield* nextInform(ctx, "the first periodic Inform", 4_000);
        const b = yield* nextInform(ctx, "the second periodic Inform", 4_000);
        for (const r of [a, b]) {
          yield* check(
            hasEvent(r, "2 PERIODIC"),
            `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
          );
          const phase = (Date.parse(r.receivedAt) - 1_500) % 2_000;
          yield* check(phase < 600, `Inform at ${r.receivedAt}: ${phase} ms off the phase`);
        }
        const gap = Date.parse(b.receivedAt) - Date.parse(a.receivedAt);
        yield* check(gap > 1_500 && gap < 2_600, `${gap} ms between periodic Informs`);
      }),
  },
  {
    ids: ["§1.11-Notification-Active", "§1.5-4-VALUE-CHANGE"],
    title:
      "Notification 2: a device-side change starts a session with 4 VALUE CHANGE and the new value",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "Description");
        yield* drive(ctx, [spa(name, 2)]);
        yield* changeOnDevice(ctx, name, "changed on the device");
        const r = yield* nextInform(ctx, "the active notification", 4_000);
        yield* check(
          hasEvent(r, valueChange),
          `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
        );
        yield* check(
          informValue(r, name) === "changed on the device",
          `Inform value "${informValue(r, name)}"`,
        );
      }),
  },
  {
    ids: ["§1.11-Notification-Passive"],
    title:
      "Notification 1: no session of its own; the new value rides the next Inform (with 4 VALUE CHANGE)",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "Description");
        yield* drive(ctx, [spa(name, 1)]);
        yield* changeOnDevice(ctx, name, "passive change");
        yield* noInformWithin(ctx, 1_500, "a passive change started a session");
        yield* wake(ctx);
        const r = yield* nextInform(ctx, "after the Connection Request");
        yield* check(
          informValue(r, name) === "passive change",
          `Inform value "${informValue(r, name)}"`,
        );
        // §1.5: changed parameters with notification 1 or 2 ride the Inform with 4 VALUE CHANGE.
        yield* check(
          hasEvent(r, valueChange),
          `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.10-Throttle"],
    title:
      "DefaultActiveNotificationThrottle 2: the active-notification session waits 2 s after the last session",
    timeoutMs: 12_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "Description");
        const { session } = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [
              {
                name: ms(ctx, "DefaultActiveNotificationThrottle"),
                value: "2",
                type: "unsignedInt",
              },
            ],
            parameterKey: "",
          },
          spa(name, 2),
        ]);
        yield* changeOnDevice(ctx, name, "throttled change");
        const r = yield* nextInform(ctx, "the throttled active notification", 5_000);
        yield* check(
          hasEvent(r, valueChange),
          `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
        );
        const wait = Date.parse(r.receivedAt) - Date.parse(session.endedAt);
        yield* check(
          wait >= 1_800,
          `the notification came ${wait} ms after the last session ended`,
        );
      }),
  },
  {
    ids: ["§1.11-ForceEnabled"],
    title:
      "SoftwareVersion (forceEnabled) notifies actively without SPA, and stays at 2 after SPA 0",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = di(ctx, "SoftwareVersion");
        const { answers } = yield* drive(ctx, [
          spa(name, 0),
          { _tag: "GetParameterAttributes", parameterNames: [name] },
        ]);
        const gpa = answers[1];
        if (gpa?._tag !== "GetParameterAttributesResponse")
          return yield* fail(`GPA answered ${gpa?._tag}`);
        yield* check(
          gpa.parameterList[0]?.notification === 2,
          `Notification ${gpa.parameterList[0]?.notification} after SPA 0`,
        );
        yield* changeOnDevice(ctx, name, "9.9.9");
        const r = yield* nextInform(ctx, "the forced active notification", 4_000);
        yield* check(
          hasEvent(r, valueChange),
          `Inform carried ${eventCodes(r.inform.event).join(", ")}`,
        );
        yield* check(informValue(r, name) === "9.9.9", `Inform value "${informValue(r, name)}"`);
      }),
  },
  {
    ids: ["§1.11-AcsChangeNoNotify"],
    title: "a value set by the ACS (notification 2) does not notify [R, A.3.2.4]",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const name = ms(ctx, "PeriodicInformInterval");
        yield* drive(ctx, [
          spa(name, 2),
          {
            _tag: "SetParameterValues",
            parameterList: [{ name, value: "4321", type: "unsignedInt" }],
            parameterKey: "",
          },
        ]);
        yield* noInformWithin(ctx, 1_500, "the ACS's own change started a session");
        yield* wake(ctx);
        const r = yield* nextInform(ctx, "after the Connection Request");
        yield* check(
          !hasEvent(r, valueChange),
          "the ACS's own change was announced with 4 VALUE CHANGE",
        );
      }),
  },
  {
    ids: ["§1.5-SingleMultiple"],
    title: "two ScheduleInforms: 3 SCHEDULED once per Inform, one M ScheduleInform per CommandKey",
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        yield* drive(ctx, [
          { _tag: "ScheduleInform", delaySeconds: 1, commandKey: "a" },
          { _tag: "ScheduleInform", delaySeconds: 1, commandKey: "b" },
        ]);
        const seen: InformRecord[] = [yield* nextInform(ctx, "the scheduled Inform", 4_000)];
        const codes = () => seen.flatMap((r) => eventCodes(r.inform.event));
        if (!(codes().includes("M ScheduleInform|a") && codes().includes("M ScheduleInform|b")))
          seen.push(yield* nextInform(ctx, "the second scheduled Inform", 3_000));
        for (const r of seen)
          yield* check(
            repeatedSingles(r).length === 0,
            `repeated ${repeatedSingles(r).join(", ")}`,
          );
        const m = codes().filter((c) => c.startsWith("M ScheduleInform"));
        yield* check(
          m.sort().join() === "M ScheduleInform|a,M ScheduleInform|b",
          `M events ${m.join(", ")}`,
        );
      }),
  },
  {
    ids: ["§1.5-MaxEvents"],
    title:
      "70 ScheduleInforms: no Inform carries more than 64 events, every CommandKey is delivered",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        const keys = Array.from({ length: 70 }, (_, i) => `k${i}`);
        yield* drive(
          ctx,
          keys.map(
            (commandKey): CwmpMessage => ({ _tag: "ScheduleInform", delaySeconds: 1, commandKey }),
          ),
          10_000,
        );
        const delivered = new Set<string>();
        while (delivered.size < keys.length) {
          const r = yield* nextInform(
            ctx,
            `${keys.length - delivered.size} CommandKeys not delivered`,
            4_000,
          );
          yield* check(
            r.inform.event.length <= 64,
            `an Inform carried ${r.inform.event.length} events`,
          );
          for (const e of r.inform.event)
            if (e.eventCode === "M ScheduleInform") delivered.add(e.commandKey);
        }
      }),
  },
  {
    ids: ["§1.5-ForcedInform"],
    title: "every forced-inform parameter the device has is in its Informs",
    run: (ctx) =>
      Effect.gen(function* () {
        const { inform } = yield* settled(ctx);
        const names = forcedInform.map((n) => `${ctx.device.root}${n}`);
        const { answers, inform: second } = yield* drive(
          ctx,
          names.map((n): CwmpMessage => ({ _tag: "GetParameterValues", parameterNames: [n] })),
        );
        const present = names.filter((_, i) => answers[i]?._tag === "GetParameterValuesResponse");
        yield* check(present.length >= 5, `only ${present.length} forced parameters exist`);
        for (const r of [inform, second]) {
          const missing = present.filter((n) => informValue(r, n) === undefined);
          yield* check(
            missing.length === 0,
            `Inform ${eventCodes(r.inform.event).join(", ")} lacks ${missing.join(", ")}`,
          );
        }
      }),
  },
];
