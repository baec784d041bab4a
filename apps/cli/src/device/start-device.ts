/**
 * Starts one device: its JSON store, the ACS client (wrapped to report traffic), the
 * connection-request server, the file transfer, the plugin's device actions, and the agent
 * (`makeAgent` of `@cpekit/core`).
 *
 * A supervisor fiber keeps the agent alive across the restarts the ACS asks for: when the agent
 * stops for a Reboot it is started again over the same store (the generic device "reboots" in
 * process, so the next Inform carries `1 BOOT` and `M Reboot`); after a FactoryReset the store
 * is emptied first (the next Inform carries `0 BOOTSTRAP`). The store, the servers and the
 * transport outlive these restarts and close with the caller's scope.
 * @module
 */
import {
  type AcsEndpoint,
  AcsTransport,
  ConnectionRequests,
  DeviceActions,
  type DeviceIdStruct,
  Diagnostics,
  FileTransfer,
  LightweightNotificationSink,
  makeAgent,
  makeConnectionRequestCredentialsSource,
  SoftwareModules,
  Store,
} from "@cpekit/core";
import {
  AcsClient,
  ConnectionRequestServer,
  HttpFileTransfer,
  JsonFileStore,
  UdpLightweightNotificationSink,
} from "@cpekit/transport-http";
import { Clock, Duration, Effect, Fiber, type Scope } from "effect";
import { DeviceError } from "./device-error.js";
import type { DeviceEventSink } from "./device-event.js";
import type { DeviceSpec } from "./device-spec.js";
import { observeTransport } from "./observed-transport.js";
import { openPluginDevice } from "./plugin-device.js";
import { runtimeProvider } from "./runtime-provider.js";
import { startUdpConnectionRequests } from "./udp-connection-requests.js";
import { startXmppConnectionRequests } from "./xmpp-connection-requests.js";

export { DeviceError } from "./device-error.js";

/** A running device. */
export interface DeviceHandle {
  /** The DeviceId the device informs with (the plugin may read it from the hardware). */
  readonly deviceId: DeviceIdStruct;
  /** What the plugin runs (for logs). */
  readonly description: string;
  /** The ConnectionRequestURL the device publishes. */
  readonly connectionRequestUrl: string;
  /** The UDP port of the Annex G connection-request listener, when the profile turns it on. */
  readonly udpConnectionRequestPort?: number;
  /** Sessions whose connection is open now. */
  readonly openSessions: Effect.Effect<number>;
  /** Fails when the device stops for good (its agent cannot start); never succeeds. */
  readonly failed: Effect.Effect<never, DeviceError>;
}

