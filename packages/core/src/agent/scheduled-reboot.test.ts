import { fc, it as prop } from "@fast-check/vitest";
import { Effect, Layer, Option, Ref, TestClock } from "effect";
import { describe, expect, it } from "vitest";
import { UNKNOWN_TIME } from "../cwmp/value.js";
import type { ParameterSchema } from "../datamodel/schema.js";
import { deviceFixtureWith } from "../datamodel/test-support/device-fixture.js";
import { makeMemoryStore, Store, type StoreService } from "../ports/store.js";
import type { CwmpMessage } from "../soap/messages.js";
import type { Agent } from "./agent.js";
import { EventCode } from "./event-codes.js";
import {
  delayRebootChange,
  delayRebootSeconds,
  NO_DELAY_REBOOT,
  scheduleRebootAt,
} from "./scheduled-reboot.js";
import { type ScriptedAcsLog, scriptedAcs } from "./test-support/scripted-acs.js";
import { settle } from "./test-support/settle.js";
import { stubDevicePorts } from "./test-support/stub-device-ports.js";
import { runInTestTime, testAgentLife } from "./test-support/test-agent-life.js";

const MS = "Device.ManagementServer.";
const DELAY = `${MS}DelayReboot`;
const SCHEDULE = `${MS}ScheduleReboot`;

const param = (path: string, type: ParameterSchema["type"]): ParameterSchema => ({
  path,
  type,
  access: "readWrite",
});

/** The fixture plus the two Device:2.10 parameters, without defaults (as in the TR-181 schema). */
const schema = deviceFixtureWith([param(DELAY, "int"), param(SCHEDULE, "dateTime")]);

const spv = (name: string, value: string, type: "int" | "dateTime"): CwmpMessage => ({
  _tag: "SetParameterValues",
  parameterList: [{ name, value, type }],
  parameterKey: "",
});

/** One agent life on `store` in virtual time; `body` sees the agent, the ACS log and the reboots. */
const life = <A>(
  store: StoreService,
  scripts: readonly (readonly CwmpMessage[])[],
  body: (agent: Agent, log: ScriptedAcsLog, reboots: Ref.Ref<number>) => Effect.Effect<A, unknown>,
) =>
  Effect.gen(function* () {
    const acs = scriptedAcs(scripts);
    const reboots = yield* Ref.make(0);
    const layer = Layer.mergeAll(
      Layer.succeed(Store, store),
      acs.layer,
      stubDevicePorts(Ref.update(reboots, (n) => n + 1)),
    );
    return yield* testAgentLife({ schema, layer, options: { random: () => 0.5 } }, (agent) =>
      body(agent, acs.log, reboots),
    );
  }).pipe(runInTestTime);

const read = (agent: Agent, name: string) =>
  Effect.map(agent.dataModel.getDeviceValues([name]), (l) => l[0]?.value);

describe("ScheduleReboot / DelayReboot values", () => {
  prop.prop([fc.integer({ min: -1_000_000, max: 1_000_000 })])(
    "§1.10 DelayReboot asks for a reboot exactly when it is an integer >= 0",
    (n) => {
      expect(Option.getOrUndefined(delayRebootSeconds(String(n)))).toBe(n >= 0 ? n : undefined);
    },
  );

  it("§1.10 DelayReboot: malformed or empty values ask for nothing", () => {
    for (const v of ["", " ", "1.5", "abc", "-1"])
      expect(Option.isNone(delayRebootSeconds(v))).toBe(true);
  });

  it("§1.10 ScheduleReboot: the Unknown Time, a past time and garbage mean no reboot; a future time is its epoch ms", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(Option.isNone(scheduleRebootAt(UNKNOWN_TIME, now))).toBe(true);
    expect(Option.isNone(scheduleRebootAt("2025-12-31T23:59:59Z", now))).toBe(true);
    expect(Option.isNone(scheduleRebootAt("2026-01-01T00:00:00Z", now))).toBe(true);
    expect(Option.isNone(scheduleRebootAt("tomorrow", now))).toBe(true);
    expect(scheduleRebootAt("2026-01-01T00:01:00Z", now)).toEqual(Option.some(now + 60_000));
  });

  it("§1.10 DelayReboot: a session that sets it arms a timer from its end, -1 cancels, the same value leaves the timer alone", () => {
    expect(delayRebootChange(Option.some("-1"), Option.some("5"), 1_000)).toBe(6_000);
    expect(delayRebootChange(Option.some("5"), Option.some("-1"), 1_000)).toBe("cancel");
    expect(delayRebootChange(Option.some("5"), Option.some("5"), 1_000)).toBe("unchanged");
    expect(delayRebootChange(Option.none(), Option.none(), 1_000)).toBe("unchanged");
  });
});

describe("agent ScheduleReboot / DelayReboot", () => {
  it("§1.10 DelayReboot 5: reboot 5 s after the session's end, DelayReboot saved as -1 first, next boot informs 1 BOOT without M Reboot", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await life(store, [[], [spv(DELAY, "5", "int")]], (agent, log, reboots) =>
      Effect.gen(function* () {
        yield* settle;
        // An unset DelayReboot reads 0 without a default: the start resets it, no reboot.
        expect(yield* read(agent, DELAY)).toBe(NO_DELAY_REBOOT);
        yield* agent.connectionRequest;
        yield* settle;
        expect(log.informs).toHaveLength(2);
        yield* TestClock.adjust("4999 millis");
        yield* settle;
        expect(yield* Ref.get(reboots)).toBe(0);
        yield* TestClock.adjust("1 millis");
        yield* settle;
        expect(yield* Ref.get(reboots)).toBe(1);
        expect(yield* agent.stopped).toBe("reboot");
        expect(yield* read(agent, DELAY)).toBe(NO_DELAY_REBOOT);
      }),
    );
    await life(store, [[]], (agent, log) =>
      Effect.gen(function* () {
        yield* settle;
        expect(log.informs[0]?.codes).toEqual([EventCode.Boot]);
        expect(yield* read(agent, DELAY)).toBe(NO_DELAY_REBOOT);
      }),
    );
  });

  it("§1.10 ScheduleReboot: reboot at that time, reset to the Unknown Time before rebooting", async () => {
    const store = Effect.runSync(makeMemoryStore());
    // TestClock starts at epoch 0.
    await life(
      store,
      [[spv(SCHEDULE, "1970-01-01T00:01:00Z", "dateTime")]],
      (agent, _log, reboots) =>
        Effect.gen(function* () {
          yield* settle;
          yield* TestClock.adjust("59 seconds");
          yield* settle;
          expect(yield* Ref.get(reboots)).toBe(0);
          yield* TestClock.adjust("1 seconds");
          yield* settle;
          expect(yield* Ref.get(reboots)).toBe(1);
          expect(yield* read(agent, SCHEDULE)).toBe(UNKNOWN_TIME);
        }),
    );
  });

  it("§1.10 no ScheduleReboot / DelayReboot set: no reboot in two hours of virtual time", async () => {
    const store = Effect.runSync(makeMemoryStore());
    await life(store, [[]], (_agent, _log, reboots) =>
      Effect.gen(function* () {
        yield* settle;
        yield* TestClock.adjust("2 hours");
        yield* settle;
        expect(yield* Ref.get(reboots)).toBe(0);
      }),
    );
  });
});
