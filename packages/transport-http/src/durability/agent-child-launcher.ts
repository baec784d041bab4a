/**
 * Starts the bundled agent child (`agent-child.cjs`, beside this file once bundled) from the
 * V8 code cache written with it by `bundleAgentChild`. Why: compiling the bundle is a third of
 * the child's start-up, and the durability test starts it after every kill. A cache that does
 * not fit this Node falls back to compiling (V8 rejects it; nothing else changes).
 *
 * Hand-written rather than `v8-compile-cache`: that package writes its cache when the process
 * exits, which a SIGKILLed child never does.
 * @module
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";

/** The CommonJS module function of a wrapped script. */
type ModuleFunction = (
  exports: unknown,
  require: NodeJS.Require,
  module: { exports: unknown },
  filename: string,
  dirname: string,
) => void;

const here = dirname(process.argv[1] ?? ".");
const bundle = join(here, "agent-child.cjs");
const cachedData = (() => {
  try {
    return readFileSync(`${bundle}.v8cache`);
  } catch {
    return undefined;
  }
})();
const script = new Script(Module.wrap(readFileSync(bundle, "utf8")), {
  filename: bundle,
  ...(cachedData === undefined ? {} : { cachedData }),
});
const run = script.runInThisContext() as ModuleFunction;
const loaded = { exports: {} };
run.call(loaded.exports, loaded.exports, createRequire(bundle), loaded, bundle, here);
