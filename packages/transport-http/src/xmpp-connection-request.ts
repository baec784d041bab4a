/**
 * XMPP Connection Requests (TR-069 Annex K, requirement section 1.9): the device keeps an
 * outbound XMPP stream open and the ACS wakes it with an IQ `get` holding a
 * `connectionRequest` element. Allowed senders (ConnReqAllowedJabberIDs) with the right
 * ConnectionRequestUsername/Password get an IQ result and start one session with
 * `6 CONNECTION REQUEST`; the others get `service-unavailable` or `not-authorized`
 * (`xmpp-connection-request-decision.ts`). Accepted requests are rate-limited like HTTP ones
 * (too many get `resource-constraint`) and coalesced into session triggers the same way.
 *
 * When the stream ends (the server closed it, the network dropped) the device reconnects
 * after the wait of TR-181's ServerRetryInitialInterval / IntervalMultiplier / MaxInterval
 * (`xmppRetryWaitSeconds`), counting from 1 again once a stream came up. After
 * ServerConnectAttempts failed attempts in a row (or a misconfiguration, which no retry mends)
 * it stops trying until the settings change; a disabled connection makes no attempt. The
 * connection's TR-181 Status (with the time of its last change) and its stanza counters
 * (`Stats.*`) are kept for the data model (`xmpp-data-model.ts`). The full JID the server bound
 * is kept in {@link XmppConnectionRequestsService.jabberId} for ConnReqJabberID.
 * @module
 */
import type { ConnectionRequestCredentials } from "@cpekit/core";
import {
  Clock,
  Context,
  Duration,
  Effect,
  Layer,
  Option,
  Queue,
  Random,
  Ref,
  Runtime,
  type Scope,
  Stream,
  SubscriptionRef,
} from "effect";
import { makeConnectionRequestTriggers } from "./internal/connection-request-triggers.js";
import type { TriggerSource } from "./merged-connection-requests.js";
import {
  decideXmppConnectionRequest,
  type XmppConnectionRequest,
} from "./xmpp-connection-request-decision.js";
import {
  type XmppConnectError,
  type XmppConnector,
  type XmppRequestAnswer,
  xmppConnector,
} from "./xmpp-connector.js";
import { type XmppSettings, type XmppTlsOptions, xmppRetryWaitSeconds } from "./xmpp-settings.js";

/** Settings of the XMPP connection-request source. */
export interface XmppConnectionRequestOptions {
  /** ConnectionRequestUsername/Password, read at every request. */
  readonly credentials: Effect.Effect<ConnectionRequestCredentials> | ConnectionRequestCredentials;
  /** The connection's settings, read before every connection attempt. */
  readonly settings: Effect.Effect<XmppSettings> | XmppSettings;
  /** ConnReqAllowedJabberIDs entries, read at every request; empty allows everyone. */
  readonly allowedJabberIds: Effect.Effect<readonly string[]> | readonly string[];
  /** TLS trust for the default connector. Default: the system CAs, verification on. */
  readonly tls?: XmppTlsOptions;
  /** At most `max` accepted requests per `window`; more are refused. Default 50 per 5 s (as HTTP). */
  readonly rateLimit?: { readonly max: number; readonly window: Duration.DurationInput };
  /** Opens a stream. Default: {@link xmppConnector} (xmpp.js over TCP). */
  readonly connector?: XmppConnector;
}

/** Where the connection stands: the TR-181 `XMPP.Connection.{i}.Status` values it uses. */
export type XmppConnectionState =
  | "Enabled"
  | "Disabled"
  | "Connecting"
  | "ServerNotPresent"
  | "Error_Misconfigured"
  | "Error_AuthenticationFailure"
  | "Error";

/** The Status and when it last changed (epoch ms; TR-181 LastChangeDate). */
export interface XmppConnectionStatus {
  readonly state: XmppConnectionState;
  readonly since: number;
}

/** TR-181 `XMPP.Connection.{i}.Stats`: stanzas (iq, message, presence) over every stream. */
export interface XmppConnectionStats {
  readonly receivedMessages: number;
  readonly transmittedMessages: number;
  readonly receivedErrorMessages: number;
  readonly transmittedErrorMessages: number;
}

/** The Status a failed attempt leaves. */
export const stateOfFailure = (e: XmppConnectError): XmppConnectionState => {
  switch (e.reason) {
    case "Misconfigured":
      return "Error_Misconfigured";
    case "ServerNotPresent":
      return "ServerNotPresent";
    case "Authentication":
      return "Error_AuthenticationFailure";
    case "Connect":
      return "Error";
  }
};

