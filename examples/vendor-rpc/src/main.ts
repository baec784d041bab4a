/**
 * `node dist/main.js <acs-url> [store.json]`: runs the agent until Ctrl-C.
 * @module
 */
import { Effect, Fiber } from "effect";
import { startVendorRpcAgent } from "./vendor-rpc-agent.js";

const [acsUrl, storePath = "./vendor-rpc-state.json"] = process.argv.slice(2);
if (acsUrl === undefined) {
  console.error("usage: node dist/main.js <acs-url> [store.json]");
  process.exit(2);
}
const program = Effect.scoped(
  Effect.flatMap(startVendorRpcAgent({ acsUrl, storePath }), (agent) => agent.stopped),
);
const fiber = Effect.runFork(program);
process.once("SIGINT", () => Effect.runFork(Fiber.interrupt(fiber)));
