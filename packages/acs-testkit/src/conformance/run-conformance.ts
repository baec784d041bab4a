/**
 * The conformance runner: runs each scenario with a fresh test ACS and a fresh device, bounded
 * by the scenario's timeout, and turns whatever happens (success, a failed check, a skipped
 * capability, a timeout, a device that does not start, a defect) into a {@link ScenarioResult}.
 * It never fails: a broken scenario is a failed row, not a crashed run.
 * @module
 */
import { Cause, Duration, Effect, Option } from "effect";
import { makeTestAcs } from "../test-acs.js";
import type { DeviceUnderTest } from "./device-under-test.js";
import type { Scenario, ScenarioError } from "./scenario.js";

/** How a scenario ended. */
export type Verdict = "pass" | "fail" | "skipped";

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly ids: readonly string[];
  readonly title: string;
  readonly verdict: Verdict;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  readonly durationMs: number;
}

/** A whole run. */
export interface ConformanceRun {
  /** `DeviceUnderTest.name`. */
  readonly device: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** In the order of the scenarios given. */
  readonly results: readonly ScenarioResult[];
}

/** Options of {@link runConformance}. */
export interface RunConformanceOptions {
  readonly device: DeviceUnderTest;
  readonly scenarios: readonly Scenario[];
  /** A unique store path for scenario number `index` (and a second one, `index` + "b"). */
  readonly storePathFor: (index: number, scenario: Scenario, suffix: string) => string;
  /** Scenarios run at once (each has its own ACS and device). Default 1. */
  readonly concurrency?: number;
  /** Called as each scenario ends (progress output). */
  readonly onResult?: (result: ScenarioResult) => void;
}

/** Timeout of a scenario that names none. */
export const defaultScenarioTimeoutMs = 10_000;
// A device that does not stop in this time is abandoned (its scope is still closed later).
const stopTimeout = Duration.seconds(5);

const verdictOf = (e: ScenarioError): { verdict: Verdict; reason: string } => {
  switch (e._tag) {
    case "ScenarioFailed":
      return { verdict: "fail", reason: e.reason };
    case "ScenarioSkipped":
      return { verdict: "skipped", reason: e.reason };
    case "TestAcsError":
      return { verdict: "fail", reason: `ACS: ${e.message}` };
    case "DeviceUnderTestError":
      return e.reason === "Unsupported"
        ? { verdict: "skipped", reason: e.detail }
        : { verdict: "fail", reason: e.message };
  }
};

const oneLine = (text: string): string => {
  const first = text.split("\n")[0] ?? "";
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
};

/** Runs one scenario against a new device and a new ACS. Never fails. */
export const runScenario = (
  device: DeviceUnderTest,
  scenario: Scenario,
  storePath: string,
  spareStorePath: string,
): Effect.Effect<ScenarioResult> => {
  const timeoutMs = scenario.timeoutMs ?? defaultScenarioTimeoutMs;
  const body = Effect.scoped(
    Effect.gen(function* () {
      const acs = yield* makeTestAcs(scenario.acs ?? {});
      scenario.prepare?.(acs);
      // Not an acquireRelease: its acquire is uninterruptible, and fibers the device forks
      // while starting would inherit that and could never be stopped.
      const running = yield* device.start({
        acsUrl: acs.url,
        storePath,
        ...(scenario.settings === undefined ? {} : { settings: scenario.settings }),
      });
      yield* Effect.addFinalizer(() => Effect.ignore(Effect.timeout(running.stop, stopTimeout)));
      yield* scenario.run({ acs, device: running, storePath: spareStorePath });
    }),
  );
  return Effect.gen(function* () {
    const started = performance.now();
    const exit = yield* Effect.exit(Effect.timeout(body, Duration.millis(timeoutMs)));
    const durationMs = Math.round(performance.now() - started);
    const base = { ids: scenario.ids, title: scenario.title, durationMs };
    if (exit._tag === "Success") return { ...base, verdict: "pass" } satisfies ScenarioResult;
    const failure = Cause.failureOption(exit.cause);
    if (Option.isSome(failure)) {
      const e = failure.value;
      if (e._tag === "TimeoutException")
        return { ...base, verdict: "fail", reason: `timed out after ${timeoutMs} ms` };
      const v = verdictOf(e);
      return { ...base, verdict: v.verdict, reason: oneLine(v.reason) };
    }
    return {
      ...base,
      verdict: "fail",
      reason: oneLine(`defect: ${Cause.pretty(exit.cause)}`),
    } satisfies ScenarioResult;
  });
};

/** Runs every scenario (see the module comment). */
export const runConformance = (options: RunConformanceOptions): Effect.Effect<ConformanceRun> =>
  Effect.gen(function* () {
    const startedAt = new Date().toISOString();
    const results = yield* Effect.forEach(
      options.scenarios,
      (scenario, index) =>
        Effect.tap(
          runScenario(
            options.device,
            scenario,
            options.storePathFor(index, scenario, ""),
            options.storePathFor(index, scenario, "b"),
          ),
          (r) => Effect.sync(() => options.onResult?.(r)),
        ),
      { concurrency: options.concurrency ?? 1 },
    );
    return {
      device: options.device.name,
      startedAt,
      finishedAt: new Date().toISOString(),
      results,
    };
  });
