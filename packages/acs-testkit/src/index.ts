/**
 * `@cpekit/acs-testkit`: a scriptable in-process ACS on loopback for tests, the conformance
 * report and the demo. Start one with `startTestAcs` (Promises) or `makeTestAcs` / `layer`
 * (Effect); see the README for an example.
 * @module
 */
export * from "./acs-session.js";
export * from "./conformance/index.js";
export * from "./connection-request.js";
export type { CpeRequestRecord } from "./cwmp-endpoint.js";
export * from "./device-key.js";
export type { EnvelopeSniff } from "./envelope-sniff.js";
export * from "./fault-injection.js";
export type { FileDelivery, UploadRecord } from "./file-shelf.js";
export * from "./genieacs-profile.js";
export type { AuthVerdict, HttpAuthOptions } from "./http-auth.js";
export * from "./quirk-profile.js";
export type { PendingCall } from "./rpc-queue.js";
export * from "./servers/index.js";
export * from "./start-test-acs.js";
export * from "./strict-profile.js";
export * from "./test-acs.js";
export * from "./testkit-error.js";
export * from "./transcript.js";
export * from "./udp-connection-request.js";
export * from "./xmpp-connection-request.js";
