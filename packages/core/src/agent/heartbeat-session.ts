/**
 * One heartbeat session (TR-069 Annex O, requirements section 1.10): an Inform carrying only
 * `14 HEARTBEAT`, nothing queued (the event is not durable: a heartbeat missed by a failure or
 * a reboot is not sent again, the next one follows the schedule), no CPE request of the
 * agent's own (TransferComplete and the like wait for a normal session). Requests the ACS
 * sends anyway are answered, and what they leave behind (a ScheduleInform, a Reboot's
 * CommandKey) is recorded as after any session.
 * @module
 */
import { Effect, Ref } from "effect";
import type { AcsTransport } from "../ports/acs-transport.js";
import { runSession } from "../session/run-session.js";
import type { AgentSessionResult } from "./agent.machine.js";
import { type AgentSessionDeps, applySessionOutput } from "./agent-session.js";
import { cwmpDateTime } from "./cwmp-date-time.js";
import { EventCode } from "./event-codes.js";
import type { InformBatch } from "./event-queue.js";
import { readTimingConfig } from "./management-server-config.js";

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
    const cr = deps.connectionRequests;
    if (cr) yield* cr.setSessionActive(true);
    const output = yield* Effect.ensuring(
      runSession({
        endpoint: yield* Ref.get(deps.endpoint),
        input: {
          inform: {
            deviceId: deps.deviceId,
            event,
            currentTime: cwmpDateTime(start),
            retryCount: 0,
            parameterList,
          },
          cpeRequests: [],
          version: deps.version,
          ...(deps.sessionTimeout === undefined ? {} : { sessionTimeout: deps.sessionTimeout }),
        },
        registry: deps.registry,
        dataModel: deps.dataModel,
        ...(deps.deviceActions === undefined ? {} : { deviceActions: deps.deviceActions }),
        codec: deps.codec,
        ...(deps.clock === undefined ? {} : { clock: deps.clock as never }),
      }),
      cr ? cr.setSessionActive(false) : Effect.void,
    );
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
    const config = yield* readTimingConfig(
      deps.dataModel,
      deps.managementServerPrefix,
      yield* Ref.get(deps.timing),
    );
    yield* Ref.set(deps.timing, config);
    const known = new Set(before.scheduledInforms.map((x) => `${x.dueAt}|${x.commandKey}`));
    const { reboot, factoryReset } = output.afterSession;
    return {
      outcome: "success",
      afterSession: {
        ...(reboot === undefined ? {} : { reboot: { commandKey: reboot } }),
        ...(factoryReset === true ? { factoryReset } : {}),
      },
      wakeAt: applied.right.scheduledInforms
        .filter((x) => !known.has(`${x.dueAt}|${x.commandKey}`))
        .map((x) => x.dueAt),
      config,
    } satisfies AgentSessionResult;
  });