/** What happened, in order (bounded; for tests and diagnostics). */
export type XmppEvent =
  | { readonly type: "attempt"; readonly at: number }
  | { readonly type: "up"; readonly at: number; readonly jid: string; readonly secure: boolean }
  | { readonly type: "failed"; readonly at: number; readonly detail: string }
  /** No more attempts until the settings change (ServerConnectAttempts, misconfiguration). */
  | { readonly type: "gaveUp"; readonly at: number; readonly failures: number }
  | { readonly type: "down"; readonly at: number }
  | {
      readonly type: "wait";
      readonly at: number;
      readonly attempt: number;
      readonly seconds: number;
    }
  | {
      readonly type: "request";
      readonly at: number;
      readonly from: string;
      readonly answer: XmppRequestAnswer;
    };

/**
 * The running source; its `triggers` are coalesced as the HTTP server's are (one consumer), and
 * `setSessionActive` takes the session boundaries as `ConnectionRequestsService`'s does.
 */
export interface XmppConnectionRequestsService extends TriggerSource {
  /** The full JID of the last stream that came up (kept while reconnecting). */
  readonly jabberId: Effect.Effect<Option.Option<string>>;
  /** Every new JID (distinct from the last). */
  readonly jabberIdChanges: Stream.Stream<string>;
  readonly state: Effect.Effect<XmppConnectionState>;
  /** The Status with the time of its last change. */
  readonly status: Effect.Effect<XmppConnectionStatus>;
  readonly stats: Effect.Effect<XmppConnectionStats>;
  /** Re-reads the settings: reconnects now when they changed (call after each session). */
  readonly applySettings: Effect.Effect<void>;
  readonly events: Effect.Effect<readonly XmppEvent[]>;
}

/** The `XmppConnectionRequests` service tag. */
export class XmppConnectionRequests extends Context.Tag(
  "@cpekit/transport-http/XmppConnectionRequests",
)<XmppConnectionRequests, XmppConnectionRequestsService>() {}

const asEffect = <A>(v: Effect.Effect<A> | A): Effect.Effect<A> =>
  Effect.isEffect(v) ? (v as Effect.Effect<A>) : Effect.succeed(v as A);

const KEPT_EVENTS = 256;

const sameSettings = (a: XmppSettings, b: XmppSettings) =>
  (Object.keys(a) as (keyof XmppSettings)[]).every((k) => a[k] === b[k]);

