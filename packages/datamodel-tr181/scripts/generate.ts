/**
 * Generates `src/generated/*.ts` from the BBF XML.
 *
 * Usage: `pnpm --filter @cpekit/datamodel-tr181 generate [--check] [outDir]`
 * - no arguments: writes into `src/generated`;
 * - `outDir`: writes there instead;
 * - `--check`: writes nothing, exits 1 when a committed module differs from a fresh one.
 * The BBF directory is `$CPEKIT_BBF_DIR`, else `<package>/bbf`.
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isGenerateError } from "./generate-error.js";
import { bbfDirectory, generateModules, packageDirectory } from "./generate-modules.js";

const readOrEmpty = (path: string): string => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
};

const main = (args: readonly string[]): number => {
  const check = args.includes("--check");
  const outArg = args.find((a) => !a.startsWith("--"));
  const outDir = outArg === undefined ? join(packageDirectory(), "src/generated") : resolve(outArg);
  const bbfDir = bbfDirectory();
  const started = performance.now();
  const modules = generateModules(bbfDir);
  let stale = 0;
  for (const m of modules) {
    const target = join(outDir, m.spec.outputFile);
    const r = m.report;
    console.log(
      `${m.spec.sourceFile} -> ${m.spec.outputFile}: ${r.objects} objects, ${r.parameters} parameters` +
        ` (dropped ${r.droppedObjects} objects, ${r.droppedParameters} parameters), ` +
        `${(Buffer.byteLength(m.text) / 1024).toFixed(0)} KiB`,
    );
    for (const w of r.warnings) console.log(`  warning: ${w}`);
    if (m.fallbackTypes.length > 0) {
      console.log(`  types from tr-106-types.xml: ${m.fallbackTypes.join(", ")}`);
    }
    if (check) {
      if (readOrEmpty(target) !== m.text) {
        console.error(`  stale: ${target}`);
        stale++;
      }
    } else {
      mkdirSync(outDir, { recursive: true });
      writeFileSync(target, m.text);
    }
  }
  console.log(`done in ${(performance.now() - started).toFixed(0)} ms`);
  return stale > 0 ? 1 : 0;
};

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!isGenerateError(error)) throw error;
  console.error(`generate: ${error.message}`);
  process.exitCode = 1;
}
