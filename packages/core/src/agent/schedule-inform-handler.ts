/**
 * The agent's ScheduleInform handler: like the built-in one, but the ScheduleInform is saved in
 * the event queue before ScheduleInformResponse is sent (write-ahead), so a crash later in the
 * session cannot lose it; it survives reboots until its `3 SCHEDULED` + `M ScheduleInform`
 * Inform is delivered (§1.5).
 * @module
 */
import { Effect } from "effect";
import { cwmpFault } from "../cwmp/fault.js";
import { type RpcHandler, rpcHandler } from "../rpc/rpc-handler.js";
import { checkScheduleInform } from "../rpc/schedule-inform.js";
import { addScheduledInform } from "./event-queue.js";
import type { PersistentEventQueue } from "./event-queue-store.js";
import { scheduleInformDueAt } from "./periodic-schedule.js";

/**
 * ScheduleInform over `queue`. Arguments are checked as by the built-in handler
 * (`checkScheduleInform`: 9003); a store failure answers 9002.
 */
export const makeScheduleInformHandler = (queue: PersistentEventQueue): RpcHandler =>
  rpcHandler("ScheduleInform", ({ request }) =>
    Effect.zipRight(
      checkScheduleInform(request),
      Effect.flatMap(
        Effect.clockWith((c) => c.currentTimeMillis),
        (now) =>
          Effect.as(
            Effect.mapError(
              queue.update((q) =>
                addScheduledInform(q, {
                  commandKey: request.commandKey,
                  dueAt: scheduleInformDueAt(now, request.delaySeconds),
                }),
              ),
              (e) => cwmpFault(9002, `cannot save the ScheduleInform: ${e.message}`),
            ),
            { _tag: "ScheduleInformResponse" as const },
          ),
      ),
    ),
  );
