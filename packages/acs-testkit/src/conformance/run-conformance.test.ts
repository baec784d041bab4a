import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { buildReport, renderMarkdown, renderText, summaryLine } from "./conformance-report.js";
import { type DeviceUnderTest, DeviceUnderTestError } from "./device-under-test.js";
import {
  embeddedRequirementRows,
  type RequirementRow,
  requirementRows,
  requirementRowsFromDocument,
} from "./requirement-catalogue.js";
import { runConformance } from "./run-conformance.js";
import type { Scenario } from "./scenario.js";
import { check, skip } from "./scenario-checks.js";

/** A device that starts nothing; it counts starts and stops, and can refuse to start. */
const fakeDevice = (refuse = false) => {
  const log = { starts: 0, stops: 0, acsUrls: [] as string[] };
  const device: DeviceUnderTest = {
    name: "fake device",
    start: (o) =>
      refuse
        ? Effect.fail(new DeviceUnderTestError({ reason: "StartFailed", detail: "no power" }))
        : Effect.sync(() => {
            log.starts++;
            log.acsUrls.push(o.acsUrl);
            return {
              deviceId: "00CAFE-Fake-1",
              connectionRequestUrl: "http://127.0.0.1:9/cr",
              connectionRequestCredentials: { username: "u", password: "p" },
              root: "Device.",
              stop: Effect.sync(() => {
                log.stops++;
              }),
            };
          }),
  };
  return { device, log };
};

const scenarios: readonly Scenario[] = [
  {
    ids: ["V1"],
    title: "passes",
    run: (ctx) => check(ctx.acs.url.startsWith("http://127.0.0.1:"), "ACS not on loopback"),
  },
  { ids: ["V2"], title: "fails", run: () => check(false, "the device said no") },
  {
    ids: ["V3"],
    title: "hangs",
    timeoutMs: 200,
    run: () => Effect.never,
  },
  { ids: ["V4"], title: "skipped", run: () => skip("cannot drive it") },
  {
    ids: ["H1"],
    title: "waits for an Inform that never comes",
    timeoutMs: 2_000,
    run: (ctx) => Effect.asVoid(ctx.acs.nextInform({ timeoutMs: 100 })),
  },
  { ids: ["H2"], title: "dies", run: () => Effect.die(new Error("boom")) },
];

const rows: readonly RequirementRow[] = ["V1", "V2", "V3", "V4", "V5", "H1", "H2"].map((id) => ({
  id,
  section: id.startsWith("V") ? "1.1" : "1.2",
  title: `requirement ${id}`,
}));

const run = (device: DeviceUnderTest) =>
  Effect.runPromise(
    runConformance({
      device,
      scenarios,
      storePathFor: (i) => `/nonexistent/${i}.json`,
      concurrency: 3,
    }),
  );

