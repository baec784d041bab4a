/**
 * A device's XMPP connection requests (TR-069 Annex K, requirement section 1.9): the outbound
 * XMPP stream of `@cpekit/transport-http` folded into the device's `ConnectionRequests`
 * (HTTP, and UDP when on) through one more coalescing gate. Like the HTTP server it outlives
 * the agent's restarts; each new agent is attached: the connection settings and
 * ConnReqAllowedJabberIDs are read from its data model (the connection ConnReqXMPPConnection
 * names), the bound JID is published as ConnReqJabberID, and settings the ACS set apply after
 * the session that set them (the stream reconnects).
 * @module
 */
import { readFile } from "node:fs/promises";
import type {
  Agent,
  ConnectionRequestCredentialsSource,
  ConnectionRequestsService,
  ParameterProvider,
} from "@cpekit/core";
import {
  followJabberId,
  makeXmppSettingsSource,
  mergeConnectionRequests,
  XmppConnectionRequest,
  xmppStatusProvider,
} from "@cpekit/transport-http";
import { Duration, Effect, type Scope } from "effect";
import { applyAfterEachSession } from "./apply-after-each-session.js";
import { DeviceError } from "./device-error.js";
import type { ConnectionRequestSpec } from "./device-spec.js";
import { XMPP_CONNECTION, type XmppConnectionRequestSpec } from "./xmpp-connection-request-spec.js";

/** The running XMPP side of a device. */
export interface DeviceXmppConnectionRequests {
  /** The device's connection requests with XMPP's folded in, for the agent. */
  readonly connectionRequests: ConnectionRequestsService;
  /** Serves the connection's Status, LastChangeDate and Stats (add it to every life's providers). */
  readonly statusProvider: ParameterProvider;
  /** Binds one life of the agent (in that life's scope). */
  readonly attach: (
    agent: Pick<Agent, "dataModel" | "valueChanged" | "actor">,
    prefix: string,
  ) => Effect.Effect<void, never, Scope.Scope>;
}

/** Starts the XMPP connection in the current scope and merges it into `base`. */
export const startXmppConnectionRequests = (
  spec: XmppConnectionRequestSpec,
  base: ConnectionRequestsService,
  credentials: ConnectionRequestCredentialsSource,
  rateLimit?: ConnectionRequestSpec["rateLimit"],
): Effect.Effect<DeviceXmppConnectionRequests, DeviceError, Scope.Scope> =>
  Effect.gen(function* () {
    const ca =
      spec.caFile === undefined
        ? undefined
        : yield* Effect.tryPromise({
            try: () => readFile(spec.caFile as string, "utf8"),
            catch: (e) =>
              new DeviceError({
                reason: "Listen",
                detail: `connectionRequest.xmpp.caFile: cannot read ${spec.caFile}: ${e instanceof Error ? e.message : String(e)}`,
                cause: e,
              }),
          });
    const source = yield* makeXmppSettingsSource(spec.settings, spec.allowedJabberIds);
    const xmpp = yield* XmppConnectionRequest.make({
      credentials: credentials.credentials,
      settings: source.settings,
      allowedJabberIds: source.allowedJabberIds,
      tls: {
        ...(ca === undefined ? {} : { ca }),
        rejectUnauthorized: spec.rejectUnauthorized,
      },
      ...(rateLimit === undefined
        ? {}
        : { rateLimit: { max: rateLimit.max, window: Duration.seconds(rateLimit.windowSeconds) } }),
    });
    const connectionRequests = yield* mergeConnectionRequests(base, [xmpp]);
    const attach = (agent: Pick<Agent, "dataModel" | "valueChanged" | "actor">, prefix: string) =>
      Effect.gen(function* () {
        yield* source.bind(agent.dataModel, prefix);
        yield* Effect.forkScoped(followJabberId(xmpp.jabberIdChanges, agent, prefix));
        yield* applyAfterEachSession(agent, xmpp.applySettings);
      });
    const statusProvider = xmppStatusProvider(xmpp, "Device", `${XMPP_CONNECTION}.`);
    return { connectionRequests, statusProvider, attach };
  });
