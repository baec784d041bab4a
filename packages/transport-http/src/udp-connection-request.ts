/**
 * UDP Connection Requests with STUN (TR-069 Annex G, requirement section 1.8): one UDP socket
 * that both runs the STUN client (`stun-client.ts`) and receives the ACS's UDP Connection
 * Requests, so the NAT binding STUN keeps open is the one the requests arrive through.
 *
 * Datagrams are told apart by their first bytes: STUN messages go to the client, anything
 * starting with `GET ` is checked as a Connection Request (`udp-connection-request-message.ts`).
 * The listener never answers. A message that passes the checks is rate-limited like an HTTP
 * one (too many are dropped, there is no 503 to send) and coalesced into session triggers the
 * same way (several datagrams before the session starts give one session with
 * `6 CONNECTION REQUEST`). The binding to publish as UDPConnectionRequestAddress / NATDetected
 * is kept in {@link UdpConnectionRequestsService.binding}.
 * @module
 */
import * as dgram from "node:dgram";
import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";
import type { ConnectionRequestCredentials } from "@cpekit/core";
import {
  Clock,
  Context,
  Data,
  type Duration,
  Effect,
  FiberSet,
  Layer,
  Option,
  Ref,
  type Scope,
  Stream,
  SubscriptionRef,
} from "effect";
import { type InterfaceTable, reachableHost } from "./advertised-address.js";
import { makeConnectionRequestTriggers } from "./internal/connection-request-triggers.js";
import type { TriggerSource } from "./merged-connection-requests.js";
import { makeStunClient, type UdpBinding } from "./stun-client.js";
import { looksLikeStun } from "./stun-message.js";
import { defaultStunSettings, type StunSettings } from "./stun-settings.js";
import {
  checkUdpConnectionRequest,
  initialUdpReplayState,
  parseUdpConnectionRequest,
  type UdpCheckVerdict,
} from "./udp-connection-request-message.js";

/** Settings of the UDP Connection Request socket. */
export interface UdpConnectionRequestOptions {
  /** ConnectionRequestUsername/Password, read at every message. */
  readonly credentials: Effect.Effect<ConnectionRequestCredentials> | ConnectionRequestCredentials;
  /** UDP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Bind address. Default "0.0.0.0". */
  readonly host?: string;
  /** Host published as UDPConnectionRequestAddress when STUN is off, instead of the bound one. */
  readonly advertisedHost?: string;
  /** The STUN settings, read at every keep-alive cycle. Default: STUN off. */
  readonly stun?: Effect.Effect<StunSettings> | StunSettings;
  /** Host of the ACS URL: the STUN server when STUNServerAddress is empty. */
  readonly acsHost: Effect.Effect<string> | string;
  /** At most `max` accepted requests per `window`; more are dropped. Default 50 per 5 s (as HTTP). */
  readonly rateLimit?: { readonly max: number; readonly window: Duration.DurationInput };
  /**
   * Largest distance in seconds between a message's `ts` and the device clock; `null` turns
   * the comparison off (a device without a clock). Default 300.
   */
  readonly maxSkewSeconds?: number | null;
  /** Network interfaces (for the local address and NATDetected); the machine's by default. */
  readonly interfaces?: InterfaceTable;
  /** Random bytes for STUN transaction IDs. Default node:crypto. */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** The socket could not be opened. */
export class UdpConnectionRequestError extends Data.TaggedError("UdpConnectionRequestError")<{
  readonly reason: "Bind";
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `UDP connection request socket ${this.reason}: ${this.detail}`;
  }
}

/** What a message did, for logs and tests. */
export type UdpDatagramOutcome = UdpCheckVerdict | "malformed" | "rateLimited" | "stun";

/**
 * The running socket; its `triggers` are coalesced as the HTTP server's are (one consumer), and
 * `setSessionActive` takes the session boundaries as `ConnectionRequestsService`'s does.
 */
export interface UdpConnectionRequestsService extends TriggerSource {
  /** The bound address and port. */
  readonly local: { readonly address: string; readonly port: number };
  /** The binding to publish: the STUN-learned one, or the local address with STUN off. */
  readonly binding: Effect.Effect<Option.Option<UdpBinding>>;
  /** Every new binding (distinct from the last), starting with the current one when known. */
  readonly bindingChanges: Stream.Stream<UdpBinding>;
  /** Re-reads the STUN settings and sends a Binding Request now. */
  readonly refresh: Effect.Effect<void>;
  /** Refreshes when the STUN settings changed since the last cycle (call after each session). */
  readonly applySettings: Effect.Effect<void>;
  /** What each received datagram came to, in order (bounded; for tests and diagnostics). */
  readonly outcomes: Effect.Effect<readonly UdpDatagramOutcome[]>;
}

/** The `UdpConnectionRequests` service tag. */
export class UdpConnectionRequests extends Context.Tag(
  "@cpekit/transport-http/UdpConnectionRequests",
)<UdpConnectionRequests, UdpConnectionRequestsService>() {}

const bind = (socket: dgram.Socket, port: number, host: string) =>
  Effect.async<void, UdpConnectionRequestError>((resume) => {
    const onError = (cause: Error) =>
      resume(
        Effect.fail(
          new UdpConnectionRequestError({
            reason: "Bind",
            detail: `cannot bind ${host}:${port}: ${cause.message}`,
            cause,
          }),
        ),
      );
    socket.once("error", onError);
    socket.bind(port, host, () => {
      socket.off("error", onError);
      resume(Effect.void);
    });
  });