/** Starts the connection loop in the current scope (stopped, stream closed, with it). */
export const make = (
  options: XmppConnectionRequestOptions,
): Effect.Effect<XmppConnectionRequestsService, never, Scope.Scope> =>
  Effect.gen(function* () {
    const credentials = asEffect(options.credentials);
    const settingsNow = asEffect(options.settings);
    const allowed = asEffect(options.allowedJabberIds);
    const connector = options.connector ?? xmppConnector(options.tls ?? {});
    const requests = yield* makeConnectionRequestTriggers(options.rateLimit);
    const events = yield* Ref.make<readonly XmppEvent[]>([]);
    const jid = yield* SubscriptionRef.make<Option.Option<string>>(Option.none());
    const status = yield* Ref.make<XmppConnectionStatus>({
      state: "Connecting",
      since: yield* Clock.currentTimeMillis,
    });
    const setStateAt = (next: XmppConnectionState, now: number) =>
      Ref.update(status, (s) => (s.state === next ? s : { state: next, since: now }));
    const setState = (next: XmppConnectionState) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => setStateAt(next, now));
    // Plain counters: the observer is called from xmpp.js's event handlers, outside any fiber.
    const counts = {
      receivedMessages: 0,
      transmittedMessages: 0,
      receivedErrorMessages: 0,
      transmittedErrorMessages: 0,
    };
    const traffic = (direction: "received" | "transmitted", isError: boolean) => {
      if (direction === "received") {
        counts.receivedMessages++;
        if (isError) counts.receivedErrorMessages++;
      } else {
        counts.transmittedMessages++;
        if (isError) counts.transmittedErrorMessages++;
      }
    };
    const used = yield* Ref.make<Option.Option<XmppSettings>>(Option.none());
    // Wakes the loop: settings changed (reconnect now / stop waiting).
    const wake = yield* Queue.sliding<void>(1);
    const note = (e: XmppEvent) => Ref.update(events, (list) => [...list, e].slice(-KEPT_EVENTS));

    const handle = (request: XmppConnectionRequest) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis;
        const verdict = decideXmppConnectionRequest(request, yield* allowed, yield* credentials);
        let answer: XmppRequestAnswer = verdict;
        if (verdict === "accepted") {
          const ok = yield* requests.admit(now);
          if (!ok) answer = "rateLimited";
          else yield* requests.onRequest(now);
        }
        yield* note({ type: "request", at: now, from: request.from, answer });
        return answer;
      });
    const runtime = yield* Effect.runtime<never>();
    const onRequest = (request: XmppConnectionRequest) =>
      Runtime.runPromise(runtime)(handle(request));

    /** One stream: up until it ends or the settings change. */
    const session = (settings: XmppSettings) =>
      Effect.scoped(
        Effect.gen(function* () {
          yield* note({ type: "attempt", at: yield* Clock.currentTimeMillis });
          const link = yield* connector(settings, onRequest, traffic);
          yield* SubscriptionRef.update(jid, (current) =>
            Option.isSome(current) && current.value === link.jid ? current : Option.some(link.jid),
          );
          // One reading of the clock: Status's LastChangeDate is the time the log says "up".
          const upAt = yield* Clock.currentTimeMillis;
          yield* setStateAt("Enabled", upAt);
          yield* note({ type: "up", at: upAt, jid: link.jid, secure: link.secure });
          const why = yield* Effect.raceFirst(
            Effect.as(link.closed, "closed" as const),
            Effect.as(Queue.take(wake), "settings" as const),
          );
          yield* note({ type: "down", at: yield* Clock.currentTimeMillis });
          return why;
        }),
      );

    const loop = Effect.gen(function* () {
      // Waits since the last stream (for the retry interval), failed attempts in a row.
      let attempt = 0;
      let failures = 0;
      for (;;) {
        const settings = yield* settingsNow;
        yield* Ref.set(used, Option.some(settings));
        if (!settings.enable) {
          yield* setState("Disabled");
          yield* Queue.take(wake);
          attempt = 0;
          failures = 0;
          continue;
        }
        yield* setState("Connecting");
        const result = yield* Effect.either(session(settings));
        if (result._tag === "Right") {
          attempt = 0;
          failures = 0;
          // New settings: reconnect at once rather than after a wait.
          if (result.right === "settings") continue;
          yield* setState("Connecting");
        } else {
          const e: XmppConnectError = result.left;
          failures += 1;
          yield* setState(stateOfFailure(e));
          yield* note({ type: "failed", at: yield* Clock.currentTimeMillis, detail: e.message });
          yield* Effect.logDebug(e.message);
          const exhausted = settings.connectAttempts > 0 && failures >= settings.connectAttempts;
          if (e.reason === "Misconfigured" || exhausted) {
            yield* note({ type: "gaveUp", at: yield* Clock.currentTimeMillis, failures });
            yield* Queue.take(wake);
            attempt = 0;
            failures = 0;
            continue;
          }
        }
        attempt += 1;
        const seconds = xmppRetryWaitSeconds(settings, attempt, yield* Random.next);
        yield* note({ type: "wait", at: yield* Clock.currentTimeMillis, attempt, seconds });
        yield* Effect.raceFirst(Effect.sleep(Duration.seconds(seconds)), Queue.take(wake));
      }
    });
    yield* Effect.forkScoped(loop);

    const applySettings = Effect.gen(function* () {
      const now = yield* settingsNow;
      const last = yield* Ref.get(used);
      if (Option.isSome(last) && sameSettings(last.value, now)) return;
      yield* Queue.offer(wake, undefined);
    });

    return {
      triggers: requests.triggers,
      setSessionActive: requests.setSessionActive,
      jabberId: SubscriptionRef.get(jid),
      jabberIdChanges: jid.changes.pipe(
        Stream.filterMap((o) => o),
        Stream.changes,
      ),
      state: Effect.map(Ref.get(status), (s) => s.state),
      status: Ref.get(status),
      stats: Effect.sync(() => ({ ...counts })),
      applySettings,
      events: Ref.get(events),
    } satisfies XmppConnectionRequestsService;
  });

/** The service as a layer: the connection lives as long as the layer. */
export const layer = (options: XmppConnectionRequestOptions): Layer.Layer<XmppConnectionRequests> =>
  Layer.scoped(XmppConnectionRequests, make(options));
