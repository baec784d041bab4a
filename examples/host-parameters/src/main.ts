/**
 * `node dist/main.js <acs-url> [store.json]`: runs the agent until Ctrl-C.
 * @module
 */
import { Effect, Fiber } from "effect";
import { startHostAgent } from "./host-parameters-agent.js";

const [acsUrl, storePath = "./host-parameters-state.json"] = process.argv.slice(2);
if (acsUrl === undefined) {
  console.error("usage: node dist/main.js <acs-url> [store.json]");
  process.exit(2);
}
const program = Effect.scoped(
  Effect.flatMap(startHostAgent({ acsUrl, storePath }), (agent) => agent.stopped),
);
const fiber = Effect.runFork(program);
process.once("SIGINT", () => Effect.runFork(Fiber.interrupt(fiber)));
