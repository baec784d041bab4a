/**
 * A device's UDP connection requests with STUN (TR-069 Annex G, requirement section 1.8):
 * the UDP socket of `@cpekit/transport-http` next to the HTTP server, both feeding one
 * `ConnectionRequests` service. Like the HTTP server it outlives the agent's restarts; each
 * new agent is attached: the STUN settings and the ACS host are read from its data model, the
 * binding is published there (UDPConnectionRequestAddress, NATDetected), and STUN* values the
 * ACS set apply after the session that set them.
 * @module
 */
import type {
  Agent,
  ConnectionRequestCredentialsSource,
  ConnectionRequestsService,
} from "@cpekit/core";
import {
  followUdpBinding,
  makeStunSettingsSource,
  mergeConnectionRequests,
  UdpConnectionRequest,
} from "@cpekit/transport-http";
import { Duration, Effect, type Scope } from "effect";
import { applyAfterEachSession } from "./apply-after-each-session.js";
import { DeviceError } from "./device-error.js";
import type { ConnectionRequestSpec, UdpConnectionRequestSpec } from "./device-spec.js";

/** The running UDP side of a device. */
export interface DeviceUdpConnectionRequests {
  /** HTTP and UDP requests as one service, for the agent. */
  readonly connectionRequests: ConnectionRequestsService;
  /** The UDP port the socket is bound to. */
  readonly port: number;
  /** Binds one life of the agent (in that life's scope). */
  readonly attach: (
    agent: Pick<Agent, "dataModel" | "valueChanged" | "actor">,
    prefix: string,
  ) => Effect.Effect<void, never, Scope.Scope>;
}

/** Opens the UDP socket in the current scope and merges it with the HTTP server. */
export const startUdpConnectionRequests = (
  spec: UdpConnectionRequestSpec,
  acsUrl: string,
  http: ConnectionRequestsService,
  credentials: ConnectionRequestCredentialsSource,
  rateLimit?: ConnectionRequestSpec["rateLimit"],
): Effect.Effect<DeviceUdpConnectionRequests, DeviceError, Scope.Scope> =>
  Effect.gen(function* () {
    const stun = yield* makeStunSettingsSource(spec.stun, acsUrl);
    const udp = yield* Effect.mapError(
      UdpConnectionRequest.make({
        credentials: credentials.credentials,
        host: spec.host,
        port: spec.port,
        stun: stun.settings,
        acsHost: stun.acsHost,
        ...(spec.advertisedHost === undefined ? {} : { advertisedHost: spec.advertisedHost }),
        ...(spec.maxSkewSeconds === undefined ? {} : { maxSkewSeconds: spec.maxSkewSeconds }),
        ...(rateLimit === undefined
          ? {}
          : {
              rateLimit: { max: rateLimit.max, window: Duration.seconds(rateLimit.windowSeconds) },
            }),
      }),
      (e) => new DeviceError({ reason: "Listen", detail: e.message, cause: e }),
    );
    const connectionRequests = yield* mergeConnectionRequests(http, [udp]);
    const attach = (agent: Pick<Agent, "dataModel" | "valueChanged" | "actor">, prefix: string) =>
      Effect.gen(function* () {
        yield* stun.bind(agent.dataModel, prefix);
        yield* Effect.forkScoped(followUdpBinding(udp.bindingChanges, agent, prefix));
        yield* applyAfterEachSession(agent, udp.applySettings);
      });
    return { connectionRequests, port: udp.local.port, attach };
  });
