/**
 * The standard scenario list of the conformance suite, in report order.
 * @module
 */
import type { Scenario } from "../scenario.js";
import { authRetryScenarios } from "./auth-retry-scenarios.js";
import { connectionRequestScenarios } from "./connection-request-scenarios.js";
import { sessionScenarios } from "./session-scenarios.js";

export { authRetryScenarios } from "./auth-retry-scenarios.js";
export { connectionRequestScenarios } from "./connection-request-scenarios.js";
export { sessionScenarios } from "./session-scenarios.js";

/** Every scenario of the suite. */
export const standardScenarios: readonly Scenario[] = [
  ...sessionScenarios,
  ...authRetryScenarios,
  ...connectionRequestScenarios,
];