/** Starts the device of `spec` for the life of the current scope, reporting to `sink`. */
export const startDevice = (
  spec: DeviceSpec,
  sink: DeviceEventSink,
): Effect.Effect<DeviceHandle, DeviceError, Scope.Scope> =>
  Effect.gen(function* () {
    const store = yield* JsonFileStore.make(spec.storePath);
    const tls = {
      ...(spec.acs.caFile === undefined ? {} : { caFile: spec.acs.caFile }),
      ...(spec.acs.certFile === undefined ? {} : { certFile: spec.acs.certFile }),
      ...(spec.acs.keyFile === undefined ? {} : { keyFile: spec.acs.keyFile }),
      rejectUnauthorized: spec.acs.rejectUnauthorized,
      ...(spec.acs.credentialsOnRedirect === true ? { credentialsOnRedirect: true } : {}),
    };
    // A plain counter: the observer runs inside the session's own fiber, so an Effect run to
    // bump a Ref would only add machinery to every session.
    let open = 0;
    const compression =
      spec.acs.requestCompression === undefined
        ? {}
        : { requestCompression: spec.acs.requestCompression };
    const transport = observeTransport(AcsClient.make({ ...tls, ...compression }), (event) => {
      if (event.type === "sessionOpened") open++;
      if (event.type === "sessionClosed") open--;
      sink({ type: "traffic", event });
    });
    const cr = spec.connectionRequest;
    // The server outlives the agent's restarts; each new agent binds this source to its data
    // model, so the server checks the credentials the ACS last set (C3).
    const crCredentials = yield* makeConnectionRequestCredentialsSource({
      username: cr.username,
      password: cr.password,
    });
    const httpConnectionRequests = yield* Effect.mapError(
      ConnectionRequestServer.make({
        credentials: crCredentials.credentials,
        host: cr.host,
        port: cr.port,
        ...(cr.path === undefined ? {} : { path: cr.path }),
        ...(cr.advertisedHost === undefined ? {} : { advertisedHost: cr.advertisedHost }),
        ...(cr.rateLimit === undefined
          ? {}
          : {
              rateLimit: {
                max: cr.rateLimit.max,
                window: Duration.seconds(cr.rateLimit.windowSeconds),
              },
            }),
      }),
      (e) => new DeviceError({ reason: "Listen", detail: e.message, cause: e }),
    );
    // UDP requests and STUN (Annex G) on one socket, merged with the HTTP server's triggers.
    const udp =
      spec.udpConnectionRequest === undefined
        ? undefined
        : yield* startUdpConnectionRequests(
            spec.udpConnectionRequest,
            spec.acs.url,
            httpConnectionRequests,
            crCredentials,
            cr.rateLimit,
          );
    // XMPP requests (Annex K) over an outbound stream, folded in through one more gate.
    const xmpp =
      spec.xmppConnectionRequest === undefined
        ? undefined
        : yield* startXmppConnectionRequests(
            spec.xmppConnectionRequest,
            udp?.connectionRequests ?? httpConnectionRequests,
            crCredentials,
            cr.rateLimit,
          );
    const connectionRequests =
      xmpp?.connectionRequests ?? udp?.connectionRequests ?? httpConnectionRequests;
    // Annex M: UDP Lightweight Notifications, sent only once the ACS sets
    // LightweightNotificationProtocolsUsed to UDP (the socket opens at the first one).
    const lightweightSink = yield* UdpLightweightNotificationSink.make();
    const device = yield* openPluginDevice(spec, sink);
    const acs: AcsEndpoint = {
      url: spec.acs.url,
      ...(spec.acs.username === undefined ? {} : { username: spec.acs.username }),
      ...(spec.acs.password === undefined ? {} : { password: spec.acs.password }),
    };

    /** One life of the agent, from its start to the reason it stopped. */
    const life = (boot: number) =>
      Effect.scoped(
        Effect.gen(function* () {
          const startedAt = yield* Clock.currentTimeMillis;
          const agent = yield* Effect.mapError(
            makeAgent({
              deviceId: device.deviceId,
              acs,
              managementServerPrefix: `${spec.schema.root}.ManagementServer.`,
              connectionRequestCredentials: crCredentials,
              dataModel: {
                schema: spec.schema,
                providers: [
                  ...device.providers,
                  ...(xmpp === undefined ? [] : [xmpp.statusProvider]),
                  runtimeProvider(
                    spec.schema,
                    startedAt,
                    device.providers.flatMap((p) => p.paths),
                    spec.versionDefaults,
                  ),
                ],
                initial: device.initial,
              },
            }),
            (e) => new DeviceError({ reason: "AgentFailed", detail: e.message, cause: e }),
          );
          if (udp !== undefined) yield* udp.attach(agent, `${spec.schema.root}.ManagementServer.`);
          if (xmpp !== undefined)
            yield* xmpp.attach(agent, `${spec.schema.root}.ManagementServer.`);
          // The plugin's device gets each agent's CPE-request API (Kicked, RequestDownload, ...).
          if (device.attach !== undefined) yield* device.attach(agent);
          sink({ type: "started", boot, connectionRequestUrl: connectionRequests.url });
          return yield* agent.stopped;
        }),
      );

    const supervise = Effect.gen(function* () {
      for (let boot = 1; ; boot++) {
        const reason = yield* life(boot);
        if (reason === "bootFailed")
          return yield* new DeviceError({
            reason: "BootFailed",
            detail: "the agent could not boot (see the log above)",
          });
        sink({ type: "restarting", reason });
        if (reason === "factoryReset")
          yield* Effect.mapError(
            store.save({}),
            (e) => new DeviceError({ reason: "StoreFailed", detail: e.message, cause: e }),
          );
      }
    }).pipe(
      Effect.provideService(Store, store),
      Effect.provideService(AcsTransport, transport),
      Effect.provideService(FileTransfer, device.fileTransfer(HttpFileTransfer.make(tls))),
      Effect.provideService(DeviceActions, device.deviceActions),
      Effect.provideService(ConnectionRequests, connectionRequests),
      Effect.provideService(LightweightNotificationSink, lightweightSink),
      // The Diagnostics port is optional: provided only by a device that runs the tests.
      (run) =>
        device.diagnostics === undefined
          ? run
          : Effect.provideService(run, Diagnostics, device.diagnostics),
      // So is SoftwareModules (ChangeDUState): without it the agent does not offer the RPC.
      (run) =>
        device.softwareModules === undefined
          ? run
          : Effect.provideService(run, SoftwareModules, device.softwareModules),
    );
    const fiber = yield* Effect.forkScoped(supervise);
    return {
      deviceId: device.deviceId,
      description: device.description,
      connectionRequestUrl: connectionRequests.url,
      ...(udp === undefined ? {} : { udpConnectionRequestPort: udp.port }),
      openSessions: Effect.sync(() => open),
      failed: Fiber.join(fiber),
    };
  });