describe("runConformance with a fake DeviceUnderTest", () => {
  it("turns pass, fail, timeout, skip, ACS timeout and defect into verdicts, stopping every device", async () => {
    const { device, log } = fakeDevice();
    const result = await run(device);
    const byTitle = Object.fromEntries(result.results.map((r) => [r.title, r]));
    expect(byTitle.passes?.verdict).toBe("pass");
    expect(byTitle.fails).toMatchObject({ verdict: "fail", reason: "the device said no" });
    expect(byTitle.hangs).toMatchObject({ verdict: "fail", reason: "timed out after 200 ms" });
    expect(byTitle.hangs?.durationMs).toBeLessThan(2_000);
    expect(byTitle.skipped).toMatchObject({ verdict: "skipped", reason: "cannot drive it" });
    expect(byTitle["waits for an Inform that never comes"]?.reason).toMatch(/^ACS: Timeout/);
    expect(byTitle.dies?.verdict).toBe("fail");
    expect(byTitle.dies?.reason).toMatch(/^defect: .*boom/);
    expect(log.starts).toBe(scenarios.length);
    expect(log.stops).toBe(scenarios.length);
    // One fresh ACS per scenario.
    expect(new Set(log.acsUrls).size).toBe(scenarios.length);
  });

  it("a device that does not start fails every scenario with the reason", async () => {
    const { device } = fakeDevice(true);
    const result = await run(device);
    expect(
      result.results.every((r) => r.verdict === "fail" && r.reason?.includes("no power")),
    ).toBe(true);
  });

  it("renders pass, FAIL and not covered rows in the text table and the Markdown", async () => {
    const { device } = fakeDevice();
    const report = buildReport(rows, await run(device));
    const status = Object.fromEntries(report.rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      V1: "pass",
      V2: "fail",
      V3: "fail",
      V4: "not covered",
      V5: "not covered",
      H1: "fail",
      H2: "fail",
    });
    expect(report.summary).toEqual({ rows: 7, covered: 5, passed: 1, failed: 4, notCovered: 2 });
    const text = renderText(report);
    expect(text).toMatch(/^V1\s+pass\s+passes$/m);
    expect(text).toMatch(/^V2\s+FAIL\s+fails: the device said no$/m);
    expect(text).toMatch(/^V4\s+not covered\s+skipped \(skipped: cannot drive it\)$/m);
    expect(text).toMatch(/^V5\s+not covered\s+requirement V5$/m);
    expect(text).toContain(summaryLine(report));
    const md = renderMarkdown(report, {
      command: "pnpm conformance",
      requirementsSource: "fixture",
    });
    expect(md).toContain(`- Date: ${report.run.finishedAt}`);
    expect(md).toContain("- Command: `pnpm conformance`");
    expect(md).toContain("| V3 | FAIL | hangs: timed out after 200 ms |");
    expect(md).toContain("| V5 | not covered | requirement V5 |");
    expect(md).toContain("## §1.2 HTTP session rules");
  });

  it("a result naming an ID that is not a row gets a row of its own", () => {
    const report = buildReport(rows, {
      device: "d",
      startedAt: "",
      finishedAt: "",
      results: [{ ids: ["Z9"], title: "typo", verdict: "pass", durationMs: 1 }],
    });
    expect(report.rows.at(-1)).toMatchObject({ id: "Z9", section: "other", status: "pass" });
  });
});

const documentPath = fileURLToPath(
  new URL("../../../../docs/cwmp-requirements.md", import.meta.url),
);

describe("requirement rows", () => {
  const fixture = [
    "### 1.1 Versions, namespaces, headers",
    "| # | Requirement | Tag / source |",
    "|---|---|---|",
    "| V1 | CWMP protocol versions 1.0..1.4. More text | [V] BIB |",
    "### 1.4 RPC methods",
    "| Method (ACS→CPE) | CPE | Arguments |",
    "| GetRPCMethods | **REQ** | () |",
    "| SetVouchers / GetOptions | OPT, **deprecated** | x |",
    "| Method (CPE→ACS) | CPE | Arguments |",
    "| GetRPCMethods | OPT | x |",
    "### 1.5 Inform events (EventCode)",
    "| Event | Delivered when |",
    "| 3 SCHEDULED (+M ScheduleInform) | x |",
    "| M Reboot | x |",
    "### 1.14 Fault codes",
    "CPE faults (range 9000–9799): 9000 Method not supported · 9001 Request denied · 9002",
    "Internal error · 9003 Invalid arguments.",
    "ACS faults: 8000 Method not supported.",
  ].join("\n");

  it("are read from the document's tables, method rows, event rows and fault list", () => {
    const ids = requirementRowsFromDocument(fixture).map((r) => r.id);
    expect(ids.slice(0, 9)).toEqual([
      "V1",
      "§1.4-GetRPCMethods",
      "§1.4-SetVouchers",
      "§1.4-GetOptions",
      "§1.4-CPE-GetRPCMethods",
      "§1.5-3-SCHEDULED",
      "§1.5-M-Reboot",
      "§1.5-SingleMultiple",
      "§1.5-ForcedInform",
    ]);
    expect(ids).toContain("§1.14-9002");
    expect(ids).toContain("§1.14-FaultShape");
    expect(ids).not.toContain("§1.14-8000");
    expect(requirementRowsFromDocument(fixture)[0]?.title).toBe("CWMP protocol versions 1.0..1.4");
  });

  it("fall back to the embedded list without the document", () => {
    expect(requirementRows(undefined)).toBe(embeddedRequirementRows);
    expect(requirementRows("no tables here")).toBe(embeddedRequirementRows);
  });

  // The document is kept in the repository (docs/), so this never skips.
  it("the embedded list has the same IDs as docs/cwmp-requirements.md", () => {
    const parsed = requirementRowsFromDocument(readFileSync(documentPath, "utf8")).map((r) => r.id);
    expect([...parsed].sort()).toEqual(embeddedRequirementRows.map((r) => r.id).sort());
  });
});
