/**
 * What the CWMP endpoint decided for one request, before the HTTP layer writes it: a reply (with
 * an optional scripted delay) or a dropped connection, plus what goes into the transcript.
 * @module
 */
import type { CwmpMessage, Envelope, SoapHeader } from "@cpekit/core";
import { encodeAcsEnvelope } from "./cwmp-codec.js";
import type { InjectedFault } from "./fault-injection.js";
import type { Negotiation } from "./quirk-profile.js";

/** The HTTP answer to write, or `drop` to destroy the connection. */
export type CwmpReply =
  | {
      readonly kind: "http";
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
      /** CWMP message name of the body (`"InformResponse"`), `"empty"` for a 204. */
      readonly message?: string;
      readonly envelope?: Envelope;
      readonly delayMs: number;
    }
  | { readonly kind: "drop"; readonly delayMs: number };

/** The endpoint's decision with its transcript facts. */
export interface CwmpOutcome {
  readonly reply: CwmpReply;
  readonly sessionId?: string;
  readonly deviceId?: string;
  readonly requestMessage?: string;
  readonly requestEnvelope?: Envelope;
  readonly warnings?: readonly string[];
  readonly notes: readonly string[];
  readonly injected: readonly InjectedFault[];
}

/** The scripted delay among `faults` (the sum when several apply). */
export const delayOf = (faults: readonly InjectedFault[]): number =>
  faults.reduce((ms, f) => (f.kind === "delay" ? ms + f.ms : ms), 0);

/** A plain-text HTTP reply (errors, 401, 503...). */
export const textReply = (
  status: number,
  body: string,
  faults: readonly InjectedFault[],
  headers: Readonly<Record<string, string>> = {},
): CwmpReply => ({
  kind: "http",
  status,
  headers: body === "" ? headers : { "Content-Type": "text/plain; charset=utf-8", ...headers },
  body,
  delayMs: delayOf(faults),
});

/**
 * The reply a `status`, `serviceUnavailable` or `drop` fault imposes instead of processing the
 * request, if one of them is among `faults`.
 */
export const preemptiveReply = (faults: readonly InjectedFault[]): CwmpReply | undefined => {
  for (const f of faults) {
    if (f.kind === "drop") return { kind: "drop", delayMs: delayOf(faults) };
    if (f.kind === "serviceUnavailable")
      return textReply(503, "503 Service Unavailable", faults, {
        "Retry-After": String(f.retryAfterSeconds),
      });
    if (f.kind === "status") return textReply(f.status, f.body ?? "", faults, f.headers);
  }
  return undefined;
};

/** Applies `truncatedXml` / `malformedXml` / `trailingMarkup` to an encoded body. */
export const corruptBody = (body: string, faults: readonly InjectedFault[]): string => {
  let out = body;
  for (const f of faults) {
    if (f.kind === "truncatedXml") {
      const bytes = Buffer.from(out, "utf8");
      out = bytes.subarray(0, f.keepBytes ?? Math.floor(bytes.length / 2)).toString("utf8");
    } else if (f.kind === "malformedXml") {
      // An unclosed element and a stray '<': not well-formed for any parser.
      out = out.replace(/<\/([A-Za-z_][\w.:-]*)>\s*$/, "<$1 <");
    } else if (f.kind === "trailingMarkup") {
      out = `${out}<x a=1>&bogus</y>`;
    }
  }
  return out;
};

/**
 * A 200 reply carrying `body` in the negotiated version and namespace, with `cwmp:ID`,
 * HoldRequests when `hold`, UseCWMPVersion on an InformResponse when negotiated (V7), and the
 * scripted corruption and delay applied.
 */
export const envelopeReply = (
  negotiation: Negotiation,
  p: {
    readonly id: string | undefined;
    readonly hold: boolean;
    readonly body: CwmpMessage;
    readonly faults: readonly InjectedFault[];
    readonly extraHeaders: Readonly<Record<string, string>>;
  },
): CwmpReply => {
  const header: SoapHeader = {
    ...(p.id === undefined ? {} : { id: p.id }),
    ...(p.hold ? { holdRequests: true } : {}),
    ...(p.body._tag === "InformResponse" && negotiation.useCwmpVersion !== undefined
      ? { useCwmpVersion: negotiation.useCwmpVersion }
      : {}),
  };
  const envelope: Envelope = { header, body: p.body, version: negotiation.version };
  return {
    kind: "http",
    status: 200,
    headers: { "Content-Type": 'text/xml; charset="utf-8"', ...p.extraHeaders },
    body: corruptBody(encodeAcsEnvelope(envelope, negotiation.namespaceUri), p.faults),
    message: p.body._tag,
    envelope,
    delayMs: delayOf(p.faults),
  };
};
