/**
 * The standard scenario list of the conformance suite, in report order.
 * @module
 */
import type { Scenario } from "../scenario.js";
import { addressingScenarios } from "./addressing-scenarios.js";
import { authRetryScenarios } from "./auth-retry-scenarios.js";
import { connectionRequestScenarios } from "./connection-request-scenarios.js";
import { dataModelScenarios } from "./datamodel-scenarios.js";
import { eventScenarios } from "./event-scenarios.js";
import { heartbeatScenarios } from "./heartbeat-scenarios.js";
import { lightweightNotificationScenarios } from "./lightweight-notification-scenarios.js";
import { rpcScenarios } from "./rpc-scenarios.js";
import { sessionScenarios } from "./session-scenarios.js";
import { transferFaultScenarios } from "./transfer-fault-scenarios.js";
import { transferScenarios } from "./transfer-scenarios.js";
import { udpConnectionRequestScenarios } from "./udp-connection-request-scenarios.js";

export { addressingScenarios } from "./addressing-scenarios.js";
export { authRetryScenarios } from "./auth-retry-scenarios.js";
export { connectionRequestScenarios } from "./connection-request-scenarios.js";
export { dataModelScenarios } from "./datamodel-scenarios.js";
export { eventScenarios } from "./event-scenarios.js";
export { heartbeatScenarios } from "./heartbeat-scenarios.js";
export { lightweightNotificationScenarios } from "./lightweight-notification-scenarios.js";
export { rpcScenarios } from "./rpc-scenarios.js";
export { sessionScenarios } from "./session-scenarios.js";
export { transferFaultScenarios } from "./transfer-fault-scenarios.js";
export { transferCompleteFaultCodes, transferScenarios } from "./transfer-scenarios.js";
export { udpConnectionRequestScenarios } from "./udp-connection-request-scenarios.js";

/** Every scenario of the suite. */
export const standardScenarios: readonly Scenario[] = [
  ...sessionScenarios,
  ...authRetryScenarios,
  ...rpcScenarios,
  ...eventScenarios,
  ...heartbeatScenarios,
  ...lightweightNotificationScenarios,
  ...connectionRequestScenarios,
  ...udpConnectionRequestScenarios,
  ...addressingScenarios,
  ...dataModelScenarios,
  ...transferScenarios,
  ...transferFaultScenarios,
];
