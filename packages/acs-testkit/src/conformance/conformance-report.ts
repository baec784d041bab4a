/**
 * The conformance report: the requirement rows with what each scenario found, as a terminal
 * table and as the Markdown of `docs/CONFORMANCE.md`. A row passes only when every scenario
 * naming it passed; a row no scenario checked (or whose only scenarios were skipped) stays
 * visible as "not covered": it is the to-do list.
 * @module
 */
import type { RequirementRow } from "./requirement-catalogue.js";
import { sectionTitles } from "./requirement-catalogue.js";
import type { ConformanceRun, ScenarioResult } from "./run-conformance.js";

/** The status of a requirement row. */
export type RowStatus = "pass" | "fail" | "not covered";

/** One requirement row with the scenarios that named it. */
export interface ReportRow extends RequirementRow {
  readonly status: RowStatus;
  readonly checks: readonly ScenarioResult[];
}

/** The report of one run. */
export interface ConformanceReport {
  readonly run: ConformanceRun;
  readonly rows: readonly ReportRow[];
  readonly summary: {
    readonly rows: number;
    readonly covered: number;
    readonly passed: number;
    readonly failed: number;
    readonly notCovered: number;
  };
}

const statusOf = (checks: readonly ScenarioResult[]): RowStatus => {
  const ran = checks.filter((c) => c.verdict !== "skipped");
  if (ran.length === 0) return "not covered";
  return ran.every((c) => c.verdict === "pass") ? "pass" : "fail";
};

/**
 * Joins the requirement rows and the run. Results naming an ID that is not a row (the
 * document dropped it, or a scenario has a typo) get a row of their own at the end, so no
 * result is silently lost.
 */
export const buildReport = (
  requirements: readonly RequirementRow[],
  run: ConformanceRun,
): ConformanceReport => {
  const byId = new Map<string, ScenarioResult[]>();
  for (const r of run.results) for (const id of r.ids) byId.set(id, [...(byId.get(id) ?? []), r]);
  const known = new Set(requirements.map((r) => r.id));
  const extra: RequirementRow[] = [...byId.keys()]
    .filter((id) => !known.has(id))
    .map((id) => ({ id, section: "other", title: "(not in the requirements document)" }));
  const rows = [...requirements, ...extra].map((r): ReportRow => {
    const checks = byId.get(r.id) ?? [];
    return { ...r, status: statusOf(checks), checks };
  });
  const passed = rows.filter((r) => r.status === "pass").length;
  const failed = rows.filter((r) => r.status === "fail").length;
  return {
    run,
    rows,
    summary: {
      rows: rows.length,
      covered: passed + failed,
      passed,
      failed,
      notCovered: rows.length - passed - failed,
    },
  };
};

/** The text of one check: its title, and its reason when it did not pass. */
const checkText = (c: ScenarioResult): string =>
  c.verdict === "pass"
    ? c.title
    : c.verdict === "skipped"
      ? `${c.title} (skipped: ${c.reason ?? ""})`
      : `${c.title}: ${c.reason ?? "failed"}`;

const statusText = (s: RowStatus): string =>
  s === "pass" ? "pass" : s === "fail" ? "FAIL" : "not covered";

const pad = (text: string, width: number): string =>
  text.length >= width ? text : text + " ".repeat(width - text.length);

const clip = (text: string, width: number): string =>
  text.length > width ? `${text.slice(0, width - 3)}...` : text;

/** The summary line: covered rows, passes, failures. */
export const summaryLine = (report: ConformanceReport): string => {
  const s = report.summary;
  return `${s.covered} of ${s.rows} rows covered: ${s.passed} pass, ${s.failed} fail, ${s.notCovered} not covered`;
};

/** The report as a plain-text table for a terminal (one line per check). */
export const renderText = (report: ConformanceReport, width = 120): string => {
  const idWidth = Math.max(4, ...report.rows.map((r) => r.id.length)) + 1;
  const statusWidth = 12;
  const checkedWidth = Math.max(20, width - idWidth - statusWidth - 2);
  const lines = [
    `${pad("ID", idWidth)} ${pad("RESULT", statusWidth)} CHECKED`,
    `${"-".repeat(idWidth)} ${"-".repeat(statusWidth)} ${"-".repeat(checkedWidth)}`,
  ];
  for (const r of report.rows) {
    if (r.checks.length === 0) {
      lines.push(
        `${pad(r.id, idWidth)} ${pad("not covered", statusWidth)} ${clip(r.title, checkedWidth)}`,
      );
      continue;
    }
    r.checks.forEach((c, i) => {
      const status = i === 0 ? statusText(r.status) : "";
      lines.push(
        `${pad(i === 0 ? r.id : "", idWidth)} ${pad(status, statusWidth)} ${clip(checkText(c), checkedWidth)}`,
      );
    });
  }
  lines.push("", summaryLine(report));
  return lines.join("\n");
};

/** Escapes a table cell's text for Markdown. */
const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

/** What the Markdown header states about the run. */
export interface MarkdownHeader {
  /** The command that produced the report, e.g. `pnpm conformance`. */
  readonly command: string;
  /** Where the requirement rows came from (the document's path, or "embedded list"). */
  readonly requirementsSource: string;
}

/** The report as the Markdown of `docs/CONFORMANCE.md`. */
export const renderMarkdown = (report: ConformanceReport, header: MarkdownHeader): string => {
  const out: string[] = [
    "<!-- Generated by `cpekit conformance`; do not edit by hand. -->",
    "# cpekit conformance report",
    "",
    `- Date: ${report.run.finishedAt}`,
    `- Command: \`${header.command}\``,
    `- Device under test: ${report.run.device}`,
    `- Requirements: ${header.requirementsSource}`,
    `- Result: ${summaryLine(report)}`,
    "",
    'Each row is a requirement of `cwmp-requirements.md`. A row passes when every scenario naming it passed; "not covered" rows are not checked yet (the to-do list). A skipped scenario says why in its cell.',
  ];
  const sections = [...new Set(report.rows.map((r) => r.section))];
  for (const section of sections) {
    const title = sectionTitles[section] ?? "Other";
    out.push("", `## ${section === "other" ? "" : `§${section} `}${title}`, "");
    out.push("| ID | Result | Checked |", "|---|---|---|");
    for (const r of report.rows.filter((x) => x.section === section)) {
      const checked =
        r.checks.length === 0 ? r.title : r.checks.map((c) => checkText(c)).join("<br>");
      out.push(`| ${cell(r.id)} | ${statusText(r.status)} | ${cell(checked)} |`);
    }
  }
  out.push("");
  return out.join("\n");
};
