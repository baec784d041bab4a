/**
 * One heartbeat session (TR-069 Annex O, requirements section 1.10): an Inform carrying only
 * `14 HEARTBEAT`, nothing queued (the event is not durable: a heartbeat missed by a failure or
 * a reboot is not sent again, the next one follows the schedule), no CPE request of the
 * agent's own (TransferComplete and the like wait for a normal session). Requests the ACS
 * sends anyway are answered, and what they leave behind (a ScheduleInform, a Reboot's
 * CommandKey) is recorded as after any session.
 * @module
 */
import { Effect } from "effect";
import type { AcsTransport } from "../ports/acs-transport.js";
import type { AgentSessionResult } from "./agent.machine.js";
import {
  type AgentSessionDeps,
  applySessionOutput,
  newScheduledInformDueTimes,
  refreshTimingConfig,
  runAgentCwmpSession,
} from "./agent-session.js";
import { EventCode } from "./event-codes.js";
import type { InformBatch } from "./event-queue.js";

/** A heartbeat delivers nothing from the queue. */
const nothingQueued: InformBatch = { events: [], requests: [] };

const now = Effect.clockWith((c) => c.currentTimeMillis);

/** Runs one heartbeat session for the agent machine's `heartbeatSession` actor. Never fails. */
export const runHeartbeatSession = (
  deps: AgentSessionDeps,
): Effect.Effect<AgentSessionResult, never, AcsTransport> =>
  Effect.gen(function* () {
    const start = yield* now;
    const event = [{ eventCode: EventCode.Heartbeat, commandKey: "" }];
    // Forced-inform values and the InformParameter rows naming `14 HEARTBEAT`; pending
    // notifications are left for the next normal Inform, which reports them with their event.
    const parameterList = yield* Effect.orElseSucceed(
      deps.dataModel.informParameters([EventCode.Heartbeat]),
      () => [],
    );
    const output = yield* runAgentCwmpSession(deps, {
      event,
      start,
      retryCount: 0,
      parameterList,
      cpeRequests: [],
    });
    if (output.outcome !== "done")
      return {
        outcome: "failure",
        reason: output.reason ?? "heartbeat session failed",
      } satisfies AgentSessionResult;
    const end = yield* now;
    const before = yield* deps.queue.get;
    const applied = yield* Effect.either(
      deps.queue.update((s) => applySessionOutput(s, nothingQueued, output, end)),
    );
    if (applied._tag === "Left")
      return { outcome: "failure", reason: "Store: heartbeat outcome not saved" };
    const config = yield* refreshTimingConfig(deps);
    const { reboot, factoryReset } = output.afterSession;
    return {
      outcome: "success",
      afterSession: {
        ...(reboot === undefined ? {} : { reboot: { commandKey: reboot } }),
        ...(factoryReset === true ? { factoryReset } : {}),
      },
      wakeAt: newScheduledInformDueTimes(before, applied.right),
      config,
    } satisfies AgentSessionResult;
  });
