/// <reference path="./xmpp-modules.d.ts" />
/**
 * An XMPP client stream built from the xmpp.js packages (`@xmpp/*`, the parts `@xmpp/client`
 * composes): TCP, STARTTLS, SASL (SCRAM-SHA-1, then PLAIN only over TLS), resource binding
 * and IQ routing. `@xmpp/client`'s own factory upgrades to TLS with the system CAs only and
 * cannot be told to trust a given CA, so the STARTTLS step here is cpekit's: it passes the CA
 * and the verification switch to `node:tls` and checks the server name against the domain.
 * The factory's WebSocket, SASL2/FAST, stream management and automatic reconnection are left
 * out: the device reconnects on its own schedule (TR-181 ServerRetry*).
 * @module
 */
import { Client } from "@xmpp/client-core";
import iqCallee, { type IqCallee } from "@xmpp/iq/callee.js";
import iqCaller, { type IqCaller } from "@xmpp/iq/caller.js";
import middleware from "@xmpp/middleware";
import resourceBinding from "@xmpp/resource-binding";
import sasl from "@xmpp/sasl";
import plain from "@xmpp/sasl-plain";
import scramsha1 from "@xmpp/sasl-scram-sha-1";
import streamFeatures from "@xmpp/stream-features";
import tcp from "@xmpp/tcp";
import TlsSocket from "@xmpp/tls/lib/Socket.js";
import xml from "@xmpp/xml";
import SASLFactory from "saslmechanisms";
import type { XmppTlsOptions } from "../xmpp-settings.js";

const NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls";
const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

/** What one stream needs. */
export interface XmppEntityOptions {
  /** `xmpp://host:port`. */
  readonly service: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  /** Empty: the server picks one. */
  readonly resource: string;
  readonly tls: XmppTlsOptions;
  /** Refuse to authenticate over a stream the server does not offer to encrypt. */
  readonly requireTls: boolean;
  /** Milliseconds each protocol step may take. Default 10 s. */
  readonly timeoutMs?: number;
}

/** A client stream, not started yet. */
export interface XmppEntity {
  readonly client: Client;
  readonly iqCallee: IqCallee;
  readonly iqCaller: IqCaller;
}

const upgrade = (socket: unknown, domain: string, tls: XmppTlsOptions) =>
  new Promise<TlsSocket>((resolve, reject) => {
    const secure = new TlsSocket();
    const onError = (e: Error) => reject(e);
    secure.once("error", onError);
    secure.once("connect", () => {
      secure.off("error", onError);
      resolve(secure);
    });
    secure.connect({
      socket: socket as import("node:net").Socket,
      servername: domain,
      ...(tls.ca === undefined ? {} : { ca: tls.ca }),
      rejectUnauthorized: tls.rejectUnauthorized ?? true,
    });
  });

/** Builds the stream; `start()` it, and add an `error` listener first. */
export const makeXmppEntity = (options: XmppEntityOptions): XmppEntity => {
  const client = new Client({
    service: options.service,
    domain: options.domain,
    timeout: options.timeoutMs ?? 10_000,
  });
  tcp({ entity: client });
  const mw = middleware({ entity: client });
  const features = streamFeatures({ middleware: mw });
  const caller = iqCaller({ middleware: mw, entity: client });
  const callee = iqCallee({ middleware: mw, entity: client });

  // STARTTLS whenever offered, first (RFC 6120 §5.3.1), with cpekit's trust settings.
  features.use("starttls", NS_TLS, async ({ entity }, next) => {
    if (entity.isSecure()) return next();
    const answer = await entity.sendReceive(xml("starttls", { xmlns: NS_TLS }));
    if (!answer.is("proceed", NS_TLS)) throw new Error("the server refused STARTTLS");
    const secure = await upgrade(entity.socket, options.domain, options.tls);
    entity._attachSocket(secure);
    await entity.restart();
  });
  // Reached only when the features lack STARTTLS (the handler above stops the chain).
  features.use("mechanisms", NS_SASL, async ({ entity }, next) => {
    if (options.requireTls && !entity.isSecure())
      throw new Error("UseTLS is on but the server does not offer STARTTLS");
    return next();
  });
  const factory = new SASLFactory();
  scramsha1(factory);
  plain(factory);
  sasl({ streamFeatures: features, saslFactory: factory }, async (authenticate, mechanisms) => {
    // PLAIN sends the password itself: only over TLS.
    const usable = client.isSecure() ? mechanisms : mechanisms.filter((m) => m !== "PLAIN");
    const mechanism = usable[0];
    if (mechanism === undefined)
      throw new Error(`no usable SASL mechanism among ${mechanisms.join(", ") || "none"}`);
    await authenticate({ username: options.username, password: options.password }, mechanism);
  });
  resourceBinding(
    { streamFeatures: features, iqCaller: caller },
    options.resource === "" ? undefined : options.resource,
  );
  return { client, iqCallee: callee, iqCaller: caller };
};
