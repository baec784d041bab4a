/**
 * Scenarios of §1.10 Heartbeat (TR-069 Annex O): the heartbeat session's own schedule and its
 * Inform carrying only `14 HEARTBEAT`.
 * @module
 */
import { Effect } from "effect";
import type { Scenario } from "../scenario.js";
import {
  check,
  describeMessage,
  eventCodes,
  nextInform,
  sessionCompletes,
  skip,
} from "../scenario-checks.js";
import { drive, settled } from "../session-driver.js";
import { managementServer as ms } from "./parameter-paths.js";

/** The scenarios of this file. */
export const heartbeatScenarios: readonly Scenario[] = [
  {
    ids: ["§1.10-Heartbeat", "§1.5-14-HEARTBEAT"],
    title:
      "HeartbeatPolicy on (ReportingInterval 30 s, InitiationTime 3 s ahead): a session of its own at that instant whose Inform carries only 14 HEARTBEAT",
    timeoutMs: 15_000,
    run: (ctx) =>
      Effect.gen(function* () {
        yield* settled(ctx);
        // InitiationTime sets the phase: the first heartbeat is due at that very instant,
        // so the scenario need not wait the 30 s minimum interval.
        const at = Date.now() + 3_000;
        const hb = (n: string) => ms(ctx, `HeartbeatPolicy.${n}`);
        const { answers } = yield* drive(ctx, [
          {
            _tag: "SetParameterValues",
            parameterList: [
              { name: hb("ReportingInterval"), value: "30", type: "unsignedInt" },
              { name: hb("InitiationTime"), value: new Date(at).toISOString(), type: "dateTime" },
              { name: hb("Enable"), value: "true", type: "boolean" },
            ],
            parameterKey: "",
          },
        ]);
        const answer = answers[0];
        if (answer?._tag === "Fault" && answer.detail?.faultCode === 9005)
          return yield* skip("the device has no ManagementServer.HeartbeatPolicy");
        yield* check(
          answer?._tag === "SetParameterValuesResponse",
          `SPV of HeartbeatPolicy answered ${answer ? describeMessage(answer) : "nothing"}`,
        );
        const r = yield* nextInform(ctx, "the heartbeat Inform", 6_000);
        const codes = eventCodes(r.inform.event);
        yield* check(
          codes.length === 1 && codes[0] === "14 HEARTBEAT",
          `heartbeat Inform carried ${codes.join(", ")}`,
        );
        const off = Date.parse(r.receivedAt) - at;
        yield* check(off > -200 && off < 1_500, `heartbeat ${off} ms off InitiationTime`);
        yield* sessionCompletes(ctx);
      }),
  },
];
