/**
 * The parts of xmpp.js (`@xmpp/*` 0.14, untyped JavaScript) that `xmpp-client-entity.ts`
 * uses, typed as far as cpekit calls them.
 */

declare module "@xmpp/xml" {
  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    text(): string;
    append(child: Element): Element;
    toString(): string;
  }
  interface XmlFactory {
    (
      name: string,
      attrs?: Record<string, string | undefined>,
      ...children: (Element | string | undefined)[]
    ): Element;
    Element: new (...args: never[]) => Element;
  }
  const xml: XmlFactory;
  export default xml;
}

declare module "@xmpp/client-core" {
  import type { EventEmitter } from "node:events";
  import type { Element } from "@xmpp/xml";
  export interface Jid {
    toString(): string;
    bare(): Jid;
  }
  export class Client extends EventEmitter {
    constructor(options: {
      service: string;
      domain: string;
      lang?: string;
      timeout?: number;
    });
    transports: unknown[];
    jid: Jid | null;
    status: string;
    socket: unknown;
    options: { domain: string; service: string };
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    disconnect(): Promise<unknown>;
    restart(): Promise<void>;
    send(element: Element): Promise<void>;
    sendReceive(element: Element, timeout?: number): Promise<Element>;
    write(text: string): Promise<void>;
    isSecure(): boolean;
    _attachSocket(socket: unknown): void;
  }
}

declare module "@xmpp/middleware" {
  import type { Client } from "@xmpp/client-core";
  import type { Element } from "@xmpp/xml";
  export interface Context {
    stanza: Element;
    entity: Client;
    from: string;
    to: string;
    id: string;
    type: string;
    element?: Element;
  }
  export type Middleware = (ctx: Context, next: () => Promise<unknown>) => unknown;
  export interface MiddlewareApi {
    use(fn: Middleware): Middleware;
    filter(fn: Middleware): Middleware;
  }
  export default function middleware(deps: { entity: Client }): MiddlewareApi;
}

declare module "@xmpp/stream-features" {
  import type { Context, MiddlewareApi } from "@xmpp/middleware";
  import type { Element } from "@xmpp/xml";
  export interface StreamFeaturesApi {
    use(
      name: string,
      xmlns: string,
      handler: (ctx: Context, next: () => Promise<unknown>, feature: Element) => unknown,
    ): void;
  }
  export default function streamFeatures(deps: { middleware: MiddlewareApi }): StreamFeaturesApi;
}

declare module "@xmpp/iq/callee.js" {
  import type { Client } from "@xmpp/client-core";
  import type { Context, MiddlewareApi } from "@xmpp/middleware";
  import type { Element } from "@xmpp/xml";
  export interface IqCallee {
    get(ns: string, name: string, handler: (ctx: Context) => Promise<Element | boolean>): void;
    set(ns: string, name: string, handler: (ctx: Context) => Promise<Element | boolean>): void;
  }
  export default function iqCallee(deps: { middleware: MiddlewareApi; entity: Client }): IqCallee;
}

declare module "@xmpp/iq/caller.js" {
  import type { Client } from "@xmpp/client-core";
  import type { MiddlewareApi } from "@xmpp/middleware";
  import type { Element } from "@xmpp/xml";
  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
    get(element: Element, to?: string, timeout?: number): Promise<Element>;
    set(element: Element, to?: string, timeout?: number): Promise<Element>;
  }
  export default function iqCaller(deps: { middleware: MiddlewareApi; entity: Client }): IqCaller;
}

declare module "saslmechanisms" {
  export default class SASLFactory {}
}

declare module "@xmpp/sasl" {
  import type { Client } from "@xmpp/client-core";
  import type { StreamFeaturesApi } from "@xmpp/stream-features";
  import type SASLFactory from "saslmechanisms";
  export type Authenticate = (
    credentials: { username: string; password: string },
    mechanism: string,
  ) => Promise<void>;
  export default function sasl(
    deps: { streamFeatures: StreamFeaturesApi; saslFactory: SASLFactory },
    onAuthenticate: (
      authenticate: Authenticate,
      mechanisms: string[],
      fast: null,
      entity: Client,
    ) => Promise<void>,
  ): void;
}

declare module "@xmpp/sasl-scram-sha-1" {
  import type SASLFactory from "saslmechanisms";
  export default function scramsha1(factory: SASLFactory): void;
}

declare module "@xmpp/sasl-plain" {
  import type SASLFactory from "saslmechanisms";
  export default function plain(factory: SASLFactory): void;
}

declare module "@xmpp/resource-binding" {
  import type { IqCaller } from "@xmpp/iq/caller.js";
  import type { StreamFeaturesApi } from "@xmpp/stream-features";
  export default function resourceBinding(
    deps: { streamFeatures: StreamFeaturesApi; iqCaller: IqCaller },
    resource: string | undefined,
  ): void;
}

declare module "@xmpp/tcp" {
  import type { Client } from "@xmpp/client-core";
  export default function tcp(deps: { entity: Client }): void;
}

declare module "@xmpp/tls/lib/Socket.js" {
  import type { EventEmitter } from "node:events";
  import type { ConnectionOptions, TLSSocket } from "node:tls";
  export default class Socket extends EventEmitter {
    socket: TLSSocket | null;
    secure: boolean;
    connect(options: ConnectionOptions): void;
    end(): void;
    write(data: string, fn?: (err?: Error) => void): void;
  }
}

declare module "@xmpp/client" {
  import type { Client } from "@xmpp/client-core";
  import type { IqCaller } from "@xmpp/iq/caller.js";
  import type xmlFactory from "@xmpp/xml";
  export const xml: typeof xmlFactory;
  export function client(options: {
    service: string;
    domain: string;
    username: string;
    password: string;
    resource?: string;
  }): Client & { iqCaller: IqCaller; reconnect: { stop(): void } };
}
