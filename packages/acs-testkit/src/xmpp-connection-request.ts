/**
 * The ACS side of an XMPP Connection Request (TR-069 Annex K): an XMPP account of the ACS sends
 * an IQ `get` holding `connectionRequest` (`cwmp-xmppConnReq-1-0.xsd`) with the CPE's
 * ConnectionRequestUsername/Password to the CPE's ConnReqJabberID, and reads the answer: an IQ
 * `result`, or an IQ `error` whose condition says why (`not-authorized`,
 * `service-unavailable`, ...). Built on the stock xmpp.js client (`@xmpp/client`), as an ACS
 * would use it, with its automatic reconnection off.
 * @module
 */
import { Effect, type Scope } from "effect";
import { TestAcsError } from "./testkit-error.js";

/** The namespace of the `connectionRequest` element. */
export const XMPP_CONNECTION_REQUEST_NS = "urn:broadband-forum-org:cwmp:xmppConnReq-1-0";

/** The ACS's XMPP account. */
export interface XmppAcsAccount {
  /** `xmpp://host:port` of the server. */
  readonly service: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  /** Default `acs`. */
  readonly resource?: string;
}

/** A connected ACS-side XMPP account. */
export interface XmppAcsClient {
  /** The full JID the server bound for the ACS. */
  readonly jid: string;
  /**
   * Sends one Connection Request to `to` and resolves with `result` or the IQ error's condition
   * (`error: ...` when the answer has none, e.g. no answer in 10 s).
   */
  readonly connectionRequest: (
    to: string,
    credentials: { readonly username: string; readonly password: string },
  ) => Effect.Effect<string>;
}

// The parts of `@xmpp/client` 0.14 (untyped JavaScript) used here.
interface XmlElement {
  readonly attrs: Record<string, string | undefined>;
}
type Xml = (
  name: string,
  attrs?: Record<string, string>,
  ...children: (XmlElement | string)[]
) => XmlElement;
interface XmppClient {
  readonly jid: { toString(): string } | null;
  readonly iqCaller: { request(iq: XmlElement, timeoutMs?: number): Promise<XmlElement> };
  readonly reconnect: { stop(): void };
  on(event: "error", listener: (e: unknown) => void): void;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
}
interface XmppClientModule {
  readonly xml: Xml;
  readonly client: (options: {
    service: string;
    domain: string;
    username: string;
    password: string;
    resource: string;
  }) => XmppClient;
}

// A variable specifier: the package has no type declarations, the interfaces above stand in.
const xmppClientPackage: string = "@xmpp/client";

/** Connects the ACS account for the life of the scope. */
export const makeXmppAcsClient = (
  account: XmppAcsAccount,
): Effect.Effect<XmppAcsClient, TestAcsError, Scope.Scope> =>
  Effect.gen(function* () {
    const { client, xml } = yield* Effect.promise(
      () => import(xmppClientPackage) as Promise<XmppClientModule>,
    );
    const entity = client({
      service: account.service,
      domain: account.domain,
      username: account.username,
      password: account.password,
      resource: account.resource ?? "acs",
    });
    // The ACS reconnects on its own terms (not at all here); an unheard "error" would throw.
    entity.reconnect.stop();
    entity.on("error", () => undefined);
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => entity.start(),
        catch: (cause) =>
          new TestAcsError({
            reason: "Transport",
            detail: `XMPP ${account.username}@${account.domain} via ${account.service}: ${cause instanceof Error ? cause.message : String(cause)}`,
            cause,
          }),
      }),
      () =>
        Effect.promise(() => entity.stop().catch(() => undefined)).pipe(
          Effect.timeout("5 seconds"),
          Effect.ignore,
        ),
    );
    let n = 0;
    const connectionRequest = (to: string, credentials: { username: string; password: string }) =>
      Effect.promise(async () => {
        const iq = xml(
          "iq",
          { type: "get", to, id: `cr${++n}` },
          xml(
            "connectionRequest",
            { xmlns: XMPP_CONNECTION_REQUEST_NS },
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
    return { jid: entity.jid?.toString() ?? "", connectionRequest };
  });
