import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

// The vitest configuration of mutation runs (scripts/mutation.mjs): the tests of one group only,
// named by `include` (Stryker's own `testFiles` option would leave mutants in module-level code
// unkillable), and a fixed fast-check seed so property tests keep their names.
const include: string[] = JSON.parse(process.env.CPEKIT_MUTATION_TESTS ?? "[]");
if (include.length === 0) throw new Error("CPEKIT_MUTATION_TESTS names no test files");

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include,
    setupFiles: ["scripts/mutation/fixed-seed.setup.ts"],
    reporters: ["default"],
    outputFile: undefined,
  },
});
