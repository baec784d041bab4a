import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpeRequestScenarios, rpcScenarios, runConformance } from "@cpekit/acs-testkit";
import { Effect } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpekitDevice } from "./cpekit-device.js";

let stores = "";
beforeAll(async () => {
  stores = await mkdtemp(join(tmpdir(), "cpekit-cpe-requests-"));
});
afterAll(async () => {
  await rm(stores, { recursive: true, force: true });
});

const run = (device: typeof cpekitDevice, scenarios: typeof cpeRequestScenarios) =>
  Effect.runPromise(
    runConformance({
      device,
      scenarios,
      concurrency: 2,
      storePathFor: (i, s, suffix) =>
        join(
          stores,
          `${device === cpekitDevice ? "dut" : "bare"}-${s.ids[0]?.replace(/\W/g, "_")}-${i}${suffix}.json`,
        ),
    }),
  );

describe("the CPE-initiated RPC scenarios against the cpekit agent (requestFromCpe through agent.cpeRequests)", () => {
  it("§1.4-CPE-Kicked §1.4-CPE-RequestDownload §1.4-CPE-AutonomousTransferComplete §1.4-CPE-GetRPCMethods §1.5-5-KICKED §1.5-9-REQUEST-DOWNLOAD §1.5-10-AUTONOMOUS-TRANSFER-COMPLETE §1.13-Autonomous §1.4-SetVouchers §1.4-GetOptions pass", async () => {
    const optional = rpcScenarios.filter((s) =>
      s.ids.some((id) => id === "§1.4-SetVouchers" || id === "§1.4-GetOptions"),
    );
    expect(optional).toHaveLength(2);
    const result = await run(cpekitDevice, [...cpeRequestScenarios, ...optional]);
    const notPassed = result.results
      .filter((r) => r.verdict !== "pass")
      .map((r) => `${r.ids.join(",")}: ${r.verdict} ${r.reason ?? ""}`);
    expect(notPassed, notPassed.join("\n")).toEqual([]);
    expect(result.results.flatMap((r) => r.ids).sort()).toEqual(
      [
        "§1.13-Autonomous",
        "§1.4-CPE-AutonomousTransferComplete",
        "§1.4-CPE-GetRPCMethods",
        "§1.4-CPE-Kicked",
        "§1.4-CPE-RequestDownload",
        "§1.4-GetOptions",
        "§1.4-SetVouchers",
        "§1.5-10-AUTONOMOUS-TRANSFER-COMPLETE",
        "§1.5-5-KICKED",
        "§1.5-9-REQUEST-DOWNLOAD",
      ].sort(),
    );
  }, 120_000);

  it("a device that cannot be asked for CPE requests is skipped, with the reason, not passed", async () => {
    const bare: typeof cpekitDevice = {
      name: "cpekit agent without requestFromCpe",
      start: (options) =>
        Effect.map(
          cpekitDevice.start(options),
          ({ requestFromCpe: _omitted, ...device }) => device,
        ),
    };
    const result = await run(
      bare,
      cpeRequestScenarios.filter((s) => s.ids.includes("§1.4-CPE-GetRPCMethods")),
    );
    expect(result.results.map((r) => [r.verdict, r.reason])).toEqual([
      ["skipped", "the device cannot be asked for CPE requests (no requestFromCpe)"],
    ]);
  }, 60_000);
});
