/**
 * `cpekit conformance`: runs the testkit's conformance suite against a real cpekit agent
 * ({@link cpekitDevice}), prints the report table and writes it as `docs/CONFORMANCE.md`.
 * The requirement rows come from `<repo>/docs/cwmp-requirements.md` when it exists (it is kept in
 * the repository), from the testkit's embedded list otherwise.
 * @module
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import {
  buildReport,
  renderMarkdown,
  renderText,
  requirementRows,
  runConformance,
  type ScenarioResult,
  standardScenarios,
} from "@cpekit/acs-testkit";
import { Effect } from "effect";
import type { CliIo } from "../cli-io.js";
import { ExitCode } from "../exit-code.js";
import { cpekitDevice } from "./cpekit-device.js";

/** Options of `cpekit conformance` (as commander gives them). */
export interface ConformanceCommandOptions {
  /** Where to write the Markdown report; default `<repo>/docs/CONFORMANCE.md`. */
  readonly out?: string;
  /** Do not write the Markdown report (commander's `--no-write`). */
  readonly write?: boolean;
  /** Only scenarios with an ID matching this regular expression. */
  readonly only?: string;
  /** Scenarios run at once. */
  readonly concurrency?: string;
  /** The requirements document; default `<repo>/docs/cwmp-requirements.md`. */
  readonly requirements?: string;
  /** Exit 1 when a row fails. */
  readonly strict?: boolean;
  /** The command line to state in the report. */
  readonly command?: string;
}

/** The workspace root: the nearest folder above `from` holding `pnpm-workspace.yaml`. */
export const findRepoRoot = (from: string): string => {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    if (dirname(dir) === dir) return resolve(from);
  }
};

const progressLine = (r: ScenarioResult): string =>
  `${r.verdict === "pass" ? "pass" : r.verdict === "fail" ? "FAIL" : "skip"} ${r.ids.join(", ")}: ${r.title}${r.reason ? ` (${r.reason})` : ""} [${r.durationMs} ms]`;

/** Runs the suite and writes the report; resolves with the exit code. */
export const conformanceMain = async (
  options: ConformanceCommandOptions,
  io: CliIo,
  cwd: string,
): Promise<ExitCode> => {
  const repo = findRepoRoot(cwd);
  const concurrency = Number(options.concurrency ?? "4");
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    io.err(
      `cpekit conformance: --concurrency must be a positive integer, not ${options.concurrency}`,
    );
    return ExitCode.Usage;
  }
  let only: RegExp | undefined;
  try {
    only = options.only === undefined ? undefined : new RegExp(options.only);
  } catch {
    io.err(`cpekit conformance: --only is not a regular expression: ${options.only}`);
    return ExitCode.Usage;
  }
  const docPath = resolve(options.requirements ?? join(repo, "docs", "cwmp-requirements.md"));
  const docText = existsSync(docPath) ? await readFile(docPath, "utf8") : undefined;
  if (options.requirements !== undefined && docText === undefined) {
    io.err(`cpekit conformance: no requirements document at ${docPath}`);
    return ExitCode.Usage;
  }
  const rows = requirementRows(docText);
  const scenarios = standardScenarios.filter(
    (s) => only === undefined || s.ids.some((id) => only.test(id)),
  );
  const stores = await mkdtemp(join(tmpdir(), "cpekit-conformance-"));
  io.out(`cpekit conformance: ${scenarios.length} scenarios, ${rows.length} requirement rows`);
  try {
    const run = await Effect.runPromise(
      runConformance({
        device: cpekitDevice,
        scenarios,
        concurrency,
        storePathFor: (i, _s, suffix) => join(stores, `scenario-${i}${suffix}.json`),
        onResult: (r) => io.out(progressLine(r)),
      }),
    );
    const report = buildReport(rows, run);
    if (options.write !== false) {
      const out = resolve(options.out ?? join(repo, "docs", "CONFORMANCE.md"));
      await mkdir(dirname(out), { recursive: true });
      await writeFile(
        out,
        renderMarkdown(report, {
          command: options.command ?? "cpekit conformance",
          requirementsSource:
            docText === undefined
              ? "embedded list (document not found)"
              : `\`${relative(repo, docPath).split(sep).join("/")}\``,
        }),
      );
      io.out(`report written to ${out}`);
    }
    io.out("");
    // The table ends with the summary line.
    io.out(renderText(report));
    return options.strict === true && report.summary.failed > 0
      ? ExitCode.Failure
      : ExitCode.Success;
  } finally {
    await rm(stores, { recursive: true, force: true });
  }
};
