/**
 * The agent's Reboot handler: like the built-in one, but the CommandKey is saved in the event
 * queue before RebootResponse is sent (write-ahead, as for ScheduleInform), so a crash between
 * the answer and the session's end still reports `M Reboot` at the next boot (§1.5). The reboot
 * itself still waits for the session's end (recorded for after the session).
 * @module
 */
import { Effect } from "effect";
import { cwmpFault } from "../cwmp/fault.js";
import { rebootHandler } from "../rpc/reboot.js";
import { type RpcHandler, rpcHandler } from "../rpc/rpc-handler.js";
import { recordReboot } from "./event-queue.js";
import type { PersistentEventQueue } from "./event-queue-store.js";

/**
 * Reboot over `queue`: saves the CommandKey (a store failure answers 9002 and nothing is
 * recorded, so the device does not reboot), then answers as the built-in handler does.
 */
export const makeRebootHandler = (queue: PersistentEventQueue): RpcHandler =>
  rpcHandler("Reboot", (context) =>
    Effect.zipRight(
      Effect.mapError(
        queue.update((q) => recordReboot(q, context.request.commandKey)),
        (e) => cwmpFault(9002, `cannot save the Reboot CommandKey: ${e.message}`),
      ),
      rebootHandler(context),
    ),
  );
