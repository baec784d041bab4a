/**
 * ScheduleInform: hands the agent a trigger for a `3 SCHEDULED` + `M ScheduleInform` session
 * DelaySeconds from now.
 * @module
 */
import { Effect } from "effect";
import { cwmpFault } from "../cwmp/fault.js";
import { rpcHandler } from "./rpc-handler.js";

/**
 * Records the trigger. DelaySeconds 0 is refused with 9003: Annex A requires it to be greater
 * than zero [R] (the XSD only says unsignedInt).
 */
export const scheduleInformHandler = rpcHandler("ScheduleInform", ({ request, afterSession }) =>
  request.delaySeconds < 1 || !Number.isInteger(request.delaySeconds)
    ? Effect.fail(cwmpFault(9003, `DelaySeconds must be a positive integer`))
    : Effect.sync(() => {
        afterSession.scheduleInform({
          delaySeconds: request.delaySeconds,
          commandKey: request.commandKey,
        });
        return { _tag: "ScheduleInformResponse" as const };
      }),
);
