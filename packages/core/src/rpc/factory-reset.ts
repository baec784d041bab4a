/**
 * FactoryReset: answered at once, carried out by the agent after the session.
 * @module
 */
import { Effect } from "effect";
import { rpcHandler } from "./rpc-handler.js";

/** Records "factory reset after session" and answers FactoryResetResponse. */
export const factoryResetHandler = rpcHandler("FactoryReset", ({ afterSession }) =>
  Effect.sync(() => {
    afterSession.factoryReset();
    return { _tag: "FactoryResetResponse" as const };
  }),
);
