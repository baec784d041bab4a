import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConformance, standardScenarios } from "@cpekit/acs-testkit";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetDevice } from "./fleet-device.js";

let stores = "";
beforeAll(async () => {
  stores = await mkdtemp(join(tmpdir(), "cpekit-fleet-conformance-"));
});
afterAll(async () => {
  await rm(stores, { recursive: true, force: true });
});

describe("the conformance suite against a device inside a fleet", () => {
  it("every scenario of the suite passes (those of optional features it lacks skipped, with the reason) for device 1 of a three-device fleet sharing one connection-request port, as for `cpekit run`", async () => {
    const run = await Effect.runPromise(
      runConformance({
        device: fleetDevice,
        scenarios: standardScenarios,
        // Two scenarios at a time (each runs a three-device fleet): at four, a loaded 2-core
        // machine ran some of them past their time bounds.
        concurrency: 2,
        storePathFor: (i, _s, suffix) => join(stores, `scenario-${i}${suffix}.json`),
      }),
    );
    const failed = run.results
      .filter((r) => r.verdict === "fail")
      .map((r) => `${r.ids.join(",")}: ${r.reason ?? ""}`);
    expect(failed, failed.join("\n")).toEqual([]);
    // A scenario is skipped only where the device lacks an optional feature (it says which),
    // as for `cpekit run`'s device; every other scenario passes.
    const skipped = run.results.filter((r) => r.verdict === "skipped");
    expect(skipped.filter((r) => (r.reason ?? "") === "")).toEqual([]);
    expect(run.results.filter((r) => r.verdict === "pass").length).toBe(
      standardScenarios.length - skipped.length,
    );
  }, 300_000);
});
