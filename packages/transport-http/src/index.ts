/**
 * `@cpekit/transport-http`: the HTTP implementations of cpekit's ports.
 *
 * - `AcsClient.layer(options)`: `AcsTransport` on undici (cookies, Basic/Digest, TLS, redirects).
 * - `ConnectionRequestServer.layer(options)`: `ConnectionRequests` on node:http with Digest.
 * - `HttpFileTransfer.layer(options)`: `FileTransfer` on undici, failures as TR-069 fault codes.
 * - `JsonFileStore.layer(path)`: `Store` as one atomically written JSON file per device.
 *
 * The Digest helpers (client computation and server-side verifier) are exported for test
 * servers and other transports.
 * @module
 */
export * as AcsClient from "./acs-client.js";
export * from "./advertised-address.js";
export * as ConnectionRequestServer from "./connection-request-server.js";
export * from "./digest-auth.js";
export * from "./digest-verifier.js";
export * as HttpFileTransfer from "./file-transfer.js";
export type { AuthChallenge } from "./internal/auth-params.js";
export { parseAuthHeader } from "./internal/auth-params.js";
export type { TlsFiles } from "./internal/tls-files.js";
export * as JsonFileStore from "./json-file-store.js";
