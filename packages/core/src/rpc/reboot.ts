/**
 * Reboot: answered at once, carried out by the agent after the session so the ACS's remaining
 * requests are still answered; the CommandKey comes back in the `M Reboot` event.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Records "reboot after session" with the CommandKey and answers RebootResponse. */
export const rebootHandler = rpcHandler("Reboot", ({ request, afterSession }) =>
  Effect.sync(() => {
    afterSession.reboot(request.commandKey);
    return { _tag: "RebootResponse" as const };
  }),
);
