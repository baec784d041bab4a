/**
 * The conformance suite: scenarios that check the requirement rows of `cwmp-requirements.md`
 * on a {@link DeviceUnderTest} through the test ACS, the runner, and the report renderers.
 * @module
 */
export * from "./conformance-report.js";
export * from "./device-under-test.js";
export * from "./requirement-catalogue.js";
export * from "./run-conformance.js";
export * from "./scenario.js";
export * as ScenarioChecks from "./scenario-checks.js";
export * from "./scenarios/index.js";
export * as SessionDriver from "./session-driver.js";
