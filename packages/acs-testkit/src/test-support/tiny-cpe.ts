/**
 * A tiny hand-made CPE for the testkit's own tests: POSTs encoded envelopes with undici, keeps
 * the session cookie, and decodes what comes back. Deliberately dumb (no session logic), so a
 * test spells out each step of the exchange it checks.
 * @module
 */
import {
  type CwmpMessage,
  type CwmpVersion,
  decodeEnvelope,
  type Envelope,
  encodeEnvelope,
  type Inform,
  type SoapHeader,
} from "@cpekit/core";
import { Either } from "effect";
import { Agent, request } from "undici";

/** What one POST got back. */
export interface CpeReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The decoded envelope when the body was one. */
  readonly envelope: Envelope | undefined;
  readonly body: CwmpMessage | undefined;
}

/** An Inform for serial number `serial` (OUI 00D09E, ProductClass Box). */
export const informOf = (serial = "0001", events: readonly string[] = ["1 BOOT"]): Inform => ({
  _tag: "Inform",
  deviceId: { manufacturer: "Acme", oui: "00D09E", productClass: "Box", serialNumber: serial },
  event: events.map((eventCode) => ({ eventCode, commandKey: "" })),
  maxEnvelopes: 1,
  currentTime: "2026-01-01T00:00:00Z",
  retryCount: 0,
  parameterList: [
    {
      name: "Device.ManagementServer.ConnectionRequestURL",
      value: "http://127.0.0.1:9/cr",
      type: "string",
    },
  ],
});

/** The device key `informOf(serial)` yields. */
export const deviceOf = (serial = "0001"): string => `00D09E-Box-${serial}`;

/** Encodes a CPE message (version 1.2 unless told). */
export const envelopeXml = (
  body: CwmpMessage,
  header: SoapHeader = {},
  version: CwmpVersion = "1.2",
): string => encodeEnvelope({ header, body, version });

/** A CPE with its own connection pool and cookie jar of one cookie. */
export class TinyCpe {
  private agent = new Agent({ connections: 1 });
  /** The `name=value` of the last Set-Cookie. */
  cookie: string | undefined;

  constructor(readonly url: string) {}

  /** POSTs `body` (XML text, a message to encode with `header`, or "" for the empty POST). */
  async post(
    body: string | CwmpMessage,
    options: {
      readonly header?: SoapHeader;
      readonly headers?: Record<string, string>;
      readonly sendCookie?: boolean;
      readonly signal?: AbortSignal;
    } = {},
  ): Promise<CpeReply> {
    const xml =
      typeof body === "string" ? body : envelopeXml(body, options.header ?? { id: "cpe-1" });
    const headers: Record<string, string> = {
      "content-type": 'text/xml; charset="utf-8"',
      soapaction: "",
      ...options.headers,
    };
    if (this.cookie && options.sendCookie !== false) headers.cookie = this.cookie;
    const res = await request(this.url, {
      method: "POST",
      body: xml,
      headers,
      dispatcher: this.agent,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const setCookie = res.headers["set-cookie"];
    const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    if (first) this.cookie = first.split(";")[0];
    const text = await res.body.text();
    const decoded = text.trim() === "" ? undefined : decodeEnvelope(text);
    const envelope = decoded && Either.isRight(decoded) ? decoded.right.envelope : undefined;
    return { status: res.statusCode, headers: res.headers, text, envelope, body: envelope?.body };
  }

  /** Drops the pooled connections: the next POST opens a new TCP connection. */
  async newConnection(): Promise<void> {
    await this.agent.close();
    this.agent = new Agent({ connections: 1 });
  }

  /** Closes the CPE's connections. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

/** The outcome of a promise, observed at once so that a later rejection is never unhandled. */
export type Settled<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: unknown };

/** Wraps `p` so it never rejects (a test inspects the outcome when it is ready to). */
export const settled = <A>(p: Promise<A>): Promise<Settled<A>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
