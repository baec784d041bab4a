/**
 * The ACS side of an XMPP Connection Request (TR-069 Annex K, requirement section 1.9): an
 * XMPP account that sends the IQ `get` with `connectionRequest` to a device's JID and reads
 * the answer. For test ACSs, the demo and tools that wake a device; a production ACS has its
 * own XMPP client.
 * @module
 */
import xml from "@xmpp/xml";
import { Effect, type Scope } from "effect";
import { makeXmppEntity } from "./internal/xmpp-client-entity.js";
import { XMPP_CONN_REQ_NS } from "./xmpp-connection-request-decision.js";
import { XmppConnectError } from "./xmpp-connector.js";
import type { XmppTlsOptions } from "./xmpp-settings.js";

/** The ACS's XMPP account. */
export interface XmppSenderOptions {
  /** `xmpp://host:port` of the server. */
  readonly service: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  /** Default `acs`. */
  readonly resource?: string;
  readonly tls?: XmppTlsOptions;
}

/** `result`, or the condition of the IQ error (`not-authorized`, `service-unavailable`, ...). */
export type XmppConnectionRequestAnswer = string;

/** A connected sender. */
export interface XmppConnectionRequestSender {
  /** The sender's full JID. */
  readonly jid: string;
  /** Sends one request to `to` (the device's ConnReqJabberID) and returns the answer. */
  readonly send: (
    to: string,
    credentials: { readonly username: string; readonly password: string },
  ) => Effect.Effect<XmppConnectionRequestAnswer>;
}

/** Connects the ACS account for the life of the scope. */
export const makeXmppConnectionRequestSender = (
  options: XmppSenderOptions,
): Effect.Effect<XmppConnectionRequestSender, XmppConnectError, Scope.Scope> =>
  Effect.gen(function* () {
    const entity = makeXmppEntity({
      service: options.service,
      domain: options.domain,
      username: options.username,
      password: options.password,
      resource: options.resource ?? "acs",
      tls: options.tls ?? {},
      requireTls: false,
    });
    const { client } = entity;
    client.on("error", () => undefined);
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => client.start(),
        catch: (cause) =>
          new XmppConnectError({
            reason: "Connect",
            detail: `${options.service}: ${cause instanceof Error ? cause.message : String(cause)}`,
            cause,
          }),
      }).pipe(
        Effect.tapError(() => Effect.promise(() => client.disconnect().catch(() => undefined))),
      ),
      () =>
        Effect.promise(() => client.stop().catch(() => undefined)).pipe(
          Effect.timeout("5 seconds"),
          Effect.ignore,
        ),
    );
    let n = 0;
    const send = (to: string, credentials: { username: string; password: string }) =>
      Effect.promise(async () => {
        const iq = xml(
          "iq",
          { type: "get", to, id: `cr${++n}` },
          xml(
            "connectionRequest",
            { xmlns: XMPP_CONN_REQ_NS },
            xml("username", {}, credentials.username),
            xml("password", {}, credentials.password),
          ),
        );
        try {
          const reply = await entity.iqCaller.request(iq, 10_000);
          return reply.attrs.type ?? "result";
        } catch (e) {
          // xmpp.js rejects with a StanzaError carrying the condition, or a timeout error.
          const condition = (e as { condition?: unknown }).condition;
          return typeof condition === "string" ? condition : `error: ${String(e)}`;
        }
      });
    return { jid: client.jid?.toString() ?? "", send };
  });