const asEffect = <A>(v: Effect.Effect<A> | A): Effect.Effect<A> =>
  Effect.isEffect(v) ? (v as Effect.Effect<A>) : Effect.succeed(v as A);

const KEPT_OUTCOMES = 256;

/** Opens the socket in the current scope (closed with it) and starts the STUN client. */
export const make = (
  options: UdpConnectionRequestOptions,
): Effect.Effect<UdpConnectionRequestsService, UdpConnectionRequestError, Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host ?? "0.0.0.0";
    const socket = yield* Effect.acquireRelease(
      Effect.suspend(() => {
        const s = dgram.createSocket({ type: isIPv6(host) ? "udp6" : "udp4" });
        return Effect.as(
          Effect.tapError(bind(s, options.port ?? 0, host), () => Effect.sync(() => s.close())),
          s,
        );
      }),
      (s) =>
        Effect.async<void>((done) => {
          s.close(() => done(Effect.void));
        }),
    );
    const port = socket.address().port;
    const interfaces = options.interfaces ?? (networkInterfaces() as InterfaceTable);
    const ownAddresses = new Set<string>([host]);
    for (const list of Object.values(interfaces))
      for (const entry of list ?? []) ownAddresses.add(entry.address);
    const local = {
      address: options.advertisedHost ?? reachableHost(host, interfaces),
      port,
    };

    const credentials = asEffect(options.credentials);
    const policy = {
      maxSkewSeconds: options.maxSkewSeconds === null ? undefined : (options.maxSkewSeconds ?? 300),
    };
    const replay = yield* Ref.make(initialUdpReplayState);
    const requests = yield* makeConnectionRequestTriggers(options.rateLimit);
    const outcomes = yield* Ref.make<readonly UdpDatagramOutcome[]>([]);
    const binding = yield* SubscriptionRef.make<Option.Option<UdpBinding>>(Option.none());
    const note = (o: UdpDatagramOutcome) =>
      Ref.update(outcomes, (list) => [...list, o].slice(-KEPT_OUTCOMES));

    const send = (bytes: Uint8Array, toPort: number, toHost: string) =>
      Effect.async<void>((done) => {
        socket.send(bytes, toPort, toHost, (error) => {
          // A send failure (unreachable, DNS) is a lost datagram: retransmission covers it.
          if (error) Effect.runFork(Effect.logDebug(`UDP send to ${toHost}: ${error.message}`));
          done(Effect.void);
        });
      });

    const stun = yield* makeStunClient({
      send,
      settings: asEffect(options.stun ?? defaultStunSettings),
      acsHost: asEffect(options.acsHost),
      local,
      isLocalAddress: (a) => ownAddresses.has(a),
      onBinding: (b) =>
        SubscriptionRef.update(binding, (current) =>
          Option.isSome(current) &&
          current.value.address === b.address &&
          current.value.natDetected === b.natDetected &&
          current.value.viaStun === b.viaStun
            ? current
            : Option.some(b),
        ),
      ...(options.randomBytes === undefined ? {} : { randomBytes: options.randomBytes }),
    });

    const connectionRequest = (bytes: Uint8Array) =>
      Effect.gen(function* () {
        const message = parseUdpConnectionRequest(bytes);
        if (message === undefined) return "malformed" as const;
        const now = yield* Clock.currentTimeMillis;
        const creds = yield* credentials;
        const verdict = yield* Ref.modify(replay, (state) =>
          checkUdpConnectionRequest(message, creds, state, Math.floor(now / 1000), policy),
        );
        if (verdict !== "accepted") return verdict;
        const ok = yield* requests.admit(now);
        if (!ok) return "rateLimited" as const;
        yield* requests.onRequest(now);
        return verdict;
      });

    const runFork = yield* FiberSet.makeRuntime<never>();
    const onMessage = (bytes: Buffer) => {
      runFork(
        looksLikeStun(bytes)
          ? Effect.zipRight(stun.deliver(bytes), note("stun"))
          : Effect.flatMap(connectionRequest(bytes), (o) =>
              Effect.zipRight(
                o === "accepted"
                  ? Effect.void
                  : Effect.logDebug(`UDP connection request dropped: ${o}`),
                note(o),
              ),
            ),
      );
    };
    socket.on("message", onMessage);
    // ICMP errors surface as socket errors on some systems; they must not end the listener.
    socket.on("error", (e) => runFork(Effect.logDebug(`UDP socket: ${e.message}`)));
    yield* Effect.forkScoped(stun.run);

    return {
      triggers: requests.triggers,
      setSessionActive: requests.setSessionActive,
      local,
      binding: SubscriptionRef.get(binding),
      bindingChanges: binding.changes.pipe(
        Stream.filterMap((o) => o),
        Stream.changesWith((a, b) => a.address === b.address && a.natDetected === b.natDetected),
      ),
      refresh: stun.refresh,
      applySettings: stun.applySettings,
      outcomes: Ref.get(outcomes),
    } satisfies UdpConnectionRequestsService;
  });

/** The service as a layer: the socket lives as long as the layer. */
export const layer = (
  options: UdpConnectionRequestOptions,
): Layer.Layer<UdpConnectionRequests, UdpConnectionRequestError> =>
  Layer.scoped(UdpConnectionRequests, make(options));
