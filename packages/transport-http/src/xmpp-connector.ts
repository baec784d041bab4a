/**
 * One XMPP stream of the device (requirement section 1.9), as a scoped resource: connects to
 * the server the settings name (or the domain's `_xmpp-client._tcp` SRV record, then the
 * domain itself), upgrades to TLS whenever the server offers it, authenticates, binds the
 * resource, answers `connectionRequest` IQs through `onRequest`, sends whitespace keep-alives
 * (RFC 6120 §4.6.1) every KeepAliveInterval, and tells when the stream ends.
 * @module
 */
import { resolveSrv } from "node:dns/promises";
import { isIPv6 } from "node:net";
import xml from "@xmpp/xml";
import { Data, Duration, Effect, type Scope } from "effect";
import { makeXmppEntity } from "./internal/xmpp-client-entity.js";
import {
  XMPP_CONN_REQ_NS,
  type XmppConnectionRequest,
  type XmppConnectionRequestVerdict,
} from "./xmpp-connection-request-decision.js";
import { keepAliveSeconds, type XmppSettings, type XmppTlsOptions } from "./xmpp-settings.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

/**
 * Why a stream could not be set up: the settings cannot work (`Misconfigured`), no server
 * answered at the address (`ServerNotPresent`), the server refused the account
 * (`Authentication`), or anything else on the way (`Connect`). They map onto TR-181's
 * `XMPP.Connection.{i}.Status` values.
 */
export type XmppConnectErrorReason =
  | "Misconfigured"
  | "ServerNotPresent"
  | "Authentication"
  | "Connect";

/** The stream could not be set up. */
export class XmppConnectError extends Data.TaggedError("XmppConnectError")<{
  readonly reason: XmppConnectErrorReason;
  readonly detail: string;
  readonly cause?: unknown;
}> {
  override get message(): string {
    return `XMPP connection ${this.reason}: ${this.detail}`;
  }
}

/** The answer to one request: a verdict, or `rateLimited` (IQ error `resource-constraint`). */
export type XmppRequestAnswer = XmppConnectionRequestVerdict | "rateLimited";

/** An open stream. */
export interface XmppLink {
  /** The full JID the server bound. */
  readonly jid: string;
  /** Whether the stream runs over TLS. */
  readonly secure: boolean;
  /** Completes when the stream ends (the server closed it, the socket dropped). */
  readonly closed: Effect.Effect<void>;
}

/**
 * Told of every stanza (iq, message, presence) the stream receives or transmits, and whether it
 * is an error stanza (`type="error"`): TR-181's `XMPP.Connection.{i}.Stats` count them.
 */
export type XmppTrafficObserver = (direction: "received" | "transmitted", isError: boolean) => void;

/** Opens a stream for the life of the scope; the loop of `xmpp-connection-request.ts` uses it. */
export type XmppConnector = (
  settings: XmppSettings,
  onRequest: (request: XmppConnectionRequest) => Promise<XmppRequestAnswer>,
  traffic?: XmppTrafficObserver,
) => Effect.Effect<XmppLink, XmppConnectError, Scope.Scope>;

// Errors of the socket that mean nothing listens (or answers) at the server's address.
const NO_SERVER_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** The reason of a failed `start()`: its cause's SASL failure or socket error code. */
export const connectErrorReason = (cause: unknown): XmppConnectErrorReason => {
  const e = cause as { name?: unknown; code?: unknown } | null;
  if (e?.name === "SASLError") return "Authentication";
  if (typeof e?.code === "string" && NO_SERVER_CODES.has(e.code)) return "ServerNotPresent";
  return "Connect";
};

const STANZAS = new Set(["iq", "message", "presence"]);

const hostPort = (host: string, port: number) =>
  `xmpp://${isIPv6(host) ? `[${host}]` : host}:${port}`;

