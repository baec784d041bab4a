import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript sources under the "@cpekit/source"
// condition, so tests run against src/ without a build step.
const conditions = ["@cpekit/source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@cpekit/source"] } },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "apps/*/src/**/*.test.ts",
      "examples/*/src/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // cpekit keeps no module-level mutable state, so test files can share one module graph per
    // worker; this cuts the suite's import time several-fold on 2 cores.
    isolate: false,
    // CI reads the pass/fail counts from vitest's JSON report.
    reporters: process.env.VITEST_JSON_REPORT ? ["default", "json"] : ["default"],
    outputFile: process.env.VITEST_JSON_REPORT
      ? { json: process.env.VITEST_JSON_REPORT }
      : undefined,
  },
});
