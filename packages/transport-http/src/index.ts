/**
 * `@cpekit/transport-http`: the HTTP implementations of cpekit's ports.
 *
 * - `AcsClient.layer(options)`: `AcsTransport` on undici (cookies, Basic/Digest, TLS, redirects).
 * - `ConnectionRequestServer.layer(options)`: `ConnectionRequests` on node:http with Digest.
 * - `HttpFileTransfer.layer(options)`: `FileTransfer` on undici, failures as TR-069 fault codes.
 * - `JsonFileStore.layer(path)`: `Store` as one atomically written JSON file per device.
 * - `UdpConnectionRequest.make(options)`: UDP Connection Requests and the STUN client of
 *   TR-069 Annex G on one socket; `mergeConnectionRequests` folds its triggers into the HTTP
 *   server's `ConnectionRequests`, `followUdpBinding` publishes its binding in the data model.
 * - `UdpLightweightNotificationSink.layer()`: `LightweightNotificationSink` (Annex M) over UDP.
 * - `XmppConnectionRequest.make(options)`: XMPP Connection Requests (TR-069 Annex K) over an
 *   outbound XMPP stream kept open with the TR-181 retry intervals; merged like the UDP one,
 *   `followJabberId` publishes ConnReqJabberID.
 * - `makeLmdbFleetStore({ path })`: `Store` for every device of a fleet in one LMDB environment.
 *
 * The Digest helpers (client computation and server-side verifier) are exported for test
 * servers and other transports.
 * @module
 */
export * as AcsClient from "./acs-client.js";
export * from "./advertised-address.js";
export * from "./answer-in-place.js";
export * as ConnectionRequestServer from "./connection-request-server.js";
export * from "./digest-auth.js";
export * from "./digest-verifier.js";
export * as HttpFileTransfer from "./file-transfer.js";
export type { AuthChallenge } from "./internal/auth-params.js";
export { parseAuthHeader } from "./internal/auth-params.js";
export type { TlsFiles } from "./internal/tls-files.js";
export * as JsonFileStore from "./json-file-store.js";
export * from "./lmdb-fleet-store.js";
export * from "./merged-connection-requests.js";
export * from "./stun-client.js";
export * as StunMessage from "./stun-message.js";
export * from "./stun-settings.js";
export * from "./udp-binding-publication.js";
export * as UdpConnectionRequest from "./udp-connection-request.js";
export * from "./udp-connection-request-message.js";
export * as UdpLightweightNotificationSink from "./udp-lightweight-notification-sink.js";
export * as XmppConnectionRequest from "./xmpp-connection-request.js";
export * from "./xmpp-connection-request-decision.js";
export * from "./xmpp-connector.js";
export * from "./xmpp-data-model.js";
export * from "./xmpp-settings.js";
