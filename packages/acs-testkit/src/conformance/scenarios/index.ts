/**
 * The standard scenario list of the conformance suite, in report order.
 * @module
 */
import type { Scenario } from "../scenario.js";
import { addressingScenarios } from "./addressing-scenarios.js";
import { aliasScenarios } from "./alias-scenarios.js";
import { authRetryScenarios } from "./auth-retry-scenarios.js";
import { connectionRequestScenarios } from "./connection-request-scenarios.js";
import { cpeRequestScenarios } from "./cpe-request-scenarios.js";
import { dataModelScenarios } from "./datamodel-scenarios.js";
import { deviceFaultScenarios } from "./device-fault-scenarios.js";
import { diagnosticsScenarios } from "./diagnostics-scenarios.js";
import { eventScenarios } from "./event-scenarios.js";
import { heartbeatScenarios } from "./heartbeat-scenarios.js";
import { httpCompressionScenarios } from "./http-compression-scenarios.js";
import { lightweightNotificationScenarios } from "./lightweight-notification-scenarios.js";
import { rpcScenarios } from "./rpc-scenarios.js";
import { sessionScenarios } from "./session-scenarios.js";
import { softwareModuleScenarios } from "./software-module-scenarios.js";
import { transferFaultScenarios } from "./transfer-fault-scenarios.js";
import { transferScenarios } from "./transfer-scenarios.js";
import { udpConnectionRequestScenarios } from "./udp-connection-request-scenarios.js";
import { xmppConnectionRequestScenarios } from "./xmpp-connection-request-scenarios.js";

export { addressingScenarios } from "./addressing-scenarios.js";
export { aliasScenarios } from "./alias-scenarios.js";
export { authRetryScenarios } from "./auth-retry-scenarios.js";
export { connectionRequestScenarios } from "./connection-request-scenarios.js";
export { cpeRequestScenarios } from "./cpe-request-scenarios.js";
export { dataModelScenarios } from "./datamodel-scenarios.js";
export { deviceFaultScenarios } from "./device-fault-scenarios.js";
export { diagnosticsScenarios } from "./diagnostics-scenarios.js";
export { eventScenarios } from "./event-scenarios.js";
export { heartbeatScenarios } from "./heartbeat-scenarios.js";
export { httpCompressionScenarios } from "./http-compression-scenarios.js";
export { lightweightNotificationScenarios } from "./lightweight-notification-scenarios.js";
export { rpcScenarios } from "./rpc-scenarios.js";
export { sessionScenarios } from "./session-scenarios.js";
export { softwareModuleScenarios } from "./software-module-scenarios.js";
export { transferFaultScenarios } from "./transfer-fault-scenarios.js";
export { transferCompleteFaultCodes, transferScenarios } from "./transfer-scenarios.js";
export { udpConnectionRequestScenarios } from "./udp-connection-request-scenarios.js";
export { xmppConnectionRequestScenarios } from "./xmpp-connection-request-scenarios.js";

/** Every scenario of the suite. */
export const standardScenarios: readonly Scenario[] = [
  ...sessionScenarios,
  ...httpCompressionScenarios,
  ...authRetryScenarios,
  ...rpcScenarios,
  ...eventScenarios,
  ...heartbeatScenarios,
  ...lightweightNotificationScenarios,
  ...connectionRequestScenarios,
  ...udpConnectionRequestScenarios,
  ...xmppConnectionRequestScenarios,
  ...addressingScenarios,
  ...aliasScenarios,
  ...dataModelScenarios,
  ...transferScenarios,
  ...transferFaultScenarios,
  ...deviceFaultScenarios,
  ...diagnosticsScenarios,
  ...cpeRequestScenarios,
  ...softwareModuleScenarios,
];