/** The `xmpp://` service for the settings: the server given, else DNS SRV, else the domain. */
export const xmppService = (settings: XmppSettings): Effect.Effect<string> =>
  settings.serverAddress !== ""
    ? Effect.succeed(hostPort(settings.serverAddress, settings.serverPort))
    : Effect.map(
        Effect.option(
          Effect.tryPromise(() => resolveSrv(`_xmpp-client._tcp.${settings.domain}`)).pipe(
            Effect.timeout("5 seconds"),
          ),
        ),
        (records) => {
          const best =
            records._tag === "Some"
              ? [...records.value].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0]
              : undefined;
          return best === undefined
            ? hostPort(settings.domain, 5222)
            : hostPort(best.name, best.port);
        },
      );

const errorReply = (type: string, condition: string) =>
  xml("error", { type }, xml(condition, { xmlns: NS_STANZAS }));

/** The connector over xmpp.js, with the given TLS trust settings. */
export const xmppConnector =
  (tls: XmppTlsOptions): XmppConnector =>
  (settings, onRequest, traffic) =>
    Effect.gen(function* () {
      if (settings.domain === "" || settings.username === "")
        return yield* new XmppConnectError({
          reason: "Misconfigured",
          detail: "Domain and Username must not be empty",
        });
      const service = yield* xmppService(settings);
      const entity = makeXmppEntity({
        service,
        domain: settings.domain,
        username: settings.username,
        password: settings.password,
        resource: settings.resource,
        tls,
        requireTls: settings.useTls,
      });
      const { client } = entity;
      // Errors also reject start() or end the stream, which the caller reports; an "error"
      // event without a listener would throw instead.
      client.on("error", () => undefined);
      entity.iqCallee.get(XMPP_CONN_REQ_NS, "connectionRequest", async (ctx) => {
        const element = ctx.element;
        const answer = await onRequest({
          from: ctx.stanza.attrs.from ?? "",
          username: element?.getChildText("username") ?? "",
          password: element?.getChildText("password") ?? "",
        });
        switch (answer) {
          case "accepted":
            return true;
          case "notAuthorized":
            return errorReply("auth", "not-authorized");
          case "notAllowed":
            return errorReply("cancel", "service-unavailable");
          case "rateLimited":
            return errorReply("wait", "resource-constraint");
        }
      });
      if (traffic !== undefined) {
        client.on("stanza", (el: { attrs: Record<string, string | undefined> }) =>
          traffic("received", el.attrs.type === "error"),
        );
        client.on("send", (el: { name: string; attrs: Record<string, string | undefined> }) => {
          if (STANZAS.has(el.name)) traffic("transmitted", el.attrs.type === "error");
        });
      }
      // Registered before start so a drop during the handshake is seen too.
      let ended = false;
      const waiters: (() => void)[] = [];
      const onEnd = () => {
        ended = true;
        for (const w of waiters.splice(0)) w();
      };
      client.on("disconnect", onEnd);
      yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => client.start(),
          catch: (cause) =>
            new XmppConnectError({
              reason: connectErrorReason(cause),
              detail: `${service}: ${cause instanceof Error ? cause.message : String(cause)}`,
              cause,
            }),
        }).pipe(
          Effect.timeoutFail({
            duration: "30 seconds",
            onTimeout: () =>
              new XmppConnectError({
                reason: "ServerNotPresent",
                detail: `${service}: no answer in 30 s`,
              }),
          }),
          Effect.tapError(() => Effect.promise(() => client.disconnect().catch(() => undefined))),
        ),
        () =>
          Effect.promise(async () => {
            if (!ended) await client.stop().catch(() => undefined);
            client.removeAllListeners();
            // An error after the end (a late socket error) must not be unhandled.
            client.on("error", () => undefined);
          }).pipe(Effect.timeout("5 seconds"), Effect.ignore),
      );
      const closed = Effect.async<void>((resume) => {
        if (ended) return resume(Effect.void);
        const w = () => resume(Effect.void);
        waiters.push(w);
        return Effect.sync(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
        });
      });
      const period = keepAliveSeconds(settings);
      if (period !== undefined)
        yield* Effect.forkScoped(
          Effect.forever(
            Effect.zipRight(
              Effect.sleep(Duration.seconds(period)),
              Effect.promise(() => client.write(" ").catch(() => undefined)),
            ),
          ),
        );
      return { jid: client.jid?.toString() ?? "", secure: client.isSecure(), closed };
    });
