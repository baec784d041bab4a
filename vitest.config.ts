import { defineConfig } from "vitest/config";

// Workspace packages export their TypeScript sources under the "@cpekit/source"
// condition, so tests run against src/ without a build step.
const conditions = ["@cpekit/source", "module", "node", "development|production"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@cpekit/source"] } },
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});
