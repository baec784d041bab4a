/**
 * ScheduleInform: hands the agent a trigger for a `3 SCHEDULED` + `M ScheduleInform` session
 * DelaySeconds from now.
 * @module
 */
import { Effect } from "effect";
import { type CwmpFault, cwmpFault } from "../cwmp/fault.js";
import type { ScheduleInform } from "../soap/acs-methods.js";
import { rpcHandler } from "./rpc-handler.js";

/** Longest CommandKey the XSD allows. */
const MAX_COMMAND_KEY = 32;

/**
 * Checks a ScheduleInform's arguments, fault 9003 otherwise: DelaySeconds must be a positive
 * integer (Annex A requires it to be greater than zero [R]; the XSD only says unsignedInt) and
 * the CommandKey at most 32 characters (XSD). Shared by every ScheduleInform handler.
 */
export const checkScheduleInform = (request: ScheduleInform): Effect.Effect<void, CwmpFault> =>
  request.delaySeconds < 1 || !Number.isInteger(request.delaySeconds)
    ? Effect.fail(cwmpFault(9003, "DelaySeconds must be a positive integer"))
    : request.commandKey.length > MAX_COMMAND_KEY
      ? Effect.fail(cwmpFault(9003, `CommandKey is longer than ${MAX_COMMAND_KEY} characters`))
      : Effect.void;

/** Records the trigger once the arguments pass {@link checkScheduleInform}. */
export const scheduleInformHandler = rpcHandler("ScheduleInform", ({ request, afterSession }) =>
  Effect.zipRight(
    checkScheduleInform(request),
    Effect.sync(() => {
      afterSession.scheduleInform({
        delaySeconds: request.delaySeconds,
        commandKey: request.commandKey,
      });
      return { _tag: "ScheduleInformResponse" as const };
    }),
  ),
);
