/**
 * A conformance scenario: a bounded script against the test ACS that checks one or more
 * requirement rows on a running device, and the two ways it stops short of passing:
 * {@link ScenarioFailed} (the device broke the requirement) and {@link ScenarioSkipped} (the
 * device cannot be driven that way, so the row stays "not covered").
 * @module
 */
import { Data, type Effect } from "effect";
import type { TestAcsApi, TestAcsOptions } from "../test-acs.js";
import type { TestAcsError } from "../testkit-error.js";
import type { DeviceUnderTestError, RunningDevice } from "./device-under-test.js";

/** The device broke the requirement; `reason` says what was observed. */
export class ScenarioFailed extends Data.TaggedError("ScenarioFailed")<{
  readonly reason: string;
}> {
  override get message(): string {
    return this.reason;
  }
}

/** The scenario cannot run on this device (a capability is missing); not a verdict. */
export class ScenarioSkipped extends Data.TaggedError("ScenarioSkipped")<{
  readonly reason: string;
}> {
  override get message(): string {
    return this.reason;
  }
}

/** Everything a scenario can fail with. */
export type ScenarioError = ScenarioFailed | ScenarioSkipped | TestAcsError | DeviceUnderTestError;

/** What a scenario works with. */
export interface ScenarioContext {
  readonly acs: TestAcsApi;
  readonly device: RunningDevice;
  /** A fresh store path for a second device or a second life of the device, if one is needed. */
  readonly storePath: string;
}

/** One scenario of the suite. */
export interface Scenario {
  /** The requirement rows it checks; it passes or fails them together. */
  readonly ids: readonly string[];
  /** What is checked, in a few words (the report's "checked" cell). */
  readonly title: string;
  /** Upper bound of the whole scenario, device start included. Default 10 s. */
  readonly timeoutMs?: number;
  /** Options of the scenario's test ACS (profile, auth, session timeout). */
  readonly acs?: TestAcsOptions;
  /** Factory values the device starts with (see `DeviceStartOptions.settings`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Runs on the new ACS before the device starts (to book faults for its boot session). */
  readonly prepare?: (acs: TestAcsApi) => void;
  /** The script: succeeds when the requirement holds. */
  readonly run: (ctx: ScenarioContext) => Effect.Effect<void, ScenarioError>;
}
